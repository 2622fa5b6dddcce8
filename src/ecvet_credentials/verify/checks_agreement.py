"""agreement-match: a Personal Transcript checked against the signed Learning Agreement."""
from __future__ import annotations

from ..errors import EcvetError
from .checks_document import schema_issues
from .context import VerifyContext
from .report import VerificationReport


def check_agreement_match(ctx: VerifyContext, report: VerificationReport) -> None:
    agreement = ctx.options.agreement
    if agreement is None:
        report.not_checked("agreement-match", "NO_AGREEMENT", "No Learning Agreement was given (--agreement LA).", required=False)
        return
    if "EcvetPersonalTranscript" not in (ctx.document.get("type") or []):
        report.not_checked("agreement-match", "NOT_APPLICABLE", "Only a Personal Transcript is matched against an agreement.", required=False)
        return
    from .. import schemas
    from ..recognition import match_agreement

    # The model reader expects schema-valid documents (hostile shapes are the schema check's job).
    if schemas.schema_for(ctx.document) is None or schema_issues(ctx):
        report.not_checked("agreement-match", "SCHEMA_INVALID", "Matching against the agreement needs a schema-valid transcript; see the schema check.")
        return
    if not isinstance(agreement, dict) or schemas.schema_for(agreement) != "learning-agreement-v1" or schemas.validate(agreement, rules=False):
        report.failed("agreement-match", "AGREEMENT_INVALID",
                      "The document given as the Learning Agreement is not a schema-valid Learning Agreement; check the --agreement file.")
        return
    try:
        match = match_agreement(ctx.document, agreement, resolver=ctx.options.resolver, trust=ctx.options.trust,
                                mou=ctx.options.mou)
    except EcvetError as exc:
        report.failed("agreement-match", exc.code, f"The transcript or agreement cannot be read for matching: {exc}")
        return
    details = match.to_json()
    if not match.matched:
        code, message = match.problems[0]
        more = f" (and {len(match.problems) - 1} more problem(s))" if len(match.problems) > 1 else ""
        report.failed("agreement-match", code, message + more, **details)
    elif match.warnings:
        report.warning("agreement-match", match.warnings[0][0],
                       "Matches the agreement, but: " + "; ".join(m for _, m in match.warnings), **details)
    else:
        n = len(match.units)
        report.passed("agreement-match", f"Same learner and host, within the agreed period, MoU partners ({match.partnership}); "
                      f"all {n} units are the agreed units, points within the agreement.", **details)
