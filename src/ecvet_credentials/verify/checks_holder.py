"""holder-binding: a presentation is bound to its holder (challenge, domain, holder = subject), and
the credentials inside are verified one by one (verify/presentation.py)."""
from __future__ import annotations

from ecvet_credentials.i18n import _
from ecvet_credentials.verify.context import VerifyContext
from ecvet_credentials.verify.presentation import check_presentation, is_presentation
from ecvet_credentials.verify.report import VerificationReport


def check_holder_binding(ctx: VerifyContext, report: VerificationReport) -> None:
    if not is_presentation(ctx.document):
        report.not_checked("holder-binding", "NOT_APPLICABLE", _("Only presentations are bound to a holder."), required=False)
        return
    check_presentation(ctx, report)
