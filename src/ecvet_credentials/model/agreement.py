"""The ECVET Learning Agreement (LA): every field of the ECVET LA template, and its credential form.

Issued (drafted) by the home institution; signed by host, home, learner and, for a learner under 18
on the start date, a parent or guardian (`required_signers`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ecvet_credentials.i18n import _, current_language
from ecvet_credentials.model import _checks as c
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
    CredentialRef,
    Institution,
    LangText,
    Learner,
    Person,
    Qualification,
    UnitOfLearningOutcomes,
    _set,
    check_items,
    sum_points,
    unique_codes,
    unique_texts,
)
from ecvet_credentials.model.concepts import ACTIVITY_TYPES, ASSESSMENT_METHODS, concept
from ecvet_credentials.model.wire import Reader, Writer, envelope, envelope_args, iso_date

CREDENTIAL_TYPE = "EcvetLearningAgreement"
AGE_OF_MAJORITY = 18


@dataclass(frozen=True)
class AssessmentArrangement:
    """How units will be assessed abroad: who, when, which method(s), how the result is recorded.

    `units` lists the unit codes it applies to; empty means every unit of the agreement."""

    assessors: tuple[Person, ...]
    timing: LangText
    methods: tuple[str, ...]
    recording: LangText
    units: tuple[str, ...] = ()
    criteria: LangText | None = None
    until: date | None = None   # assessment allowed up to this day, after the learner's return

    def __post_init__(self):
        assessors = check_items(self.assessors, Person, "assessors", required=True)
        unique_texts((f"{p.did}\x00{p.name}\x00{p.email}" for p in assessors), "assessors")
        _set(self, "assessors", assessors)
        _set(self, "until", c.day(self.until, "until", optional=True))
        _set(self, "timing", LangText.of(self.timing, "timing"))
        methods = check_items(self.methods, str, "methods", required=True)
        _set(self, "methods", tuple(concept(m, ASSESSMENT_METHODS, f"methods[{i}]", "assessment method")
                                    for i, m in enumerate(methods)))
        _set(self, "recording", LangText.of(self.recording, "recording"))
        _set(self, "units", tuple(c.text(u, f"units[{i}]", max_len=64) for i, u in enumerate(
            check_items(self.units, str, "units"))))
        unique_texts(self.units, "units")
        _set(self, "methods", tuple(dict.fromkeys(self.methods)))
        _set(self, "criteria", LangText.of(self.criteria, "criteria", optional=True))


@dataclass(frozen=True)
class Arrangement:
    """Validation or recognition arrangements: who is responsible and how it is done."""

    responsible: tuple[Person, ...]
    how: LangText

    def __post_init__(self):
        _set(self, "responsible", check_items(self.responsible, Person, "responsible", required=True))
        _set(self, "how", LangText.of(self.how, "how"))


@dataclass(frozen=True)
class Signer:
    role: str  # "host", "home", "learner", "guardian", "intermediary"
    did: str | None  # None: a party the document does not name by DID (it cannot have signed)


@dataclass(frozen=True)
class LearningAgreement:
    home: Institution
    host: Institution
    learner: Learner
    start: date
    end: date
    qualification: Qualification
    units: tuple[UnitOfLearningOutcomes, ...]
    learning_activities: LangText
    assessment: tuple[AssessmentArrangement, ...]
    validation: Arrangement
    recognition: Arrangement
    guardian: Person | None = None
    intermediary: Institution | None = None
    title: LangText | None = None
    activity_type: str | None = None
    place: LangText | None = None
    daily_hours: float | None = None
    mou: CredentialRef | None = None            # the MoU the agreement is made under (id and digest)
    signatories: tuple[Signatory, ...] = ()     # name, role, place of each party's signature
    enclosures: tuple[Enclosure, ...] = ()
    additional_note: str | None = None
    prior_progress: str | None = None           # the learner's progress before the mobility

    def __post_init__(self):
        for name, cls in (("home", Institution), ("host", Institution), ("learner", Learner),
                          ("qualification", Qualification), ("validation", Arrangement),
                          ("recognition", Arrangement)):
            if not isinstance(getattr(self, name), cls):
                raise c.fail(name, f"must be a {cls.__name__}")
        if self.home.id == self.host.id:
            raise c.fail("host.id", "host and home institution must be different (same DID)")
        _set(self, "start", c.day(self.start, "period.start"))
        _set(self, "end", c.day(self.end, "period.end"))
        if self.end < self.start:
            raise c.fail("period.end", f"is before period.start ({self.start})")
        units = check_items(self.units, UnitOfLearningOutcomes, "units", required=True)
        unique_codes((u.code for u in units), "units")
        _set(self, "units", units)
        _set(self, "learning_activities", LangText.of(self.learning_activities, "learning_activities"))
        arrangements = check_items(self.assessment, AssessmentArrangement, "assessment", required=True)
        codes = {u.code for u in units}
        covered = set()
        for i, arr in enumerate(arrangements):
            for j, code in enumerate(arr.units):
                if code not in codes:
                    raise c.fail(f"assessment[{i}].units[{j}]", f"unit {code!r} is not one of the agreement's units")
            covered.update(arr.units or codes)
        missing = sorted(codes - covered)
        if missing:
            raise c.fail("assessment", f"no assessment arrangement for unit(s) {', '.join(missing)}")
        _set(self, "assessment", arrangements)
        if self.guardian is not None and not isinstance(self.guardian, Person):
            raise c.fail("guardian", "must be a Person")
        if self.intermediary is not None and not isinstance(self.intermediary, Institution):
            raise c.fail("intermediary", "must be an Institution")
        _set(self, "title", LangText.of(self.title, "title", optional=True) or LangText.of(
            _("ECVET learning agreement: {learner} at {host}").format(learner=self.learner.full_name, host=self.host.name),
            "title", language=current_language()))
        _set(self, "place", LangText.of(self.place, "place", optional=True))
        if self.activity_type is not None:
            _set(self, "activity_type", concept(self.activity_type, ACTIVITY_TYPES, "activity_type", "activity type"))
        _set(self, "daily_hours", c.number(self.daily_hours, "daily_hours", minimum=0, maximum=24, optional=True))
        if self.mou is not None and not isinstance(self.mou, CredentialRef):
            raise c.fail("mou", "must be a CredentialRef")
        _set(self, "enclosures", check_items(self.enclosures, Enclosure, "enclosures"))
        _set(self, "additional_note", c.text(self.additional_note, "additional_note", optional=True))
        _set(self, "prior_progress", c.text(self.prior_progress, "prior_progress", optional=True))
        # Everyone who must sign needs a DID: the agreement names who is expected to sign.
        if self.learner.did is None:
            raise c.fail("learner.did", "is required: the learner signs the learning agreement")
        if self.is_minor:
            if self.guardian is None:
                raise c.fail("guardian", f"is required: the learner is {self.learner.age_on(self.start)} "
                                         f"on the start date {self.start}")
            if self.guardian.did is None:
                raise c.fail("guardian.did", "is required: the guardian of a minor learner signs the agreement")
        signatories = check_items(self.signatories, Signatory, "signatories")
        unique_signers(signatories, "signatories")
        parties = {self.host.id, self.home.id, self.learner.did, getattr(self.guardian, "did", None),
                   getattr(self.intermediary, "id", None)}
        for i, s in enumerate(signatories):
            if s.did not in parties:
                raise c.fail(f"signatories[{i}].did", f"{s.did} is none of the agreement's parties")
        _set(self, "signatories", signatories)

    @property
    def is_minor(self) -> bool:
        return self.minor_on(self.start)

    def minor_on(self, day: date) -> bool:
        return self.learner.age_on(day) < AGE_OF_MAJORITY

    def assessment_until(self, code: str) -> date:
        """The last day unit `code` may be assessed: the end of the mobility, or later when an
        arrangement for it allows assessment after the learner's return."""
        days = [arr.until for arr in self.assessment if arr.until and (not arr.units or code in arr.units)]
        return max([self.end, *days])

    def signatory(self, did: str) -> Signatory | None:
        return next((s for s in self.signatories if s.did == did), None)

    @property
    def total_points(self) -> Decimal | None:
        return sum_points(u.ecvet_points for u in self.units)

    def unit(self, code: str) -> UnitOfLearningOutcomes | None:
        return next((u for u in self.units if u.code == code), None)

    def methods_for(self, code: str) -> set[str]:
        """Assessment method IRIs agreed for unit `code`."""
        return {m for arr in self.assessment if not arr.units or code in arr.units for m in arr.methods}

    def required_signers(self) -> list[Signer]:
        """Roles that must sign, with the DID expected for each (guardian only for a minor learner)."""
        signers = [Signer("host", self.host.id), Signer("home", self.home.id), Signer("learner", self.learner.did)]
        if self.is_minor:
            signers.append(Signer("guardian", self.guardian.did if self.guardian else None))
        return signers

    def optional_signers(self) -> list[Signer]:
        """Parties who may sign without being required to: the intermediary organisation (the
        template has its block), and a named guardian of a learner of age on the start date (who is
        required after all when the learner signs before turning 18: la_signatures)."""
        signers = []
        if self.guardian is not None and self.guardian.did and not self.is_minor:
            signers.append(Signer("guardian", self.guardian.did))
        if self.intermediary is not None:
            signers.append(Signer("intermediary", self.intermediary.id))
        return signers


