"""The ECVET Memorandum of Understanding (MoU) as a signed credential.

The MoU names the competent institutions of each country with their roles and responsibilities,
the qualifications (and units) covered, and its period. The first partner drafts it (the issuer:
usually the coordinator); every partner signs it (a proof set, like the Learning Agreement). A
Learning Agreement is made "in the framework of" an MoU and references it by id and digest.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ecvet_credentials.model import _checks as c
from ecvet_credentials.model.agreement import Signer
from ecvet_credentials.model.annexes import (
    Enclosure,
    Signatory,
    read_enclosures,
    read_signatories,
    unique_signers,
    write_enclosures,
    write_signatories,
)
from ecvet_credentials.model.common import (
    Institution,
    LangText,
    Qualification,
    UnitOfLearningOutcomes,
    _set,
    check_items,
    unique_codes,
    unique_texts,
)
from ecvet_credentials.model.wire import Reader, Writer, envelope, envelope_args, iso_date

CREDENTIAL_TYPE = "EcvetMemorandumOfUnderstanding"
MOU_ROLES = ("home", "host", "competent-authority", "intermediary", "coordinator")


@dataclass(frozen=True)
class MouPartner:
    institution: Institution
    roles: tuple[str, ...]
    responsibilities: str

    def __post_init__(self):
        if not isinstance(self.institution, Institution):
            raise c.fail("institution", "must be an Institution")
        roles = check_items(self.roles, str, "roles", required=True)
        for i, role in enumerate(roles):
            if role not in MOU_ROLES:
                raise c.fail(f"roles[{i}]", f"must be one of {', '.join(MOU_ROLES)}, got {role!r}")
        unique_texts(roles, "roles")
        _set(self, "roles", roles)
        _set(self, "responsibilities", c.text(self.responsibilities, "responsibilities"))


@dataclass(frozen=True)
class MemorandumOfUnderstanding:
    partners: tuple[MouPartner, ...]
    qualifications: tuple[Qualification, ...]
    start: date
    end: date
    title: LangText | None = None
    units: tuple[UnitOfLearningOutcomes, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()

    def __post_init__(self):
        partners = check_items(self.partners, MouPartner, "partners", required=True)
        if len(partners) < 2:
            raise c.fail("partners", "an MoU needs at least two partners")
        unique_texts((p.institution.id for p in partners), "partners")
        _set(self, "partners", partners)
        _set(self, "qualifications", check_items(self.qualifications, Qualification, "qualifications", required=True))
        units = check_items(self.units, UnitOfLearningOutcomes, "units")
        unique_codes((u.code for u in units), "units")
        _set(self, "units", units)
        _set(self, "start", c.day(self.start, "period.start"))
        _set(self, "end", c.day(self.end, "period.end"))
        if self.end < self.start:
            raise c.fail("period.end", f"is before period.start ({self.start})")
        _set(self, "title", LangText.of(self.title, "title", optional=True) or LangText.of(
            "ECVET memorandum of understanding: " + ", ".join(p.institution.name for p in partners), "title"))
        signatories = check_items(self.signatories, Signatory, "signatories")
        unique_signers(signatories, "signatories")
        ids = {p.institution.id for p in partners}
        for i, s in enumerate(signatories):
            if s.did not in ids:
                raise c.fail(f"signatories[{i}].did", f"{s.did} is not a partner of the MoU")
        _set(self, "signatories", signatories)
        _set(self, "enclosures", check_items(self.enclosures, Enclosure, "enclosures"))

    def partner(self, did: str) -> MouPartner | None:
        return next((p for p in self.partners if p.institution.id == did), None)

    def covers(self, a: str, b: str, start: date, end: date) -> bool:
        """True when institutions a and b are both partners and [start, end] lies inside the MoU's period."""
        return self.partner(a) is not None and self.partner(b) is not None and self.start <= start and end <= self.end

    def required_signers(self) -> list[Signer]:
        return [Signer(f"partner {i + 1}", p.institution.id) for i, p in enumerate(self.partners)]

    def optional_signers(self) -> list[Signer]:
        return []


