"""Presentations (VC 2.0 VerifiablePresentation): build, sign, and the presentation part of verifying.

The pipeline verifies the presentation's own proof (purpose authentication, the verifier's challenge
and domain) in the proof check. `check_presentation` (the holder-binding check) then adds what only
a presentation has: a challenge was required (replay protection), the proof was made by the holder,
the holder is the subject of every credential; and every embedded credential gets its full report,
nested as "credentials": [report, ...] behind one required "credentials" result.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecvet_credentials.i18n import _
from ecvet_credentials.verify.context import VerifyContext
from ecvet_credentials.verify.report import CheckResult, Outcome, VerificationReport

if TYPE_CHECKING:
    from ecvet_credentials.crypto.keys import KeyPair

VC_V2 = "https://www.w3.org/ns/credentials/v2"
PRESENTATION_TYPE = "VerifiablePresentation"
MAX_CREDENTIALS = 50  # a presentation is a handful of credentials; bounds the nested verification work


def is_presentation(doc: Any) -> bool:
    types = doc.get("type") if isinstance(doc, dict) else None
    types = [types] if isinstance(types, str) else types
    return isinstance(types, list) and PRESENTATION_TYPE in types


def build_presentation(credentials: list[dict[str, Any]], *, holder: str, presentation_id: str | None = None) -> dict[str, Any]:
    """An unsigned presentation holding the credentials as they are (their proofs intact)."""
    if not credentials or not all(isinstance(c, dict) for c in credentials):
        raise ValueError("'credentials' must be a non-empty list of credential objects")
    vp: dict[str, Any] = {"@context": [VC_V2]}
    if presentation_id:
        vp["id"] = presentation_id
    vp.update({"type": [PRESENTATION_TYPE], "holder": holder, "verifiableCredential": list(credentials)})
    return vp


def sign_presentation(credentials: list[dict[str, Any]], key: KeyPair, *, challenge: str, domain: str | None = None,
                      created: str | None = None) -> dict[str, Any]:
    """Sign a presentation of `credentials` as holder `key.did` (authentication, challenge, domain)."""
    import uuid

    from ecvet_credentials.proofs import sign

    if not isinstance(challenge, str) or not challenge:
        raise ValueError("a presentation needs the verifier's challenge (a non-empty string)")
    vp = build_presentation(credentials, holder=key.did, presentation_id=f"urn:uuid:{uuid.uuid4()}")
    return sign(vp, key, purpose="authentication", challenge=challenge, domain=domain, created=created)


def _holder(doc: dict[str, Any]) -> str | None:
    holder = doc.get("holder")
    if isinstance(holder, dict):
        holder = holder.get("id")
    return holder if isinstance(holder, str) else None


def _subjects(cred: dict[str, Any]) -> list[str]:
    subject = cred.get("credentialSubject")
    items = subject if isinstance(subject, list) else [subject]
    return [s["id"] for s in items if isinstance(s, dict) and isinstance(s.get("id"), str)]


def embedded_credentials(doc: dict[str, Any]) -> list[Any]:
    value = doc.get("verifiableCredential")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def check_presentation(ctx: VerifyContext, report: VerificationReport) -> None:
    """holder-binding for a presentation, then the nested credential reports."""
    _holder_binding(ctx, report)
    _nested_credentials(ctx, report)


def _generic_binding(ctx: VerifyContext, report: VerificationReport) -> None:
    """VC-API style, for presentations of non-ECVET credentials: no challenge or holder required (the
    verifier's challenge, when sent, is checked with the proof), but a named holder must have signed."""
    from ecvet_credentials.verify.checks_proof import proof_results

    holder = _holder(ctx.document)
    good = [r for r in proof_results(ctx).results if r.verified]
    if holder is not None and good and not any(r.controller == holder for r in good):
        report.failed("holder-binding", "HOLDER_KEY_MISMATCH", f"The presentation says its holder is {holder}, "
                      f"but it was signed by {', '.join(sorted({r.controller or '?' for r in good}))}.", holder=holder)
        return
    if holder is not None and not good:
        report.not_checked("holder-binding", "NO_VALID_PROOF",
                           "Without a valid presentation proof, who presented the credentials cannot be established.")
        return
    who = f"by its holder {holder}" if holder else "with no holder named"
    report.passed("holder-binding", f"Presented {who} (generic presentation: the holder need not be the subject).")


def _holder_binding(ctx: VerifyContext, report: VerificationReport) -> None:
    from ecvet_credentials.verify.checks_proof import proof_results

    doc, opts = ctx.document, ctx.options
    if opts.generic_presentations and not carries_ecvet(doc):
        _generic_binding(ctx, report)
        return
    if not opts.challenge:
        report.failed("holder-binding", "CHALLENGE_REQUIRED",
                      _("A presentation is accepted only for a challenge you issued (--challenge); without one, "
                      "a copied presentation could be replayed."))
        return
    holder = _holder(doc)
    if holder is None:
        report.failed("holder-binding", "NO_HOLDER", _("The presentation names no holder; it cannot be bound to a person."))
        return
    proofs = proof_results(ctx)
    good = [r for r in proofs.results if r.verified]
    if not good:
        report.not_checked("holder-binding", "NO_VALID_PROOF",
                           _("Without a valid presentation proof, who presented the credentials cannot be established."))
        return
    if not any(r.controller == holder and r.purpose == "authentication" for r in good):
        signers = sorted({r.controller or "?" for r in good})
        report.failed("holder-binding", "HOLDER_KEY_MISMATCH",
                      _("The presentation says its holder is {holder}, but it was signed by {signers}.").format(holder=holder, signers=', '.join(signers)),
                      holder=holder, signers=signers)
        return
    others = []
    for i, cred in enumerate(embedded_credentials(doc)):
        if isinstance(cred, dict) and holder not in _subjects(cred):
            others.append(i + 1)
    if others:
        report.failed("holder-binding", "HOLDER_NOT_SUBJECT",
                      _("The holder {holder} is not the subject of credential(s) {credentials}; only the person a credential is about can present it.").format(holder=holder, credentials=', '.join(map(str, others))), holder=holder, credentials=others)
        return
    domain_note = ""
    signed_domains = _proof_domains(doc)
    if opts.domain is None and signed_domains:
        report.warning("holder-binding", "DOMAIN_NOT_CHECKED",
                       _("Presented by its holder {holder} for your challenge, but bound to domain {domain!r}, which you did not check (--domain).").format(holder=holder, domain=signed_domains[0]), holder=holder)
        return
    if opts.domain:
        domain_note = _(" and domain {domain!r}").format(domain=opts.domain)
    report.passed("holder-binding", _("Presented by {holder}, the subject of every credential, for your challenge{domain_note}.").format(holder=holder, domain_note=domain_note),
                  holder=holder)


def _proof_domains(doc: dict[str, Any]) -> list[str]:
    """The domains the presentation's proofs are bound to (every proof has its result, so all of them)."""
    proofs = doc.get("proof")
    values = [p.get("domain") for p in (proofs if isinstance(proofs, list) else [proofs]) if isinstance(p, dict)]
    return [d for value in values for d in (value if isinstance(value, list) else [value]) if isinstance(d, str)]


def _nested_credentials(ctx: VerifyContext, report: VerificationReport) -> None:
    verify_credential = ctx.verify_nested
    if verify_credential is None:
        raise TypeError("presentations are verified through the pipeline (VerifyContext.verify_nested)")
    creds = embedded_credentials(ctx.document)
    if not creds and ctx.options.generic_presentations and not carries_ecvet(ctx.document):
        report.add(CheckResult("credentials", Outcome.PASSED, "OK", "The presentation carries no credential."))
        return
    if not creds:
        report.add(CheckResult("credentials", Outcome.FAILED, "NO_CREDENTIALS",
                               "The presentation carries no credential."))
        return
    if len(creds) > MAX_CREDENTIALS:
        report.add(CheckResult("credentials", Outcome.FAILED, "TOO_MANY_CREDENTIALS",
                               f"The presentation carries {len(creds)} credentials; at most {MAX_CREDENTIALS} are checked."))
        return
    o = ctx.options
    nested = []
    for cred in creds:
        if is_presentation(cred):  # no presentations inside presentations
            sub = VerificationReport()
            sub.failed("input", "NESTED_PRESENTATION", _("A presentation inside a presentation is not accepted."))
        else:
            # Same verifier options, but the credential's own proofs are assertions: no challenge/domain
            # (and no generic_presentations: a presentation inside is refused above).
            sub = verify_credential(cred, checks=o.checks, now=o.now, clock_skew=o.clock_skew, offline=o.offline,
                                    resolver=o.resolver, trust=o.trust, agreement=o.agreement, mou=o.mou,
                                    status_source=o.status_source, status_optional=o.status_optional,
                                    registry=o.registry, limits=o.limits, status_max_age=o.status_max_age,
                                    inline_contexts=o.inline_contexts)
        nested.append(sub)
    report.extra["credentials"] = [r.to_json() for r in nested]
    bad = [i + 1 for i, r in enumerate(nested) if not r.verified]
    if bad:
        first = nested[bad[0] - 1]
        why = ", ".join(c.id for c in first.failed_checks) or _("no check ran")
        report.add(CheckResult("credentials", Outcome.FAILED, "CREDENTIAL_NOT_VERIFIED",
                               _("Credential(s) {bad} of {n} did not verify (credential {first}: {why}); see their "
                                 "reports.").format(bad=", ".join(map(str, bad)), n=len(nested), first=bad[0], why=why),
                               details={"failed": bad}))
        return
    report.add(CheckResult("credentials", Outcome.PASSED, "OK", _("All {n} credential(s) inside verify.").format(n=len(nested))))


def carries_ecvet(doc: dict[str, Any]) -> bool:
    from ecvet_credentials.model.vc_structure import is_ecvet

    return is_ecvet(doc) or any(is_ecvet(c) for c in embedded_credentials(doc))
