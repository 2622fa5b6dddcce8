"""Is there an MoU partnership between the host and the home institution, valid on the mobility dates?

Recognition requires one (ECVET: the Learning Agreement is made in the framework of an MoU). It is
found in the signed MoU credential (every partner's signature present, and the one the agreement
references, when it references one), or else in the verifier's trust registry (its partnerships).
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING, Any

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.i18n import _

if TYPE_CHECKING:
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.model import LearningAgreement
    from ecvet_credentials.trust.registry import TrustRegistry

Problem = tuple[str, str]


def partnership_problem(la: LearningAgreement, start: date, end: date, *, trust: TrustRegistry | None = None,
                        mou: dict[str, Any] | None = None,
                        resolver: DidResolver | None = None) -> tuple[str | None, Problem | None]:
    """(what showed the partnership, None) or (None, (code, message)). "MOU_NOT_CHECKED" means there
    was nothing to check against (no MoU credential, no usable trust registry)."""
    if mou is not None:
        return _from_credential(la, start, end, mou, resolver)
    if trust is not None and not trust.untrusted:
        return _from_registry(la, start, end, trust)
    return None, ("MOU_NOT_CHECKED", _("No MoU credential (--mou) or trusted registry was given, so whether {host} and "
                                       "{home} are partners of an MoU was not checked.").format(host=la.host.name, home=la.home.name))


def _from_credential(la: LearningAgreement, start: date, end: date, doc: dict[str, Any],
                     resolver: DidResolver | None) -> tuple[str | None, Problem | None]:
    from ecvet_credentials.verify.agreement_signatures import signature_status
    from ecvet_credentials.model import digest_multibase, mou_from_credential

    try:
        mou = mou_from_credential(doc)
        status = signature_status(doc, resolver=resolver)
    except EcvetError as exc:
        return None, ("MOU_INVALID", _("The document given as the MoU cannot be read as one: {error}").format(error=exc))
    if not status.complete:
        missing = ", ".join(s.did or s.role for s in status.missing) or "none"
        invalid = ("; " + _("{n} invalid signature(s)").format(n=len(status.invalid))) if status.invalid else ""
        return None, ("MOU_NOT_SIGNED", _("The MoU is not signed by every partner (missing: {missing}{invalid}).").format(
            missing=missing, invalid=invalid))
    if la.mou is not None:
        if la.mou.id != doc.get("id"):
            return None, ("MOU_OTHER", _("The agreement was made under the MoU {pinned}, not {given}.").format(
                pinned=la.mou.id, given=doc.get("id")))
        if la.mou.digest_multibase and la.mou.digest_multibase != digest_multibase(doc):
            return None, ("MOU_DIGEST_MISMATCH", _("The agreement pins another version of this MoU (digest differs)."))
    for inst in (la.home, la.host):
        if mou.partner(inst.id) is None:
            return None, ("NO_PARTNERSHIP", _("{name} is not a partner of the MoU '{title}'.").format(name=inst.name, title=mou.title))
    if not (mou.start <= start and end <= mou.end):
        return None, ("PARTNERSHIP_NOT_VALID", _("The MoU '{title}' runs from {start} to {end}; the mobility {first} to {last} "
                                                 "is not inside it.").format(title=mou.title, start=mou.start, end=mou.end,
                                                                             first=start, last=end))
    return _("MoU {id} ({title}), {start} to {end}").format(id=doc.get("id"), title=mou.title, start=mou.start, end=mou.end), None


def _from_registry(la: LearningAgreement, start: date, end: date, trust: TrustRegistry) -> tuple[str | None, Problem | None]:
    first = datetime.combine(start, time.min, tzinfo=timezone.utc)
    last = datetime.combine(end, time(23, 59, 59), tzinfo=timezone.utc)
    found = trust.partnership_during(la.home.id, la.host.id, first, last)
    if found is not None:
        return _("trust registry '{name}', partnership {id}").format(name=trust.name, id=found.id), None
    if any(la.home.id in p.members and la.host.id in p.members for p in trust.partnerships):
        return None, ("PARTNERSHIP_NOT_VALID", _("{host} and {home} are MoU partners in '{registry}', but not for the whole "
                                                 "mobility {first} to {last} (the partnership ended or had not started).").format(
            host=la.host.name, home=la.home.name, registry=trust.name, first=start, last=end))
    return None, ("NO_PARTNERSHIP", _("'{registry}' lists no MoU partnership between {host} and {home}; recognition needs "
                                      "one valid on the mobility dates.").format(registry=trust.name, host=la.host.name,
                                                                                 home=la.home.name))