def build_mou_credential(mou: MemorandumOfUnderstanding, *, credential_id: str | None = None,
                         valid_from: datetime | str | None = None, valid_until: datetime | str | None = None) -> dict:
    """The unsigned EcvetMemorandumOfUnderstanding credential (issuer: the first partner)."""
    if not isinstance(mou, MemorandumOfUnderstanding):
        raise TypeError("build_mou_credential needs a MemorandumOfUnderstanding")
    cid, vf, vu = envelope_args(credential_id, valid_from, valid_until)
    w = Writer(cid)
    issuer = w.org(mou.partners[0].institution, "p1")
    partners = []
    for i, p in enumerate(mou.partners):
        org = issuer if i == 0 else w.org(p.institution, f"p{i + 1}")
        partners.append({"id": w.frag(f"partner{i + 1}"), "type": "MouPartner",
                         "organisation": org if i else mou.partners[0].institution.id,
                         "partnerRole": list(p.roles), "responsibilities": p.responsibilities})
    quals = []
    for i, q in enumerate(mou.qualifications):
        node = w.qualification(q)
        quals.append(_renumber(node, w.frag("qualification"), w.frag(f"q{i + 1}")))
    assert mou.title is not None  # __post_init__ gives every MoU a title
    subject = {"id": w.frag("partnership"), "title": mou.title.to_json(), "partner": partners,
               "coversQualification": quals,
               "temporal": {"id": w.frag("period"), "type": "PeriodOfTime",
                            "startDate": iso_date(mou.start), "endDate": iso_date(mou.end)}}
    if mou.units:
        subject["coversUnit"] = [w.unit_spec(u, f"u{i + 1}") for i, u in enumerate(mou.units)]
    if mou.signatories:
        subject["signatory"] = write_signatories(w, mou.signatories)
    if mou.enclosures:
        subject["enclosure"] = write_enclosures(w, mou.enclosures)
    return envelope(CREDENTIAL_TYPE, credential_id=cid, issuer=issuer, subject=subject, valid_from=vf, valid_until=vu)


def _renumber(node: dict, old: str, new: str) -> dict:
    """Qualification nodes have fixed fragment ids; an MoU lists several, so each gets its own."""
    out = {}
    for key, value in node.items():
        if isinstance(value, str) and value.startswith(old):
            value = new + value[len(old):]
        elif isinstance(value, dict):
            value = _renumber(value, old, new)
        out[key] = value
    return out


def mou_from_credential(doc: dict) -> MemorandumOfUnderstanding:
    """The MemorandumOfUnderstanding carried by an EcvetMemorandumOfUnderstanding credential."""
    r = Reader(doc, CREDENTIAL_TYPE)
    sp = "credentialSubject"
    subject = r.node(r.get(doc, "credentialSubject", "$"), sp)
    first = r.org(r.get(doc, "issuer", "$"), "issuer")
    partners = []
    for i, value in enumerate(r.items(subject.get("partner"), "")):
        path = f"{sp}.partner[{i}]"
        node = r.node(value, path)
        org = node.get("organisation")
        institution = first if org == first.id else r.org(org, f"{path}.organisation")
        partners.append(r.build(path, MouPartner, institution, tuple(r.items(node.get("partnerRole"), "")),
                                node.get("responsibilities")))
    if not partners or partners[0].institution.id != first.id:
        raise r.fail(f"{sp}.partner[0]", "the first partner must be the issuer (who drafts the MoU)")
    period = r.node(r.get(subject, "temporal", sp), f"{sp}.temporal")
    return r.build(sp, MemorandumOfUnderstanding, partners=tuple(partners),
                   qualifications=tuple(r.qualification(q, f"{sp}.coversQualification[{i}]")
                                        for i, q in enumerate(r.items(subject.get("coversQualification"), ""))),
                   start=period.get("startDate"), end=period.get("endDate"),
                   title=r.text(subject.get("title"), f"{sp}.title", optional=True),
                   units=tuple(r.unit(u, f"{sp}.coversUnit[{i}]") for i, u in enumerate(r.items(subject.get("coversUnit"), ""))),
                   signatories=read_signatories(r, subject.get("signatory"), f"{sp}.signatory"),
                   enclosures=read_enclosures(r, subject.get("enclosure"), f"{sp}.enclosure"))
