"""One YAML/JSON authoring file per document, mirroring the ECVET templates (see examples/)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ecvet_credentials.core.errors import AuthoringError
from ecvet_credentials.i18n import use_language
from ecvet_credentials.model import EcvetDocument, LearningAgreement, PersonalTranscript, Recognition, UnitResult
from ecvet_credentials.model import _checks as c
from ecvet_credentials.ecvet.authoring import sections as sec
from ecvet_credentials.ecvet.authoring.files import in_file, load_mapping, parse_json_text, read_bytes

KINDS = ("learning-agreement", "transcript", "recognition", "memorandum-of-understanding")


@dataclass(frozen=True)
class AuthoredDocument:
    kind: str                     # "learning-agreement", "transcript", "recognition" or "memorandum-of-understanding"
    model: EcvetDocument
    valid_from: datetime | None   # optional `valid_from:` of the file (issuance time otherwise)
    valid_until: datetime | None


def _load_json_credential(path: Path) -> dict:
    doc = parse_json_text(read_bytes(path), path)
    if not isinstance(doc, dict):
        raise AuthoringError(f"{path}: not a JSON credential")
    return doc


def every_part(**parts) -> dict:
    """Build each independent part of a document, reporting every part's problem at once (one error
    naming them all) rather than only the first; the whole document's rules run after."""
    values: dict[str, Any] = {}
    problems: list[AuthoringError] = []
    for name, make in parts.items():
        try:
            values[name] = make()
        except AuthoringError as exc:
            problems += exc.details.get("problems") or [exc]
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise AuthoringError(f"{len(problems)} problems: " + "; ".join(str(p) for p in problems),
                             details={"problems": problems, "field": problems[0].details.get("field", "")})
    return values


def _each(sections, build) -> tuple:
    """Every item of a list section built, every item's problem reported."""
    return tuple(every_part(**{str(i): (lambda s=s: build(s)) for i, s in enumerate(sections)}).values())


def agreement(doc: sec.Section) -> LearningAgreement:
    mobility = doc.section("mobility")
    guardian = doc.section("guardian", optional=True)
    intermediary = doc.section("intermediary", optional=True)
    la_mobility = dict(start=mobility.get("start"), end=mobility.get("end"),
                       activity_type=mobility.get("type"), place=mobility.text("place", optional=True),
                       daily_hours=mobility.get("daily_hours"),
                       learning_activities=mobility.text("learning_activities"))
    parts = every_part(
        mobility=lambda: mobility.build(lambda: None),  # unknown keys in mobility:
        home=lambda: sec.institution(doc.section("home")), host=lambda: sec.institution(doc.section("host")),
        learner=lambda: sec.learner(doc.section("learner")),
        qualification=lambda: sec.qualification(doc.section("qualification")),
        units=lambda: _each(doc.sections("units"), sec.unit),
        assessment=lambda: _each(doc.sections("assessment"), sec.assessment_arrangement),
        validation=lambda: sec.arrangement(doc.section("validation")),
        recognition=lambda: sec.arrangement(doc.section("recognition")),
        guardian=lambda: sec.person(guardian) if guardian else None,
        intermediary=lambda: sec.institution(intermediary) if intermediary else None,
        title=lambda: doc.text("title", optional=True))
    parts.pop("mobility")
    return doc.build(
        LearningAgreement,
        {"start": "mobility.start", "end": "mobility.end", "period": "mobility", "learning_activities":
         "mobility.learning_activities", "activity_type": "mobility.type", "daily_hours": "mobility.daily_hours"},
        **parts, mou=_mou_ref(doc), signatories=sec.signatories(doc), enclosures=sec.enclosures(doc),
        additional_note=doc.get("additional_information"), prior_progress=doc.get("prior_progress"), **la_mobility)


def _mou_ref(doc: sec.Section):
    """`mou: {file: mou.json}` or `{id, digest}`: the MoU the agreement is made under."""
    mou = doc.section("mou", optional=True)
    return sec.credential_ref(mou, doc.base_dir, _load_json_credential) if mou else None


def memorandum(doc: sec.Section):
    """The MoU: partners (institution fields plus roles and responsibilities), qualifications, period."""
    from ecvet_credentials.model import MemorandumOfUnderstanding, MouPartner

    partners = []
    for p in doc.sections("partners"):
        roles = p.get("roles")
        partners.append(p.build(MouPartner, institution=sec.institution(p.section("institution")),
                                roles=tuple(roles) if isinstance(roles, list) else roles,
                                responsibilities=p.get("responsibilities")))
    period = doc.section("period")
    return doc.build(MemorandumOfUnderstanding, {"start": "period.start", "end": "period.end"},
                     partners=tuple(partners),
                     qualifications=tuple(sec.qualification(q) for q in doc.sections("qualifications")),
                     units=tuple(sec.unit(u) for u in doc.sections("units", optional=True)),
                     start=period.get("start"), end=period.get("end"), title=doc.text("title", optional=True),
                     signatories=sec.signatories(doc), enclosures=sec.enclosures(doc))


