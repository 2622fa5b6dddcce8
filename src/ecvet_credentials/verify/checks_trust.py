"""issuer-trusted: is the issuer an institution the verifier's trust registry lists, in a fitting role?"""
from __future__ import annotations

from .checks_proof import issuer_id
from .context import VerifyContext
from .report import VerificationReport

# Which roles may issue which ECVET credential type.
ISSUER_ROLES = {
    "EcvetPersonalTranscript": {"host"},
    "EcvetLearningAgreement": {"home", "host", "intermediary"},
    "EcvetRecognition": {"home", "competent-authority"},
}


def check_issuer_trusted(ctx: VerifyContext, report: VerificationReport) -> None:
    trust = ctx.options.trust
    if "VerifiablePresentation" in (ctx.document.get("type") or []):
        report.not_checked("issuer-trusted", "NOT_APPLICABLE", "Presentations are checked per credential.", required=False)
        return
    if trust is None:
        report.not_checked("issuer-trusted", "NO_TRUST_REGISTRY",
                           "No trust registry was given (--trust FILE), so whether the issuer is a known institution was not checked.",
                           required=False)
        return
    issuer = issuer_id(ctx.document)
    institution = trust.institution(issuer) if issuer else None
    if institution is None:
        report.failed("issuer-trusted", "ISSUER_NOT_TRUSTED",
                      f"The issuer {issuer} is not in the trust registry '{trust.name}'; do not rely on this credential "
                      "unless you know the institution by other means.", issuer=issuer)
        return
    types = ctx.document.get("type") or []
    wanted = set().union(*(ISSUER_ROLES.get(t, set()) for t in types)) if any(t in ISSUER_ROLES for t in types) else set()
    if wanted and not wanted & set(institution.roles):
        report.failed("issuer-trusted", "ISSUER_ROLE_MISMATCH",
                      f"{institution.name} is registered as {', '.join(institution.roles) or 'no role'}, "
                      f"but this credential must come from a {' or '.join(sorted(wanted))} institution.")
        return
    report.passed("issuer-trusted", f"Issued by {institution.name} ({institution.country or '?'}), listed in '{trust.name}'.",
                  institution=institution.name)
