"""Proof checks: every Data Integrity proof, then issuer binding (a separate question:
is the key that signed the credential one its issuer controls?)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecvet_credentials.i18n import _
from ecvet_credentials.verify.context import VerifyContext
from ecvet_credentials.verify.report import VerificationReport

if TYPE_CHECKING:
    from ecvet_credentials.proofs.engine import ProofSetResult


def issuer_id(doc: dict[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


# A document that already failed its schema check is not verified whatever its signature says; above this
# size its proofs are not canonicalized too (a hostile 1 MB body would cost ~100 ms more for nothing), while a
# document of ordinary size still tells the registrar whether its signature holds (an issuer's bug, or tampering).
PROOF_AFTER_SCHEMA_FAILURE_MAX_CHARS = 256 * 1024


def _skip_proofs(ctx: VerifyContext) -> bool:
    return bool(ctx.shared.get("schema_issues")) and ctx.shared.get("json_chars", 0) > PROOF_AFTER_SCHEMA_FAILURE_MAX_CHARS


def proof_results(ctx: VerifyContext) -> ProofSetResult:
    """Verify the proof set once per run; both proof checks read the result."""
    if "proofs" not in ctx.shared and _skip_proofs(ctx):
        from ecvet_credentials.proofs.engine import ProofSetResult

        ctx.shared["proofs"], ctx.shared["proofs_skipped"] = ProofSetResult(), True
    if "proofs" not in ctx.shared:
        from ecvet_credentials.proofs import verify_proofs

        is_presentation = "VerifiablePresentation" in (ctx.document.get("type") or [])
        ctx.shared["proofs"] = verify_proofs(
            ctx.document,
            resolver=ctx.options.resolver,
            purpose="authentication" if is_presentation else None,
            challenge=ctx.options.challenge,
            domain=ctx.options.domain,
            registry=ctx.options.registry,
            limits=ctx.options.limits,
        )
    results: ProofSetResult = ctx.shared["proofs"]
    return results


def check_proof(ctx: VerifyContext, report: VerificationReport) -> None:
    result = proof_results(ctx)
    if ctx.shared.get("proofs_skipped"):
        report.not_checked("proof", "NOT_CHECKED_AFTER_SCHEMA_FAILURE", _(
            "Not checked: the document does not match its schema, and at {kb:,} KB it is too large to check its "
            "signature as well. It is not valid either way; ask the issuer for a correct document.").format(
            kb=ctx.shared["json_chars"] // 1024))
        return
    report.extra["proofs"] = [
        {
            "verificationMethod": r.verification_method,
            "cryptosuite": r.cryptosuite,
            "proofPurpose": r.purpose,
            "created": r.created,
            "verified": r.verified,
            "code": r.code,
            "message": r.message,
        }
        for r in result.results
    ]
    if not result.results:
        report.failed("proof", "PROOF_MISSING", _("The document carries no proof: it is not signed, so its content cannot be trusted."))
        return
    bad = [r for r in result.results if not r.verified]
    if bad:
        first = bad[0]
        prefix = _("Proof {i} of {n}: ").format(i=first.index + 1, n=len(result.results)) if len(result.results) > 1 else ""
        report.failed("proof", first.code, prefix + first.message, failed=len(bad), total=len(result.results))
        return
    n = len(result.results)
    if n == 1:
        report.passed("proof", _("The signature is valid: the content is exactly what was signed."), total=n)
    else:
        report.passed("proof", _("All {n} signatures are valid: the content is exactly what was signed.").format(n=n), total=n)


def check_issuer_binding(ctx: VerifyContext, report: VerificationReport) -> None:
    doc = ctx.document
    if "VerifiablePresentation" in (doc.get("type") or []):
        report.not_checked("issuer-binding", "NOT_APPLICABLE", _("Presentations have a holder, not an issuer."), required=False)
        return
    issuer = issuer_id(doc)
    if issuer is None:
        report.failed("issuer-binding", "NO_ISSUER", _("The credential names no issuer (an 'issuer' id is required)."))
        return
    result = proof_results(ctx)
    verified = [r for r in result.results if r.verified]
    if not verified:
        report.not_checked("issuer-binding", "NO_VALID_PROOF", _("Without a valid proof, who signed the credential cannot be established."))
        return
    by_issuer = [r for r in verified if r.controller == issuer and r.purpose == "assertionMethod"]
    if not by_issuer:
        signers = sorted({r.controller or "?" for r in verified})
        report.failed(
            "issuer-binding",
            "ISSUER_KEY_MISMATCH",
            _("The credential says it was issued by {issuer}, but it was signed by {signers}; treat it as not issued by that institution.").format(issuer=issuer, signers=', '.join(signers)),
            issuer=issuer,
            signers=signers,
        )
        return
    report.passed("issuer-binding", _("Signed with a key controlled by the issuer {issuer}.").format(issuer=issuer), issuer=issuer)