def unit_result(u: sec.Section, default_scheme) -> UnitResult:
    unit = sec.unit(_only(u, sec.UNIT_KEYS))
    asm = sec.assessment(u.section("assessment"), default_scheme)
    further = tuple(sec.assessment(a, default_scheme) for a in u.sections("further_assessments", optional=True))
    awarded = u.get("points_awarded")
    if awarded is None and unit.ecvet_points is not None:
        awarded = unit.ecvet_points if asm.passed else 0
    return u.build(UnitResult, unit=unit, points_awarded=awarded, assessment=asm, further=further)


def _only(s: sec.Section, keys) -> sec.Section:
    """The part of `s` holding `keys` (a unit's definition inside a transcript unit entry)."""
    part = sec.Section({k: v for k, v in s.data.items() if k in keys}, s.path, s.language)
    s._used.update(keys)
    return part


def transcript(doc: sec.Section, base_dir: Path) -> PersonalTranscript:
    mobility = doc.section("mobility")
    scheme = doc.section("grading_scheme", optional=True)
    default_scheme = sec.grading_scheme(scheme) if scheme else None
    home = doc.section("home", optional=True)
    ref = doc.section("agreement", optional=True)
    fields = dict(start=mobility.get("start"), end=mobility.get("end"), duration_weeks=mobility.get("duration_weeks"),
                  daily_hours=mobility.get("daily_hours"), workload_hours=mobility.get("workload_hours"),
                  activity_type=mobility.get("type"), place=mobility.text("place", optional=True),
                  context=mobility.text("context"))
    parts = every_part(
        mobility=lambda: mobility.build(lambda: None),
        host=lambda: sec.institution(doc.section("host")), learner=lambda: sec.learner(doc.section("learner")),
        units=lambda: _each(doc.sections("units"), lambda u: unit_result(u, default_scheme)),
        home=lambda: sec.institution(home) if home else None,
        agreement=lambda: sec.credential_ref(ref, base_dir, _load_json_credential) if ref else None,
        title=lambda: doc.text("title", optional=True))
    parts.pop("mobility")
    return doc.build(PersonalTranscript, {"mobility.activity_type": "mobility.type"}, **parts, **_placement(doc), **fields)


def _placement(doc: sec.Section) -> dict:
    """The transcript's template fields beyond the units: host company, tutor/mentor, coordinator,
    skills assessment sheets, signatories, enclosures, additional information."""
    company, mentor = doc.section("host_company", optional=True), doc.section("mentor", optional=True)
    return dict(host_company=sec.company(company) if company else None, mentor=sec.person(mentor) if mentor else None,
                coordinator=doc.get("coordinator"),
                sheets=tuple(sec.assessment_sheet(x) for x in doc.sections("assessment_sheets", optional=True)),
                signatories=sec.signatories(doc), enclosures=sec.enclosures(doc),
                additional_note=doc.get("additional_information"))


def recognition(doc: sec.Section, base_dir: Path) -> Recognition:
    decision = doc.section("decision")
    fields = dict(decision_date=decision.get("date"), responsible=sec.person(decision.section("responsible")))
    parts = every_part(
        decision=lambda: decision.build(lambda: None),
        home=lambda: sec.institution(doc.section("home")), learner=lambda: sec.learner(doc.section("learner")),
        qualification=lambda: sec.qualification(doc.section("qualification")),
        units=lambda: _each(doc.sections("units"), sec.recognised_unit),
        transcript=lambda: sec.credential_ref(doc.section("transcript"), base_dir, _load_json_credential),
        agreement=lambda: sec.credential_ref(doc.section("agreement"), base_dir, _load_json_credential),
        title=lambda: doc.text("title", optional=True))
    parts.pop("decision")
    return doc.build(Recognition, {"decision_date": "decision.date"}, **parts, **fields)


def load(path: str | Path, *, expect: str | None = None) -> AuthoredDocument:
    """Read an authoring file; `document:` says which kind it is (checked against `expect`)."""
    path = Path(path)
    with in_file(path):
        data = load_mapping(path)
        kind = data.get("document")
        if kind not in KINDS:
            raise c.fail("document", f"must be one of {', '.join(KINDS)}, got {kind!r}")
        if expect is not None and kind != expect:
            raise c.fail("document", f"is {kind!r}, expected {expect!r}")
        language = c.lang(data.get("language", "en"), "language")
        doc = sec.Section(data, "", language)
        doc.base_dir = path.parent
        doc.get("document"), doc.get("language")
        valid_from = c.timestamp(doc.get("valid_from"), "valid_from", optional=True)
        valid_until = c.timestamp(doc.get("valid_until"), "valid_until", optional=True)
        model: EcvetDocument
        with use_language(language):  # texts made for the document (a default title) in its language
            if kind == "learning-agreement":
                model = agreement(doc)
            elif kind == "transcript":
                model = transcript(doc, path.parent)
            elif kind == "memorandum-of-understanding":
                model = memorandum(doc)
            else:
                model = recognition(doc, path.parent)
        return AuthoredDocument(kind, model, valid_from, valid_until)


def read_agreement(path: str | Path) -> LearningAgreement:
    model = load(path, expect="learning-agreement").model
    assert isinstance(model, LearningAgreement)  # (load checked the kind)
    return model


def read_transcript(path: str | Path) -> PersonalTranscript:
    model = load(path, expect="transcript").model
    assert isinstance(model, PersonalTranscript)
    return model


def read_recognition(path: str | Path) -> Recognition:
    model = load(path, expect="recognition").model
    assert isinstance(model, Recognition)
    return model