def build_agreement_credential(la: LearningAgreement, *, credential_id: str | None = None,
                               valid_from: datetime | str | None = None,
                               valid_until: datetime | str | None = None) -> dict:
    """The unsigned EcvetLearningAgreement credential (issuer: the home institution)."""
    if not isinstance(la, LearningAgreement):
        raise TypeError("build_agreement_credential needs a LearningAgreement")
    cid, vf, vu = envelope_args(credential_id, valid_from, valid_until)
    w = Writer(cid)
    issuer = w.org(la.home, "home")
    subject = w.learner(la.learner)
    if la.guardian is not None:
        subject["guardian"] = w.person(la.guardian)
    unit_keys = {u.code: f"u{i + 1}" for i, u in enumerate(la.units)}
    assert la.title is not None  # __post_init__ gives every agreement a title
    claim: dict[str, Any] = {"id": w.frag("mobility"), "type": "LearningActivity", "title": la.title.to_json()}
    if la.activity_type:
        claim["dcType"] = la.activity_type
    claim["description"] = la.learning_activities.to_literal()
    claim["temporal"] = {"id": w.frag("period"), "type": "PeriodOfTime",
                         "startDate": iso_date(la.start), "endDate": iso_date(la.end)}
    claim["location"] = w.place(la.host.country, la.place, "host")
    if la.daily_hours is not None:
        claim["dailyLearningHours"] = la.daily_hours
    claim["directedBy"] = w.org(la.host, "host")
    claim["homeInstitution"] = la.home.id
    if la.intermediary is not None:
        claim["intermediary"] = w.org(la.intermediary, "intermediary")
    claim["qualification"] = w.qualification(la.qualification)
    claim["influences"] = [w.unit_spec(u, unit_keys[u.code]) for u in la.units]
    arrangements = []
    for i, arr in enumerate(la.assessment):
        node = {"id": w.frag(f"asm{i + 1}"), "type": "LearningAssessmentSpecification",
                "dcType": list(arr.methods), "assessor": [w.person(p) for p in arr.assessors],
                "assessmentTiming": arr.timing.to_literal(), "recordingMethod": arr.recording.to_literal()}
        if arr.criteria:
            node["description"] = arr.criteria.to_literal()
        if arr.units:
            node["appliesTo"] = [w.frag(f"{unit_keys[code]}-spec") for code in arr.units]
        if arr.until:
            node["assessmentUntil"] = iso_date(arr.until)
        arrangements.append(node)
    claim["assessmentArrangement"] = arrangements
    claim["validationArrangement"] = _arrangement(w, "validation", "ValidationArrangement", la.validation)
    claim["recognitionArrangement"] = _arrangement(w, "recognition", "RecognitionArrangement", la.recognition)
    if la.mou is not None:
        claim["basedOnMoU"] = {"id": la.mou.id, "digestMultibase": la.mou.digest_multibase} \
            if la.mou.digest_multibase else {"id": la.mou.id}
    if la.signatories:
        claim["signatory"] = write_signatories(w, la.signatories)
    if la.enclosures:
        claim["enclosure"] = write_enclosures(w, la.enclosures)
    if la.prior_progress:
        claim["priorProgress"] = la.prior_progress
    if la.additional_note:
        claim["additionalNote"] = la.additional_note
    subject["hasClaim"] = claim
    return envelope(CREDENTIAL_TYPE, credential_id=cid, issuer=issuer, subject=subject, valid_from=vf, valid_until=vu)


