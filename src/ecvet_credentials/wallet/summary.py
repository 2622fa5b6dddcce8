"""What the wallet lists about a credential: type, issuer, date, units, points, and marks.

Marks are the plain reasons a stored credential is not (fully) verified: expired, issuer not recognised,
status unchecked... computed from its verification report, never guessed.
"""
from __future__ import annotations

from decimal import Decimal

SHORT_TYPES = {"EcvetLearningAgreement": "Learning Agreement", "EcvetPersonalTranscript": "Transcript",
               "EcvetRecognition": "Recognition"}

# (check id, outcome, code or None) -> short mark; first match wins
_MARKS = [
    ("validity-period", "failed", "EXPIRED", "expired"),
    ("validity-period", "failed", "NOT_YET_VALID", "not yet valid"),
    ("issuer-trusted", "failed", None, "issuer not recognised"),
    ("issuer-trusted", "not_checked", None, "issuer not recognised"),
    ("status", "failed", "CREDENTIAL_REVOKED", "revoked"),
    ("status", "failed", "CREDENTIAL_SUSPENDED", "suspended"),
    ("status", "not_checked", None, "status unchecked"),
    ("status", "warning", None, "status list stale"),
    ("ecvet-consistency", "failed", None, "inconsistent"),
    ("agreement-match", "failed", None, "does not match LA"),
]


def marks(report: dict) -> list[dict]:
    """Required checks that did not pass, warnings, and an issuer never checked against a registry."""
    out = []
    for check in report.get("checks", []):
        outcome, required = check.get("outcome"), check.get("required", True)
        relevant = outcome == "failed" or outcome == "warning" or (outcome == "not_checked" and required) or (
            outcome == "not_checked" and check.get("id") == "issuer-trusted" and check.get("code") != "NOT_APPLICABLE")
        if not relevant:
            continue
        label = next((m for cid, o, code, m in _MARKS if cid == check.get("id") and o == outcome
                      and (code is None or code == check.get("code"))), f"{check.get('id')}: {check.get('code')}")
        out.append({"check": check.get("id"), "code": check.get("code"), "mark": label, "message": check.get("message")})
    return out


def _issuer(credential: dict) -> tuple[str | None, str | None]:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        name = issuer.get("name")
        return (issuer.get("id") if isinstance(issuer.get("id"), str) else None), (name if isinstance(name, str) else None)
    return (issuer if isinstance(issuer, str) else None), None


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def model_facts(credential: dict) -> dict:
    """Units and points from the ECVET model (empty when the credential is not a readable ECVET one)."""
    from ecvet_credentials.core.errors import EcvetError
    from ecvet_credentials.model import LearningAgreement, MemorandumOfUnderstanding, PersonalTranscript
    from ecvet_credentials.model import credential_type, from_credential

    kind = credential_type(credential)
    if kind is None:
        return {}
    try:
        model = from_credential(credential)
    except (EcvetError, ValueError, TypeError, KeyError, AttributeError):
        return {"unreadable": True}
    # (the model's class follows from `kind`: from_credential parses by it)
    if isinstance(model, PersonalTranscript):
        return {"units": [u.unit.code for u in model.units],
                "points": _number(model.total_points or Decimal(0))}
    if isinstance(model, LearningAgreement):
        return {"units": [u.code for u in model.units],
                "points": _number(model.total_points or Decimal(0))}
    if isinstance(model, MemorandumOfUnderstanding):
        return {"units": [u.code for u in model.units], "partners": [p.institution.name for p in model.partners]}
    units = [u for u in model.units if u.recognised]
    return {"units": [u.code for u in units], "points": _number(model.total_points or Decimal(0)),
            "qualification": str(model.qualification.title)}


def verdict_of(report: dict) -> str:
    """The report's verdict (recomputed for reports stored before verdicts existed)."""
    from ecvet_credentials.verify.report import VerificationReport

    try:
        return VerificationReport.from_json(report).verdict.value
    except (KeyError, ValueError, TypeError, AttributeError):
        return "not_verified"


def summarize(credential: dict, report: dict) -> dict:
    from ecvet_credentials.model import credential_type

    kind = credential_type(credential)
    issuer, issuer_name = _issuer(credential)
    subject_node = credential.get("credentialSubject")
    subject = subject_node.get("id") if isinstance(subject_node, dict) else None
    date = credential.get("validFrom")
    entry = {
        "credentialId": credential.get("id") if isinstance(credential.get("id"), str) else None,
        "type": SHORT_TYPES.get(kind or "", kind or "Credential"),
        "ecvetType": kind,
        "issuer": issuer,
        "issuerName": issuer_name,
        "subject": subject if isinstance(subject, str) else None,
        "date": date[:10] if isinstance(date, str) else None,
        "verified": bool(report.get("verified")),
        "verdict": verdict_of(report),
        "marks": marks(report),
    }
    entry.update(model_facts(credential))
    return entry


def verdict_words_of(entry: dict) -> str:
    """A stored entry's verdict in the words `ecvet verify` uses."""
    from ecvet_credentials.verify.verdict_text import verdict_words

    return verdict_words(entry.get("verdict") or ("verified" if entry.get("verified") else "not_verified"))


def issuer_of(entry: dict) -> str:
    """A stored entry's issuer: a fact only when a registry recognised it, else its claim."""
    from ecvet_credentials.verify.verdict_text import issuer_text

    recognised = not any(mk["mark"] == "issuer not recognised" for mk in entry.get("marks", []))
    return issuer_text({"issuer": entry.get("issuer") or "?", "issuerName": entry.get("issuerName")}, recognised)
