"""The ECVET Personal Transcript (PT): the units achieved abroad, how each was assessed and graded,
the ECVET points, and the mobility stay. Issued and signed by the host institution."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ecvet_credentials.i18n import _, current_language
from ecvet_credentials.model import _checks as c
from ecvet_credentials.model.common import (
    CredentialRef,
    GradingScheme,
    Institution,
    LangText,
    Learner,
    Person,
    UnitOfLearningOutcomes,
    _set,
    check_items,
    sum_points,
    unique_codes,
)
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
from ecvet_credentials.model.assessment_sheet import (
    Company,
    SkillsAssessmentSheet,
    read_company,
    read_sheets,
    write_company,
    write_sheets,
)
from ecvet_credentials.model.concepts import (
    ACTIVITY_TYPES,
    ASSESSMENT_METHODS,
    GRADE_NOT_ACHIEVED,
    GRADE_PASSED,
    concept,
)
from ecvet_credentials.model.wire import Reader, Writer, envelope, envelope_args, iso_date

CREDENTIAL_TYPE = "EcvetPersonalTranscript"
_WORKLOAD = re.compile(r"^PT(\d+(?:\.\d+)?)H$")


@dataclass(frozen=True)
class Assessment:
    """How and when a unit was assessed, by whom, and the result on a named grading scheme.

    assessor None means the host institution itself (an institutional assessment board)."""

    method: str
    date: date
    grade: LangText
    grading_scheme: GradingScheme
    passed: bool = True
    criteria: str | None = None
    assessor: Person | None = None
    organisation: str | None = None   # the assessor's organisation (host school, host company...)

    def __post_init__(self):
        _set(self, "organisation", c.text(self.organisation, "organisation", optional=True, max_len=300))
        _set(self, "method", concept(self.method, ASSESSMENT_METHODS, "method", "assessment method"))
        _set(self, "date", c.day(self.date, "date"))
        _set(self, "grade", LangText.of(self.grade, "grade"))
        if not isinstance(self.grading_scheme, GradingScheme):
            raise c.fail("grading_scheme", "is required: a grade must name its grading scheme")
        if not isinstance(self.passed, bool):
            raise c.fail("passed", "must be true or false")
        _set(self, "criteria", c.text(self.criteria, "criteria", optional=True))
        if self.assessor is not None and not isinstance(self.assessor, Person):
            raise c.fail("assessor", "must be a Person")


@dataclass(frozen=True)
class UnitResult:
    """One unit as achieved abroad: the unit (its outcomes as achieved), points awarded, assessment."""

    unit: UnitOfLearningOutcomes
    points_awarded: Decimal | None
    assessment: Assessment                   # the assessment that decides the result
    further: tuple[Assessment, ...] = ()     # other assessments of the unit (several methods, dates, assessors)

    def __post_init__(self):
        if not isinstance(self.unit, UnitOfLearningOutcomes):
            raise c.fail("unit", "must be a UnitOfLearningOutcomes")
        _set(self, "further", check_items(self.further, Assessment, "further"))
        if not isinstance(self.assessment, Assessment):
            raise c.fail("assessment", "must be an Assessment")
        if self.unit.ecvet_points is None:
            if self.points_awarded not in (None, ""):
                raise c.fail("points_awarded", "the unit has no ECVET points (points are used only where the "
                                               "national system defines them), so none can be awarded")
            _set(self, "points_awarded", None)
            return
        awarded = c.points(self.points_awarded, "points_awarded")
        if awarded > self.unit.ecvet_points:
            raise c.fail("points_awarded", f"{awarded} is more than the unit's {self.unit.ecvet_points} ECVET points")
        if not self.assessment.passed and awarded != 0:
            raise c.fail("points_awarded", "must be 0 for a unit that was not achieved (passed: false)")
        _set(self, "points_awarded", awarded)


@dataclass(frozen=True)
class PersonalTranscript:
    host: Institution
    learner: Learner
    start: date
    end: date
    duration_weeks: float
    daily_hours: float
    context: LangText
    units: tuple[UnitResult, ...]
    home: Institution | None = None
    agreement: CredentialRef | None = None
    title: LangText | None = None
    activity_type: str | None = None
    place: LangText | None = None
    workload_hours: float | None = None
    host_company: Company | None = None
    mentor: Person | None = None                       # tutor/mentor at the host
    coordinator: str | None = None                     # the coordinating organisation
    sheets: tuple[SkillsAssessmentSheet, ...] = ()     # signed by the workplace supervisor (proof set)
    signatories: tuple[Signatory, ...] = ()            # face of the host's and the learner's signatures
    enclosures: tuple[Enclosure, ...] = ()
    additional_note: str | None = None
    replaces: CredentialRef | None = None   # a corrected re-issue names the credential it replaces

    def __post_init__(self):
        if self.host_company is not None and not isinstance(self.host_company, Company):
            raise c.fail("host_company", "must be a Company")
        if self.mentor is not None and not isinstance(self.mentor, Person):
            raise c.fail("mentor", "must be a Person")
        _set(self, "coordinator", c.text(self.coordinator, "coordinator", optional=True, max_len=300))
        _set(self, "sheets", check_items(self.sheets, SkillsAssessmentSheet, "sheets"))
        signatories = check_items(self.signatories, Signatory, "signatories")
        unique_signers(signatories, "signatories")
        _set(self, "signatories", signatories)
        _set(self, "enclosures", check_items(self.enclosures, Enclosure, "enclosures"))
        _set(self, "additional_note", c.text(self.additional_note, "additional_note", optional=True))
        if not isinstance(self.host, Institution):
            raise c.fail("host", "must be an Institution")
        if not isinstance(self.learner, Learner):
            raise c.fail("learner", "must be a Learner")
        if self.home is not None and not isinstance(self.home, Institution):
            raise c.fail("home", "must be an Institution")
        if self.agreement is not None and not isinstance(self.agreement, CredentialRef):
            raise c.fail("agreement", "must be a CredentialRef")
        if self.replaces is not None and not isinstance(self.replaces, CredentialRef):
            raise c.fail("replaces", "must be a CredentialRef")
        _set(self, "start", c.day(self.start, "mobility.start"))
        _set(self, "end", c.day(self.end, "mobility.end"))
        if self.end < self.start:
            raise c.fail("mobility.end", f"is before mobility.start ({self.start})")
        weeks = c.number(self.duration_weeks, "mobility.duration_weeks", minimum=0, maximum=104)
        if weeks * 7 > (self.end - self.start).days + 7:
            raise c.fail("mobility.duration_weeks", f"{weeks} weeks do not fit between {self.start} and {self.end}")
        _set(self, "duration_weeks", weeks)
        _set(self, "daily_hours", c.number(self.daily_hours, "mobility.daily_hours", minimum=0, maximum=24))
        _set(self, "workload_hours", c.number(self.workload_hours, "mobility.workload_hours", minimum=0,
                                              maximum=5000, optional=True))
        _set(self, "context", LangText.of(self.context, "mobility.context"))
        units = check_items(self.units, UnitResult, "units", required=True)
        unique_codes((u.unit.code for u in units), "units")
        for i, result in enumerate(units):
            # An assessment after the learner's return is allowed (the manual does); whether this one
            # was agreed is the agreement-match's question (AssessmentArrangement.until).
            for a in (result.assessment, *result.further):
                if a.date < self.start:
                    raise c.fail(f"units[{i}].assessment.date", f"{a.date} is before the mobility started ({self.start})")
        codes = {u.unit.code for u in units}
        for i, sheet in enumerate(self.sheets):
            for j, code in enumerate(sheet.units):
                if code not in codes:
                    raise c.fail(f"sheets[{i}].units[{j}]", f"unit {code!r} is not one of the transcript's units")
        _set(self, "units", units)
        _set(self, "title", LangText.of(self.title, "title", optional=True) or LangText.of(
            _("ECVET personal transcript: {learner} at {host}").format(learner=self.learner.full_name, host=self.host.name),
            "title", language=current_language()))
        _set(self, "place", LangText.of(self.place, "mobility.place", optional=True))
        if self.activity_type is not None:
            _set(self, "activity_type", concept(self.activity_type, ACTIVITY_TYPES, "mobility.activity_type",
                                                "activity type"))

    @property
    def total_points(self) -> Decimal | None:
        return sum_points(u.points_awarded for u in self.units)

    def required_signers(self) -> list[Signer]:
        return [Signer("host", self.host.id)]

    def optional_signers(self) -> list[Signer]:
        """The learner's acknowledgement and each workplace supervisor's signature of their sheet."""
        signers = [Signer("learner", self.learner.did)] if self.learner.did else []
        return signers + [Signer(f"supervisor {i + 1}", s.supervisor.did) for i, s in enumerate(self.sheets)]

    def result(self, code: str) -> UnitResult | None:
        return next((u for u in self.units if u.unit.code == code), None)


def _hours(value) -> str:
    return f"PT{value}H"


def build_transcript_credential(pt: PersonalTranscript, *, credential_id: str | None = None,
                                valid_from: datetime | str | None = None,
                                valid_until: datetime | str | None = None) -> dict:
    """The unsigned EcvetPersonalTranscript credential (issuer: the host institution)."""
    if not isinstance(pt, PersonalTranscript):
        raise TypeError("build_transcript_credential needs a PersonalTranscript")
    cid, vf, vu = envelope_args(credential_id, valid_from, valid_until)
    w = Writer(cid)
    issuer = w.org(pt.host, "host")
    subject = w.learner(pt.learner)
    mobility: dict[str, Any] = {"id": w.frag("mobility"), "type": "LearningActivity"}
    if pt.activity_type:
        mobility["dcType"] = pt.activity_type
    mobility["description"] = pt.context.to_literal()
    mobility["temporal"] = {"id": w.frag("period"), "type": "PeriodOfTime",
                            "startDate": iso_date(pt.start), "endDate": iso_date(pt.end)}
    mobility["location"] = w.place(pt.host.country, pt.place, "host")
    if pt.workload_hours is not None:
        mobility["workload"] = _hours(pt.workload_hours)
    mobility["durationWeeks"] = pt.duration_weeks
    mobility["dailyLearningHours"] = pt.daily_hours
    mobility["directedBy"] = pt.host.id
    if pt.home is not None:
        mobility["homeInstitution"] = w.org(pt.home, "home", details=False)
    if pt.host_company is not None:
        mobility["hostCompany"] = write_company(w, pt.host_company)
    if pt.mentor is not None:
        mobility["mentor"] = w.person(pt.mentor)
    if pt.coordinator:
        mobility["coordinator"] = {"id": w.frag("coordinator"), "type": "Organisation", "name": pt.coordinator}
    assert pt.title is not None  # __post_init__ gives every transcript a title
    claim = {"id": w.frag("transcript"), "type": "LearningAchievement", "title": pt.title.to_json(),
             "influencedBy": mobility}
    if pt.agreement is not None:
        claim["basedOnAgreement"] = w.ref(pt.agreement)
    if pt.replaces is not None:
        claim["replaces"] = w.ref(pt.replaces)
    claim["hasPart"] = [_unit_node(w, f"u{i + 1}", result, pt.host) for i, result in enumerate(pt.units)]
    if pt.sheets:
        spec_ids = {r.unit.code: w.frag(f"u{i + 1}-spec") for i, r in enumerate(pt.units)}
        claim["assessmentSheet"] = write_sheets(w, pt.sheets, spec_ids)
    if pt.signatories:
        claim["signatory"] = write_signatories(w, pt.signatories)
    if pt.enclosures:
        claim["enclosure"] = write_enclosures(w, pt.enclosures)
    if pt.additional_note:
        claim["additionalNote"] = pt.additional_note
    subject["hasClaim"] = claim
    return envelope(CREDENTIAL_TYPE, credential_id=cid, issuer=issuer, subject=subject, valid_from=vf, valid_until=vu)


def _assessment_node(w: Writer, key: str, a: Assessment, host: Institution) -> dict:
    spec = w.assessment_spec(a.method, a.criteria, a.grading_scheme)
    node = {"id": w.frag(f"{key}-asm"), "type": "LearningAssessment",
            "grade": {"id": w.frag(f"{key}-grade"), "type": "Note", "noteLiteral": a.grade.to_json()},
            "gradeStatus": GRADE_PASSED if a.passed else GRADE_NOT_ACHIEVED,
            "dateIssued": iso_date(a.date),
            "assessedBy": w.person(a.assessor) if a.assessor is not None else host.id,
            "specifiedBy": spec}
    if a.organisation:
        node["assessorOrganisation"] = a.organisation
    return node


def _unit_node(w: Writer, key: str, result: UnitResult, host: Institution) -> dict:
    deciding = _assessment_node(w, key, result.assessment, host)
    assessment: dict | list[dict] = deciding
    if result.further:  # the deciding assessment first, then the others
        assessment = [deciding, *(_assessment_node(w, f"{key}-{j + 2}", a, host) for j, a in enumerate(result.further))]
    spec = w.unit_spec(result.unit, key)
    node = {"id": w.frag(key), "type": "LearningAchievement", "specifiedBy": spec}
    if result.points_awarded is not None:
        # Points awarded = points allocated (the usual case): refer to the same CreditPoint node.
        node["creditReceived"] = spec["creditPoint"]["id"] if result.points_awarded == result.unit.ecvet_points \
            else w.credit(f"{key}-cr", result.points_awarded)
    node["provenBy"] = assessment
    return node


def transcript_from_credential(doc: dict) -> PersonalTranscript:
    """The PersonalTranscript carried by an EcvetPersonalTranscript credential (signed or not)."""
    r = Reader(doc, CREDENTIAL_TYPE)
    subject = r.node(r.get(doc, "credentialSubject", "$"), "credentialSubject")
    cp = "credentialSubject.hasClaim"
    claim = r.node(r.get(subject, "hasClaim", "credentialSubject"), cp)
    host = r.org(r.get(doc, "issuer", "$"), "issuer")
    mp = f"{cp}.influencedBy"
    mobility = r.node(r.get(claim, "influencedBy", cp), mp)
    if mobility.get("directedBy") != host.id:
        raise r.fail(f"{mp}.directedBy", "must be the issuer (the host institution issues the transcript)")
    period = r.node(r.get(mobility, "temporal", mp), f"{mp}.temporal")
    location = r.node(mobility.get("location"), f"{mp}.location", optional=True)
    place = r.text(location.get("geographicName"), f"{mp}.location.geographicName", optional=True) if location else None
    workload = mobility.get("workload")
    hours = None
    if workload is not None:
        match = _WORKLOAD.match(workload) if isinstance(workload, str) else None
        if match is None:
            raise r.fail(f"{mp}.workload", f"must be a number of hours such as 'PT280H', got {workload!r}")
        hours = match.group(1)
    home = mobility.get("homeInstitution")
    parts = r.items(claim.get("hasPart"), "")
    units = [_read_unit(r, value, f"{cp}.hasPart[{i}]", host) for i, value in enumerate(parts)]
    code_by_spec = {r.node(p, "").get("specifiedBy", {}).get("id"): u.unit.code for p, u in zip(parts, units)
                    if isinstance(r.node(p, "").get("specifiedBy"), dict)}
    company, mentor = mobility.get("hostCompany"), mobility.get("mentor")
    coordinator = r.node(mobility["coordinator"], f"{mp}.coordinator") if mobility.get("coordinator") else None
    return r.build("credentialSubject", PersonalTranscript,
                   host=host, learner=r.learner(subject, "credentialSubject"),
                   start=period.get("startDate"), end=period.get("endDate"),
                   duration_weeks=mobility.get("durationWeeks"), daily_hours=mobility.get("dailyLearningHours"),
                   context=LangText.from_literal(mobility.get("description")), units=tuple(units),
                   home=r.org(home, f"{mp}.homeInstitution") if home is not None else None,
                   agreement=r.ref(claim.get("basedOnAgreement"), f"{cp}.basedOnAgreement", optional=True),
                   replaces=r.ref(claim.get("replaces"), f"{cp}.replaces", optional=True),
                   title=r.text(claim.get("title"), f"{cp}.title", optional=True),
                   activity_type=mobility.get("dcType"), place=place, workload_hours=hours,
                   host_company=read_company(r, company, f"{mp}.hostCompany") if company is not None else None,
                   mentor=r.person(mentor, f"{mp}.mentor") if mentor is not None else None,
                   coordinator=coordinator.get("name") if coordinator else None,
                   sheets=read_sheets(r, claim.get("assessmentSheet"), f"{cp}.assessmentSheet", code_by_spec),
                   signatories=read_signatories(r, claim.get("signatory"), f"{cp}.signatory"),
                   enclosures=read_enclosures(r, claim.get("enclosure"), f"{cp}.enclosure"),
                   additional_note=claim.get("additionalNote"))


def _read_unit(r: Reader, value, path: str, host: Institution) -> UnitResult:
    node = r.node(value, path)
    unit = r.unit(r.get(node, "specifiedBy", path), f"{path}.specifiedBy")
    awarded = r.points(node["creditReceived"], f"{path}.creditReceived") if node.get("creditReceived") is not None else None
    proven = r.items(r.get(node, "provenBy", path), "")
    many = isinstance(node.get("provenBy"), list)
    found = [_read_assessment(r, value, f"{path}.provenBy" + (f"[{j}]" if many else ""), host)
             for j, value in enumerate(proven)]
    if not found:
        raise r.fail(f"{path}.provenBy", "needs at least one assessment")
    return r.build(path, UnitResult, unit=unit, points_awarded=awarded, assessment=found[0], further=tuple(found[1:]))


def _read_assessment(r: Reader, value, ap: str, host: Institution) -> Assessment:
    asm = r.node(value, ap)
    spec = r.node(r.get(asm, "specifiedBy", ap), f"{ap}.specifiedBy")
    grade = r.node(r.get(asm, "grade", ap), f"{ap}.grade")
    status = asm.get("gradeStatus")
    if status not in (GRADE_PASSED, GRADE_NOT_ACHIEVED):
        raise r.fail(f"{ap}.gradeStatus", f"must be {GRADE_PASSED} (passed) or {GRADE_NOT_ACHIEVED}, got {status!r}")
    assessed_by = r.get(asm, "assessedBy", ap)
    assessor = None if assessed_by == host.id else r.person(assessed_by, f"{ap}.assessedBy")
    return r.build(ap, Assessment, method=spec.get("dcType"), date=asm.get("dateIssued"),
                   grade=r.text(grade.get("noteLiteral"), f"{ap}.grade.noteLiteral"),
                   grading_scheme=r.grading_scheme(r.get(spec, "gradingScheme", f"{ap}.specifiedBy"),
                                                   f"{ap}.specifiedBy.gradingScheme"),
                   passed=status == GRADE_PASSED, criteria=spec.get("description"), assessor=assessor,
                   organisation=asm.get("assessorOrganisation"))
