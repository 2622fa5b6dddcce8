"""issuer-trusted: is the issuer an institution the verifier's trust registry lists, in a fitting role,
and was the credential signed with one of its listed keys while that key was valid (key rotation)?
A registry whose trust anchor's proof failed is not used at all."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ecvet_credentials.verify.checks_proof import issuer_id, proof_results
from ecvet_credentials.i18n import _
from ecvet_credentials.core.timeutil import as_utc, utc_now
from ecvet_credentials.verify.context import VerifyContext
from ecvet_credentials.verify.report import VerificationReport

if TYPE_CHECKING:
    from ecvet_credentials.trust.registry import Institution

# Which roles may issue which ECVET credential type.
ISSUER_ROLES = {
    "EcvetPersonalTranscript": {"host"},
    "EcvetLearningAgreement": {"home", "host", "intermediary"},
    "EcvetRecognition": {"home", "competent-authority"},
}


def check_issuer_trusted(ctx: VerifyContext, report: VerificationReport) -> None:
    trust = ctx.options.trust
    if "VerifiablePresentation" in (ctx.document.get("type") or []):
        report.not_checked("issuer-trusted", "NOT_APPLICABLE", _("Presentations are checked per credential."), required=False)
        return
    if trust is None:
        # Required: a valid signature by a key nobody vouches for proves nothing about who signed.
        report.not_checked("issuer-trusted", "NO_TRUST_REGISTRY",
                           _("No trust registry was given (--trust FILE), so whether the issuer is a known institution was not checked.")
                           + " " + _("Subscribe to one: {command}").format(command="ecvet trust subscribe URL --anchor DID"))
        return
    if trust.untrusted:
        report.failed("issuer-trusted", "TRUST_REGISTRY_UNTRUSTED",
                      _("The trust registry '{name}' was not used: {untrusted}.").format(name=trust.name, untrusted=trust.untrusted), anchor=trust.anchor)
        return
    now = ctx.options.now or utc_now()
    if trust.valid_until is not None and as_utc(now) > trust.valid_until:
        report.failed("issuer-trusted", "TRUST_REGISTRY_EXPIRED",
                      _("The trust registry '{name}' expired on {date}; refresh it (ecvet trust refresh) or ask its "
                        "publisher for a current one.").format(name=trust.name, date=trust.valid_until.date().isoformat()))
        return
    issuer = issuer_id(ctx.document)
    institution = trust.institution(issuer) if issuer else None
    if institution is None:
        report.failed("issuer-trusted", "ISSUER_NOT_TRUSTED",
                      _("The issuer {issuer} is not in the trust registry '{name}'; do not rely on this credential unless you know the institution by other means.").format(issuer=issuer, name=trust.name), issuer=issuer)
        return
    types = ctx.document.get("type") or []
    wanted = set().union(*(ISSUER_ROLES.get(t, set()) for t in types))  # empty: a type no role is asked of
    if wanted and not wanted & set(institution.roles):
        report.failed("issuer-trusted", "ISSUER_ROLE_MISMATCH",
                      _("{name} is registered as {roles}, but this credential must come from a {wanted} institution.").format(name=institution.name, roles=', '.join(institution.roles) or _('no role'), wanted=' or '.join(sorted(wanted))))
        return
    if not any(r.verified and r.controller == issuer for r in proof_results(ctx).results):
        # The issuer is only a claim until a valid proof by its key backs it: never "trusted" on a claim.
        report.not_checked("issuer-trusted", "ISSUER_NOT_ESTABLISHED",
                           _("The credential names {name} as its issuer, and that institution is listed, but no valid signature by it was found, so the credential is not established as theirs.").format(name=institution.name))
        return
    problem = _key_problem(ctx, institution, issuer)
    if problem:
        report.failed("issuer-trusted", problem[0], problem[1], institution=institution.name)
        return
    signed = _(", signed by the anchor {anchor}").format(anchor=trust.signed_by) if trust.signed_by else ""
    age = f" ({trust.age_note})" if trust.age_note else ""  # e.g. the subscribed copy's age
    report.passed("issuer-trusted", _("Issued by {name} ({country}), listed in '{registry}'{signed}.").format(name=institution.name, country=institution.country or '?', registry=trust.name, signed=signed) + age,
                  institution=institution.name)


def _key_problem(ctx: VerifyContext, institution: Institution, issuer: str | None) -> tuple[str, str] | None:
    """The first issuer proof whose key the registry does not accept at its creation time.

    Only valid proofs by the issuer count (issuer-binding reports the others). The proof's `created`
    is the signer's claim: a stolen key can backdate, which is why `revoked` should be set to the
    earliest time the key may have been compromised.
    """
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.core.errors import EcvetError
    from ecvet_credentials.core.timeutil import parse_datetime

    if not institution.keys:
        return None
    resolver = ctx.options.resolver or DidResolver()
    for result in proof_results(ctx).results:
        vm_id = result.verification_method  # set on every verified proof
        if not (result.verified and result.controller == issuer) or vm_id is None:
            continue
        try:  # the key the proof verified with must be the one the registry lists under that id
            multibase = resolver.verification_method(vm_id).public_key.multibase
        except EcvetError:
            multibase = None
        problem = institution.key_problem(vm_id, parse_datetime(result.created), multibase=multibase)
        if problem:
            return problem
    return None
