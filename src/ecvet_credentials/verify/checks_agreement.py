"""agreement-match: a Personal Transcript checked against the signed Learning Agreement."""
from __future__ import annotations

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.verify.checks_document import rule_issues, schema_issues
from ecvet_credentials.i18n import _
from ecvet_credentials.verify.context import VerifyContext
from ecvet_credentials.verify.report import VerificationReport


def check_agreement_match(ctx: VerifyContext, report: VerificationReport) -> None:
    agreement = ctx.options.agreement
    if agreement is None:
        report.not_checked("agreement-match", "NO_AGREEMENT", _("No Learning Agreement was given (--agreement LA)."), required=False)
        return
    if "EcvetPersonalTranscript" not in (ctx.document.get("type") or []):
        report.not_checked("agreement-match", "NOT_APPLICABLE", _("Only a Personal Transcript is matched against an agreement."), required=False)
        return
    from ecvet_credentials.model import schemas
    from ecvet_credentials.verify.agreement_match import match_agreement

    # The model reader expects schema-valid documents (hostile shapes are the schema check's job).
    if schemas.schema_for(ctx.document) is None or schema_issues(ctx):
        report.not_checked("agreement-match", "SCHEMA_INVALID", _("Matching against the agreement needs a schema-valid transcript; see the schema check."))
        return
    from ecvet_credentials.verify.agreement_signatures import checked_agreement

    invalid = not isinstance(agreement, dict) or schemas.schema_for(agreement) != "learning-agreement-v1"
    try:
        checked = None if invalid else checked_agreement(agreement, resolver=ctx.options.resolver)  # once per agreement
    except EcvetError as exc:
        report.failed("agreement-match", exc.code, _("The transcript or agreement cannot be read for matching: {exc}").format(exc=exc))
        return
    if checked is None or checked.schema_issues:  # None exactly when invalid
        report.failed("agreement-match", "AGREEMENT_INVALID",
                      _("The document given as the Learning Agreement is not a schema-valid Learning Agreement; check the --agreement file."))
        return
    try:
        rule_issues(ctx)  # builds the transcript's model once for this run (None if the rules fail)
        match = match_agreement(ctx.document, agreement, resolver=ctx.options.resolver, transcript_model=ctx.shared.get("model"),
                                checked=checked, trust=ctx.options.trust, mou=ctx.options.mou)
    except EcvetError as exc:
        report.failed("agreement-match", exc.code, _("The transcript or agreement cannot be read for matching: {exc}").format(exc=exc))
        return
    details = match.to_json()
    if not match.matched:
        code, message = match.problems[0]
        more = _(" (and {n} more problem(s))").format(n=len(match.problems) - 1) if len(match.problems) > 1 else ""
        report.failed("agreement-match", code, message + more, **details)
    elif match.warnings:
        report.warning("agreement-match", match.warnings[0][0],
                       _("Matches the agreement, but: ") + "; ".join(m for _, m in match.warnings), **details)
    else:
        n = len(match.units)
        report.passed("agreement-match", _("Same learner and host, within the agreed period; all {n} units agreed, points within the agreement.").format(n=n)
                      + " " + _("MoU: {partnership}.").format(partnership=match.partnership), **details)
