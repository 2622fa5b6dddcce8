"""holder-binding: only presentations have a holder to bind (learner e-portfolio, issue 7)."""
from __future__ import annotations

from .context import VerifyContext
from .report import VerificationReport


def check_holder_binding(ctx: VerifyContext, report: VerificationReport) -> None:
    if "VerifiablePresentation" not in (ctx.document.get("type") or []):
        report.not_checked("holder-binding", "NOT_APPLICABLE", "Only presentations are bound to a holder.", required=False)
        return
    # Never a silent pass: until presentation checks exist, a presentation is not verified.
    report.not_checked("holder-binding", "NOT_IMPLEMENTED",
                       "Checking that the presenter is the credentials' subject is not available in this version.")
