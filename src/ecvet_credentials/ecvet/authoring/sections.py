"""Authoring sections (plain dicts from YAML/JSON/CSV) -> model objects.

Keys are the model's field names except where a person would write something else (`did` for an
institution's id). Unknown keys are errors: a typo must not silently drop a field.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Literal, Mapping, overload

from ecvet_credentials.core.errors import AuthoringError
from ecvet_credentials.model import (
    Arrangement,
    Assessment,
    AssessmentArrangement,
    CredentialRef,
    GradingScheme,
    Identifier,
    Institution,
    LangText,
    Learner,
    LearningOutcome,
    Person,
    Qualification,
    RecognisedUnit,
    UnitOfLearningOutcomes,
)
from ecvet_credentials.model._checks import fail, prefixed


class Section:
    """One mapping of an authoring file, with the path used in error messages and the text language."""

    base_dir: Path   # the document's folder, set by documents.load on the document's top section

    def __init__(self, data, path: str, language: str):
        if not isinstance(data, Mapping):
            raise fail(path or "document", "must be a mapping of fields")
        self.data = data
        self.path = path
        self.language = language
        self._used: set[str] = set()

    def sub(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default=None):
        self._used.add(key)
        return self.data.get(key, default)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    @overload
    def text(self, key: str, *, optional: Literal[False] = ...) -> LangText: ...
    @overload
    def text(self, key: str, *, optional: bool) -> LangText | None: ...

    def text(self, key: str, *, optional: bool = False) -> LangText | None:
        self._used.add(key)
        return LangText.of(self.data.get(key), self.sub(key), language=self.language, optional=optional)

    @overload
    def section(self, key: str, *, optional: Literal[False] = ...) -> "Section": ...
    @overload
    def section(self, key: str, *, optional: bool) -> "Section | None": ...

    def section(self, key: str, *, optional: bool = False) -> "Section | None":
        value = self.get(key)
        if value is None:
            if optional:
                return None
            raise fail(self.sub(key), "is required")
        return Section(value, self.sub(key), self.language)

    def sections(self, key: str, *, optional: bool = False) -> list["Section"]:
        value = self.get(key)
        if value is None:
            if optional:
                return []
            raise fail(self.sub(key), "is required (a list)")
        if not isinstance(value, list):
            raise fail(self.sub(key), "must be a list")
        return [Section(item, f"{self.sub(key)}[{i}]", self.language) for i, item in enumerate(value)]

    def build(self, factory: Callable, renames: Mapping[str, str] | None = None, **kwargs):
        """Call a model constructor; unknown keys and its errors are reported under this path."""
        unknown = sorted(str(k) for k in self.data if k not in self._used)
        if unknown:
            raise fail(self.sub(unknown[0]), f"unknown field (expected one of: {', '.join(sorted(self._used))})")
        try:
            with prefixed(self.path) if self.path else _nothing():
                return factory(**kwargs)
        except AuthoringError as exc:
            raise _renamed(exc, self.path, renames or {}) from None


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _renamed(exc: AuthoringError, path: str, renames: Mapping[str, str]) -> AuthoringError:
    field = exc.details.get("field", "")
    for model_name, file_name in renames.items():
        old = f"{path}.{model_name}" if path else model_name
        if field == old or field.startswith(old + ".") or field.startswith(old + "["):
            new = (f"{path}.{file_name}" if path else file_name) + field[len(old):]
            return AuthoringError(str(exc).replace(field, new, 1), details={**exc.details, "field": new})
    return exc


# --- common parts ----------------------------------------------------------------------------------
def person(s: Section) -> Person:
    return s.build(Person, name=s.get("name"), email=s.get("email"), role=s.get("role"), did=s.get("did"),
                   address=s.text("address", optional=True), telephone=s.get("telephone"))


def people(s: Section, key: str) -> tuple[Person, ...]:
    value = s.data.get(key)
    if isinstance(value, Mapping):  # a single person written without a list
        return (person(s.section(key)),)
    return tuple(person(p) for p in s.sections(key))


def institution(s: Section) -> Institution:
    idents = s.get("identifiers") or {}
    if not isinstance(idents, Mapping):
        raise fail(s.sub("identifiers"), "must be a mapping of scheme: value (e.g. Erasmus code: D  BEISPIEL01)")
    contact = s.section("contact", optional=True)
    return s.build(Institution, {"id": "did", "contact": "contact"}, id=s.get("did"), name=s.get("name"),
                   country=s.get("country"),
                   identifiers=tuple(Identifier(str(v), str(k)) for k, v in idents.items()),
                   contact=person(contact) if contact else None, address=s.get("address"),
                   telephone=s.get("telephone"), website=s.get("website"))


def learner(s: Section) -> Learner:
    return s.build(Learner, given_name=s.get("given_name"), family_name=s.get("family_name"),
                   date_of_birth=s.get("date_of_birth"), learner_id=s.get("learner_id"),
                   learner_id_scheme=s.get("learner_id_scheme"), did=s.get("did"),
                   address=s.text("address", optional=True), telephone=s.get("telephone"))


def outcomes(s: Section) -> tuple[LearningOutcome, ...]:
    """Learning outcomes as `outcomes:` (unclassified) and/or `knowledge:`, `skills:`, `competence:`."""
    found = []
    for key, kind in (("outcomes", None), ("knowledge", "knowledge"), ("skills", "skill"), ("competence", "competence")):
        value = s.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            raise fail(s.sub(key), "must be a list of learning outcome statements")
        for i, item in enumerate(value):
            found.append(LearningOutcome(LangText.of(item, f"{s.sub(key)}[{i}]", language=s.language), kind))
    return tuple(found)


UNIT_KEYS = ("code", "title", "ecvet_points", "eqf_level", "outcomes", "knowledge", "skills", "competence")


def unit(s: Section) -> UnitOfLearningOutcomes:
    los = outcomes(s)
    if not los:
        raise fail(s.sub("outcomes"), "a unit needs learning outcomes (outcomes:, or knowledge:/skills:/competence:)")
    return s.build(UnitOfLearningOutcomes, {"outcomes": "outcomes"}, code=s.get("code"), title=s.text("title"),
                   outcomes=los, ecvet_points=s.get("ecvet_points"), eqf_level=s.get("eqf_level"))


def qualification(s: Section) -> Qualification:
    return s.build(Qualification, title=s.text("title"), eqf_level=s.get("eqf_level"), nqf_level=s.get("nqf_level"),
                   code=s.get("code"))


def grading_scheme(s: Section) -> GradingScheme:
    return s.build(GradingScheme, title=s.text("title"), description=s.get("description"), id=s.get("id"))


def assessment_arrangement(s: Section) -> AssessmentArrangement:
    methods = s.get("methods")
    units = s.get("units") or ()
    return s.build(AssessmentArrangement, assessors=people(s, "assessors"), timing=s.text("timing"),
                   methods=tuple(methods) if isinstance(methods, list) else methods, recording=s.text("recording"),
                   units=tuple(str(u) for u in units) if isinstance(units, list) else units,
                   criteria=s.text("criteria", optional=True), until=s.get("assessment_until"))


def arrangement(s: Section) -> Arrangement:
    return s.build(Arrangement, responsible=people(s, "responsible"), how=s.text("how"))


def assessment(s: Section, default_scheme: GradingScheme | None) -> Assessment:
    scheme_section = s.section("grading_scheme", optional=True)
    scheme = grading_scheme(scheme_section) if scheme_section else default_scheme
    assessor = s.section("assessor", optional=True)
    passed = s.get("passed", True)
    return s.build(Assessment, method=s.get("method"), date=s.get("date"), grade=s.text("grade"),
                   grading_scheme=scheme, passed=passed, criteria=s.get("criteria"),
                   assessor=person(assessor) if assessor else None, organisation=s.get("organisation"))


def credential_ref(s: Section, base_dir, loader) -> CredentialRef:
    """`{id, digest}` or `{file: issued-credential.json}` (id and digest are then computed)."""
    if s.has("file"):
        from ecvet_credentials.model import reference_to

        doc = loader(base_dir / str(s.get("file")))
        return s.build(lambda: reference_to(doc))
    return s.build(CredentialRef, {"digest_multibase": "digest"}, id=s.get("id"), digest_multibase=s.get("digest"))


def recognised_unit(s: Section) -> RecognisedUnit:
    return s.build(RecognisedUnit, code=s.get("code"), title=s.text("title"), points=s.get("points"),
                   recognised=s.get("recognised", True), eqf_level=s.get("eqf_level"),
                   transcript_assessment=s.get("transcript_assessment"))


def signatories(s: Section) -> tuple:
    """`signatories:` the face of each signature (did, name, role, place, date), as on the template."""
    from ecvet_credentials.model.annexes import Signatory

    return tuple(x.build(Signatory, did=x.get("did"), name=x.get("name"), role=x.get("role"), place=x.get("place"),
                         date=x.get("date")) for x in s.sections("signatories", optional=True))


def enclosures(s: Section) -> tuple:
    """`enclosures:` references (type, title, url and/or digest) to the template's enclosures and annexes."""
    from ecvet_credentials.model.annexes import Enclosure

    return tuple(x.build(Enclosure, {"kind": "type", "digest_multibase": "digest"}, kind=x.get("type"),
                         title=x.get("title"), url=x.get("url"), digest_multibase=x.get("digest"))
                 for x in s.sections("enclosures", optional=True))


def company(s: Section):
    from ecvet_credentials.model.assessment_sheet import Company

    return s.build(Company, name=s.get("name"), address=s.get("address"), telephone=s.get("telephone"),
                   website=s.get("website"))


def assessment_sheet(s: Section):
    """`assessment_sheets:` the skills assessment sheet: supervisor (with did: they sign), scale,
    criteria: {criterion: rating}, date, place, units."""
    from ecvet_credentials.model.assessment_sheet import CriterionRating, SkillsAssessmentSheet

    criteria = s.get("criteria") or {}
    if not isinstance(criteria, Mapping):
        raise fail(s.sub("criteria"), "must be a mapping of criterion: rating")
    units = s.get("units") or ()
    return s.build(SkillsAssessmentSheet, supervisor=person(s.section("supervisor")), scale=s.get("scale"),
                   ratings=tuple(CriterionRating(str(k), str(v)) for k, v in criteria.items()), date=s.get("date"),
                   units=tuple(str(u) for u in units) if isinstance(units, list) else units, place=s.get("place"))
