"""The ECVET Personal Transcript (PT): the units achieved abroad, how each was assessed and graded,
the ECVET points, and the mobility stay. Issued and signed by the host institution."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ..i18n import _, current_language
from . import _checks as c
from .common import (CredentialRef, GradingScheme, Institution, LangText, Learner, Person, UnitOfLearningOutcomes,
                     _set, check_items, unique_codes)
from .concepts import ACTIVITY_TYPES, ASSESSMENT_METHODS, GRADE_NOT_ACHIEVED, GRADE_PASSED, concept
from .wire import Reader, Writer, envelope, envelope_args, iso_date

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

    def __post_init__(self):
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
    points_awarded: Decimal
    assessment: Assessment

    def __post_init__(self):
        if not isinstance(self.unit, UnitOfLearningOutcomes):
            raise c.fail("unit", "must be a UnitOfLearningOutcomes")
        if not isinstance(self.assessment, Assessment):
            raise c.fail("assessment", "must be an Assessment")
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
    replaces: CredentialRef | None = None   # a corrected re-issue names the credential it replaces

    def __post_init__(self):
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
            if not self.start <= result.assessment.date <= self.end:
                raise c.fail(f"units[{i}].assessment.date",
                             f"{result.assessment.date} is outside the mobility period {self.start} to {self.end}")
        _set(self, "units", units)
        _set(self, "title", LangText.of(self.title, "title", optional=True) or LangText.of(
            _("ECVET personal transcript: {learner} at {host}").format(learner=self.learner.full_name, host=self.host.name),
            "title", language=current_language()))
        _set(self, "place", LangText.of(self.place, "mobility.place", optional=True))
        if self.activity_type is not None:
            _set(self, "activity_type", concept(self.activity_type, ACTIVITY_TYPES, "mobility.activity_type",
                                                "activity type"))

    @property
    def total_points(self) -> Decimal:
        return sum((u.points_awarded for u in self.units), Decimal(0))

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
    mobility = {"id": w.frag("mobility"), "type": "LearningActivity"}
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
    claim = {"id": w.frag("transcript"), "type": "LearningAchievement", "title": pt.title.to_json(),
             "influencedBy": mobility}
    if pt.agreement is not None:
        claim["basedOnAgreement"] = w.ref(pt.agreement)
    if pt.replaces is not None:
        claim["replaces"] = w.ref(pt.replaces)
    claim["hasPart"] = [_unit_node(w, f"u{i + 1}", result, pt.host) for i, result in enumerate(pt.units)]
    subject["hasClaim"] = claim
    return envelope(CREDENTIAL_TYPE, credential_id=cid, issuer=issuer, subject=subject, valid_from=vf, valid_until=vu)


def _unit_node(w: Writer, key: str, result: UnitResult, host: Institution) -> dict:
    a = result.assessment
    spec = w.assessment_spec(a.method, a.criteria, a.grading_scheme)
    assessment = {"id": w.frag(f"{key}-asm"), "type": "LearningAssessment",
                  "grade": {"id": w.frag(f"{key}-grade"), "type": "Note", "noteLiteral": a.grade.to_json()},
                  "gradeStatus": GRADE_PASSED if a.passed else GRADE_NOT_ACHIEVED,
                  "dateIssued": iso_date(a.date),
                  "assessedBy": w.person(a.assessor) if a.assessor is not None else host.id,
                  "specifiedBy": spec}
    spec = w.unit_spec(result.unit, key)
    # Points awarded = points allocated (the usual case): refer to the same CreditPoint node.
    received = spec["creditPoint"]["id"] if result.points_awarded == result.unit.ecvet_points \
        else w.credit(f"{key}-cr", result.points_awarded)
    return {"id": w.frag(key), "type": "LearningAchievement", "specifiedBy": spec,
            "creditReceived": received, "provenBy": assessment}


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
    units = [_read_unit(r, value, f"{cp}.hasPart[{i}]", host)
             for i, value in enumerate(r.items(claim.get("hasPart"), ""))]
    return r.build("credentialSubject", PersonalTranscript,
                   host=host, learner=r.learner(subject, "credentialSubject"),
                   start=period.get("startDate"), end=period.get("endDate"),
                   duration_weeks=mobility.get("durationWeeks"), daily_hours=mobility.get("dailyLearningHours"),
                   context=LangText.from_literal(mobility.get("description")), units=tuple(units),
                   home=r.org(home, f"{mp}.homeInstitution") if home is not None else None,
                   agreement=r.ref(claim.get("basedOnAgreement"), f"{cp}.basedOnAgreement", optional=True),
                   replaces=r.ref(claim.get("replaces"), f"{cp}.replaces", optional=True),
                   title=r.text(claim.get("title"), f"{cp}.title", optional=True),
                   activity_type=mobility.get("dcType"), place=place, workload_hours=hours)


def _read_unit(r: Reader, value, path: str, host: Institution) -> UnitResult:
    node = r.node(value, path)
    unit = r.unit(r.get(node, "specifiedBy", path), f"{path}.specifiedBy")
    awarded = r.points(r.get(node, "creditReceived", path), f"{path}.creditReceived")
    ap = f"{path}.provenBy"
    asm = r.node(r.get(node, "provenBy", path), ap)
    spec = r.node(r.get(asm, "specifiedBy", ap), f"{ap}.specifiedBy")
    grade = r.node(r.get(asm, "grade", ap), f"{ap}.grade")
    status = asm.get("gradeStatus")
    if status not in (GRADE_PASSED, GRADE_NOT_ACHIEVED):
        raise r.fail(f"{ap}.gradeStatus", f"must be {GRADE_PASSED} (passed) or {GRADE_NOT_ACHIEVED}, got {status!r}")
    assessed_by = r.get(asm, "assessedBy", ap)
    assessor = None if assessed_by == host.id else r.person(assessed_by, f"{ap}.assessedBy")
    assessment = r.build(ap, Assessment, method=spec.get("dcType"), date=asm.get("dateIssued"),
                         grade=r.text(grade.get("noteLiteral"), f"{ap}.grade.noteLiteral"),
                         grading_scheme=r.grading_scheme(r.get(spec, "gradingScheme", f"{ap}.specifiedBy"),
                                                         f"{ap}.specifiedBy.gradingScheme"),
                         passed=status == GRADE_PASSED, criteria=spec.get("description"), assessor=assessor)
    return r.build(path, UnitResult, unit=unit, points_awarded=awarded, assessment=assessment)