def _arrangement(w: Writer, frag: str, type_: str, arr: Arrangement) -> dict:
    return {"id": w.frag(frag), "type": type_, "responsible": [w.person(p) for p in arr.responsible],
            "description": arr.how.to_literal()}


def agreement_from_credential(doc: dict) -> LearningAgreement:
    """The LearningAgreement carried by an EcvetLearningAgreement credential (signed or not)."""
    r = Reader(doc, CREDENTIAL_TYPE)
    subject = r.node(r.get(doc, "credentialSubject", "$"), "credentialSubject")
    claim = r.node(r.get(subject, "hasClaim", "credentialSubject"), "credentialSubject.hasClaim")
    cp = "credentialSubject.hasClaim"
    home = r.org(r.get(doc, "issuer", "$"), "issuer")
    if claim.get("homeInstitution") != home.id:
        raise r.fail(f"{cp}.homeInstitution", "must be the issuer (the home institution drafts the agreement)")
    period = r.node(r.get(claim, "temporal", cp), f"{cp}.temporal")
    location = r.node(claim.get("location"), f"{cp}.location", optional=True)
    place = r.text(location.get("geographicName"), f"{cp}.location.geographicName", optional=True) if location else None
    specs = r.items(claim.get("influences"), "")
    units = [r.unit(s, f"{cp}.influences[{i}]") for i, s in enumerate(specs)]
    code_by_spec = {r.node(s, "").get("id"): u.code for s, u in zip(specs, units)}
    arrangements = []
    for i, value in enumerate(r.items(claim.get("assessmentArrangement"), "")):
        path = f"{cp}.assessmentArrangement[{i}]"
        node = r.node(value, path)
        applies = []
        for j, ref in enumerate(r.items(node.get("appliesTo"), "")):
            if ref not in code_by_spec:
                raise r.fail(f"{path}.appliesTo[{j}]", f"{ref!r} is not one of the agreement's units")
            applies.append(code_by_spec[ref])
        arrangements.append(r.build(path, AssessmentArrangement,
                                    assessors=tuple(r.person(p, f"{path}.assessor[{j}]")
                                                    for j, p in enumerate(r.items(node.get("assessor"), ""))),
                                    timing=LangText.from_literal(node.get("assessmentTiming")), methods=tuple(r.items(node.get("dcType"), "")),
                                    recording=LangText.from_literal(node.get("recordingMethod")), units=tuple(applies),
                                    criteria=LangText.from_literal(node.get("description")),
                                    until=node.get("assessmentUntil")))
    guardian = subject.get("guardian")
    return r.build("credentialSubject", LearningAgreement,
                   home=home, host=r.org(r.get(claim, "directedBy", cp), f"{cp}.directedBy"),
                   learner=r.learner(subject, "credentialSubject"),
                   start=period.get("startDate"), end=period.get("endDate"),
                   qualification=r.qualification(r.get(claim, "qualification", cp), f"{cp}.qualification"),
                   units=tuple(units), learning_activities=LangText.from_literal(claim.get("description")),
                   assessment=tuple(arrangements),
                   validation=_read_arrangement(r, claim, "validationArrangement", cp),
                   recognition=_read_arrangement(r, claim, "recognitionArrangement", cp),
                   guardian=r.person(guardian, "credentialSubject.guardian") if guardian is not None else None,
                   intermediary=r.org(claim["intermediary"], f"{cp}.intermediary") if claim.get("intermediary") else None,
                   title=r.text(claim.get("title"), f"{cp}.title", optional=True),
                   activity_type=claim.get("dcType"), place=place, daily_hours=claim.get("dailyLearningHours"),
                   mou=r.ref(claim.get("basedOnMoU"), f"{cp}.basedOnMoU", optional=True),
                   signatories=read_signatories(r, claim.get("signatory"), f"{cp}.signatory"),
                   enclosures=read_enclosures(r, claim.get("enclosure"), f"{cp}.enclosure"),
                   additional_note=claim.get("additionalNote"), prior_progress=claim.get("priorProgress"))


def _read_arrangement(r: Reader, claim: dict, key: str, cp: str) -> Arrangement:
    path = f"{cp}.{key}"
    node = r.node(r.get(claim, key, cp), path)
    return r.build(path, Arrangement, responsible=tuple(r.person(p, f"{path}.responsible[{i}]")
                                                        for i, p in enumerate(r.items(node.get("responsible"), ""))),
                   how=LangText.from_literal(node.get("description")))

