"""verify_credential: run the checks in DESIGN order and return the report. Never raises for a bad document."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeGuard

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.i18n import _, current_language, use_language
from ecvet_credentials.verify.checks_document import (
    check_contexts,
    check_ecvet_consistency,
    check_input,
    check_schema,
    check_validity_period,
)
from ecvet_credentials.verify.checks_proof import check_issuer_binding, check_proof, issuer_id
from ecvet_credentials.verify.checks_agreement import check_agreement_match
from ecvet_credentials.verify.checks_holder import check_holder_binding
from ecvet_credentials.verify.checks_status import check_status
from ecvet_credentials.verify.checks_trust import check_issuer_trusted
from ecvet_credentials.verify.context import DEFAULT_CLOCK_SKEW_SECONDS, VerifyContext, VerifyOptions
from ecvet_credentials.verify.report import CHECK_ORDER, VerificationReport

if TYPE_CHECKING:
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.jsonld.contexts import ContextRegistry
    from ecvet_credentials.jsonld.limits import Limits
    from ecvet_credentials.status.fetch import StatusListSource
    from ecvet_credentials.trust.registry import TrustRegistry

CheckFn = Callable[[VerifyContext, VerificationReport], None]

# Every check of CHECK_ORDER, by id (tests/test_verify_report_edges.py keeps the two in step).
CHECKS: dict[str, CheckFn] = {
    "input": check_input,
    "contexts": check_contexts,
    "schema": check_schema,
    "proof": check_proof,
    "issuer-binding": check_issuer_binding,
    "issuer-trusted": check_issuer_trusted,
    "validity-period": check_validity_period,
    "status": check_status,
    "ecvet-consistency": check_ecvet_consistency,
    "agreement-match": check_agreement_match,
    "holder-binding": check_holder_binding,
}


def verify_credential(
    document: Any,
    *,
    checks: Iterable[str] | None = None,
    now: datetime | None = None,
    clock_skew: float = DEFAULT_CLOCK_SKEW_SECONDS,
    offline: bool = True,
    resolver: DidResolver | None = None,
    trust: TrustRegistry | None = None,
    agreement: dict[str, Any] | None = None,
    mou: dict[str, Any] | None = None,
    status_source: StatusListSource | None = None,
    status_optional: bool = False,
    status_max_age: timedelta | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    registry: ContextRegistry | None = None,
    limits: Limits | None = None,
    inline_contexts: bool = False,
    generic_presentations: bool = False,
) -> VerificationReport:
    """Verify a credential (or presentation) given as parsed JSON; returns a VerificationReport.

    inline_contexts=True accepts inline @context objects in documents that are not ECVET (the generic
    VC profile); they are processed strictly like the bundled ones. ECVET documents never get them.
    generic_presentations=True binds presentations of non-ECVET credentials VC-API style (see
    presentation.py); a presentation carrying an ECVET credential keeps the ECVET holder rules."""
    options = VerifyOptions(
        checks=frozenset(checks) if checks is not None else None,
        now=now,
        clock_skew=clock_skew,
        offline=offline,
        resolver=resolver,
        trust=trust,
        agreement=agreement,
        mou=mou,
        status_source=status_source,
        status_optional=status_optional,
        status_max_age=status_max_age,
        challenge=challenge,
        domain=domain,
        registry=registry,
        limits=limits,
        inline_contexts=inline_contexts,
        generic_presentations=generic_presentations,
    )
    report = VerificationReport()
    if not isinstance(document, dict):
        report.failed("input", "NOT_AN_OBJECT", _("Expected a JSON object (a credential), got a JSON {document}.").format(document=_json_kind(document)))
        return report
    report.document = _describe(document)
    ctx = VerifyContext(document=document, options=options, verify_nested=verify_credential)
    with use_language(current_language()):  # the environment's language read once, not for every message
        _run_checks(ctx, report)
    return report


def _run_checks(ctx: VerifyContext, report: VerificationReport) -> None:
    for check_id in CHECK_ORDER:
        if check_id != "input" and not ctx.wants(check_id):
            report.not_checked(check_id, "NOT_REQUESTED", _("Not requested for this run."), required=False)
            continue
        try:
            CHECKS[check_id](ctx, report)
        except EcvetError as exc:  # a check could not complete: never shown as passed
            report.failed(check_id, exc.code, str(exc))
        if check_id == "input" and report.checks[-1].outcome.value != "passed":  # failed, or a format not read yet
            break


def _describe(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("id", "type"):
        if key in doc:
            out[key] = doc[key]
    issuer = issuer_id(doc)
    if issuer:
        out["issuer"] = issuer
    # what the document claims (shown as a claim until the issuer is recognised)
    claimed = doc["issuer"].get("name") if isinstance(doc.get("issuer"), dict) else None
    if isinstance(claimed, dict):  # a language map
        claimed = next((v for v in claimed.values() if isinstance(v, str)), None)
    if _printable(claimed):
        out["issuerName"] = claimed[:200]
    subject = doc.get("credentialSubject")
    if isinstance(subject, dict):
        parts = [subject.get(k) for k in ("givenName", "familyName")]
        name = " ".join(p for p in parts if isinstance(p, str)) or subject.get("name")
        if _printable(name):
            out["learner"] = name[:200]
    return out


def _printable(value: Any) -> TypeGuard[str]:
    """A non-empty string that can be written out (no lone surrogates from a hostile input)."""
    if not isinstance(value, str) or not value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_kind(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")
