"""A cohort of Personal Transcripts from a spreadsheet (CSV, .xlsx or .ods): one row per learner and unit.

The sheet carries what differs per learner; a template YAML (`document: cohort`) carries what the
cohort shares: host, home, mobility, grading scheme (with its scale), default assessment, and the
unit catalogue. Rows of the same learner_id form one transcript. Every problem is reported, not
only the first: each cell is read on its own (values.py), then the learner's rows are built into the
model, then the registrar's rules run (rules.py). Problems name the file, row (the header is row 1)
and column. A file whose learners' rows are together is streamed (flat memory); otherwise the rows
of a learner are held until its last row has been read.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from decimal import Decimal
from typing import Any, Iterator

from ecvet_credentials.core.errors import AuthoringError
from ecvet_credentials.i18n import _, use_language
from ecvet_credentials.model import (
    Assessment,
    CredentialRef,
    GradingScheme,
    Institution,
    LangText,
    Learner,
    Person,
    PersonalTranscript,
    UnitOfLearningOutcomes,
    UnitResult,
)
from ecvet_credentials.model import _checks as c
from ecvet_credentials.ecvet.authoring import sections as sec
from ecvet_credentials.ecvet.authoring import values as v
from ecvet_credentials.ecvet.authoring.documents import _load_json_credential
from ecvet_credentials.ecvet.authoring.files import in_file, load_mapping
from ecvet_credentials.ecvet.authoring.cohort_groups import COLUMNS, OPTIONAL, REQUIRED, count_learners, learner_groups  # noqa: F401 - re-exported
from ecvet_credentials.ecvet.authoring.rules import (
    PROBLEM_COLUMNS,
    AgreementRules,
    GradeScale,
    age_warning,
    grade_passes,
)

LEARNER_COLUMNS = ("given_name", "family_name", "date_of_birth", "learner_did", "learner_id_scheme", "start", "end",
                   "duration_weeks", "daily_hours", "agreement_id", "agreement_digest", "learner_address",
                   "learner_telephone")
DATE_COLUMNS = ("date_of_birth", "assessment_date", "start", "end")
NUMBER_COLUMNS = ("points_awarded", "duration_weeks", "daily_hours")
_ASSESSMENT_COLUMNS = {"method": "method", "date": "assessment_date", "grade": "grade", "passed": "passed",
                       "criteria": "criteria", "assessor": "assessor_name"}
_MOBILITY_COLUMNS = {"mobility.start": "start", "mobility.end": "end", "mobility.duration_weeks": "duration_weeks",
                     "mobility.daily_hours": "daily_hours", "agreement.id": "agreement_id",
                     "agreement.digest_multibase": "agreement_digest", "learner.did": "learner_did"}


@dataclass(frozen=True)
class CohortOptions:
    sheet: str | None = None             # a spreadsheet's sheet (default: the first)
    date_order: str | None = None        # DMY or MDY for slashed dates; None refuses ambiguous ones
    agreements: tuple[dict, ...] = ()    # signed Learning Agreements the transcripts may name
    allow_deviation: str | None = None   # the reason to issue although the agreement is not matched


@dataclass(frozen=True)
class CohortEntry:
    """One learner of the cohort: the rows used, and the transcript or every error that stopped it.

    `warnings` (e.g. an implausible age) do not stop issuance; `deviations` are agreement problems
    issued anyway under `CohortOptions.allow_deviation`. `content_digest` changes whenever the
    learner's rows change (after reading: 16.11.2026 and 2026-11-16 are the same)."""

    learner_id: str
    rows: tuple[int, ...]
    transcript: PersonalTranscript | None = None
    errors: tuple[AuthoringError, ...] = ()
    warnings: tuple[AuthoringError, ...] = ()
    deviations: tuple[str, ...] = ()
    content_digest: str | None = None

    @property
    def error(self) -> AuthoringError | None:
        return self.errors[0] if self.errors else None


@dataclass(frozen=True)
class CohortTemplate:
    template: dict   # the raw template (valid_from/valid_until are read by the issuer)
    host: Institution
    home: Institution | None
    language: str
    scheme: GradingScheme
    default_method: str | None
    default_criteria: str | None
    default_assessor: Person | None
    units: dict[str, UnitOfLearningOutcomes]
    mobility: dict[str, Any]
    title: LangText | None
    agreement: CredentialRef | None
    scale: GradeScale | None = None
    agreement_doc: dict | None = field(default=None, repr=False)


def load_template(path: Path) -> CohortTemplate:
    path = Path(path)
    loaded: list[dict] = []

    def load_agreement(file: Path) -> dict:
        loaded.append(_load_json_credential(file))
        return loaded[-1]

    with in_file(path):
        data = load_mapping(path)
        if data.get("document") != "cohort":
            raise c.fail("document", f"must be 'cohort' for a cohort template, got {data.get('document')!r}")
        language = c.lang(data.get("language", "en"), "language")
        doc = sec.Section(data, "", language)
        doc.get("document"), doc.get("language")
        mobility = doc.section("mobility")
        fields = dict(start=mobility.get("start"), end=mobility.get("end"),
                      duration_weeks=mobility.get("duration_weeks"), daily_hours=mobility.get("daily_hours"),
                      workload_hours=mobility.get("workload_hours"), activity_type=mobility.get("type"),
                      place=mobility.text("place", optional=True), context=mobility.text("context"))
        mobility.build(lambda: None)
        default = doc.section("assessment", optional=True)
        method = criteria = assessor = None
        if default is not None:
            method, criteria = default.get("method"), default.get("criteria")
            assessor_section = default.section("assessor", optional=True)
            assessor = sec.person(assessor_section) if assessor_section else None
            default.build(lambda: None)
        units = {}
        for u in doc.sections("units"):
            unit = sec.unit(u)
            if unit.code in units:
                raise c.fail(u.sub("code"), f"unit code {unit.code!r} appears twice")
            units[unit.code] = unit
        home = doc.section("home", optional=True)
        ref = doc.section("agreement", optional=True)
        scheme = doc.section("grading_scheme")
        scale = GradeScale.from_template(scheme.get("scale"), scheme.sub("scale"))  # authoring only, not issued
        template = CohortTemplate(
            template=data, host=sec.institution(doc.section("host")), home=sec.institution(home) if home else None,
            language=language, scheme=sec.grading_scheme(scheme),
            default_method=method, default_criteria=criteria, default_assessor=assessor, units=units,
            mobility=fields, title=doc.text("title", optional=True),
            agreement=sec.credential_ref(ref, path.parent, load_agreement) if ref else None, scale=scale,
            agreement_doc=loaded[0] if loaded else None)
        doc.get("valid_from"), doc.get("valid_until")  # read by the issuer, not here
        doc.build(lambda: None)
        return template


# --- reading the sheet --------------------------------------------------------------------------
def _problem(path, number, column: str, message: str) -> AuthoringError:
    return AuthoringError(_("{file}, row {row}: {column}: {message}").format(file=path, row=number, column=column,
                                                                            message=message),
                          details={"file": str(path), "row": number, "field": column})


def _as_problem(path, number, exc: AuthoringError, column: str | None = None) -> AuthoringError:
    field_ = column or exc.details.get("field", "")
    message = str(exc)
    if message.startswith(f"{exc.details.get('field', '')}: "):
        message = message[len(exc.details.get("field", "")) + 2:]
    return _problem(path, number, field_, message)


def _read_cells(path, number, raw: dict, options: CohortOptions) -> tuple[dict, list[AuthoringError]]:
    """Every cell of a row read on its own: (values, problems)."""
    cells: dict = {}
    problems = []
    for name, value in raw.items():
        try:
            if name in DATE_COLUMNS:
                cells[name] = v.local_date(value, name, v.CellOptions(options.date_order))
            elif name in NUMBER_COLUMNS:
                cells[name] = v.number(value, name)
            elif name == "passed":
                cells[name] = v.yes_no(value, name)
            else:
                cells[name] = v.text(value)
        except AuthoringError as exc:
            problems.append(_as_problem(path, number, exc))
            cells[name] = None
    for name in REQUIRED:
        if cells.get(name) is None and not any(p.details["field"] == name for p in problems):
            problems.append(_problem(path, number, name, _("is required")))
    return cells, problems


def iter_cohort(path: str | Path, template_path: str | Path, *, options: CohortOptions = CohortOptions()
                ) -> Iterator[CohortEntry]:
    """Each learner's transcript, or every error for that learner (so a batch can go on past it).

    An unreadable file or template raises AuthoringError instead."""
    path, template_path = Path(path), Path(template_path)
    template = load_template(template_path)
    rules = AgreementRules()
    for doc in (template.agreement_doc, *options.agreements):
        rules.add(doc)
    for learner_id, rows in learner_groups(path, options.sheet):
        numbers = tuple(n for n, _ in rows)
        if not learner_id:
            yield CohortEntry("", numbers, errors=tuple(_problem(path, n, "learner_id", "is required") for n in numbers))
            continue
        yield _learner(path, template, rows, options, rules, learner_id)


def _content_digest(cells_by_row: list[dict]) -> str:
    canonical = json.dumps([{k: str(x) for k, x in sorted(cells.items()) if x is not None} for cells in cells_by_row],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _learner(path: Path, t: CohortTemplate, rows, options: CohortOptions, rules: AgreementRules,
             learner_id: str) -> CohortEntry:
    numbers = tuple(n for n, _ in rows)
    problems: list[AuthoringError] = []
    warnings: list[AuthoringError] = []
    read = []
    for number, raw in rows:
        cells, cell_problems = _read_cells(path, number, raw, options)
        problems += cell_problems
        read.append((number, cells))
    first_number, first = read[0]
    results = []
    for number, cells in read:
        for column in LEARNER_COLUMNS:
            if cells.get(column) != first.get(column) and number != first_number:
                problems.append(_problem(path, number, column, _(
                    "differs from row {row} for the same learner_id ({value} vs {first})").format(
                    row=first_number, value=repr(cells.get(column)), first=repr(first.get(column)))))
        if not any(p.details["row"] == number for p in problems):
            try:
                results.append(_unit_result(t, cells))
            except AuthoringError as exc:
                problems.append(_as_problem(path, number, exc))
    entry: dict[str, Any] = dict(learner_id=learner_id, rows=numbers, content_digest=_content_digest([c for _, c in read]))
    if problems:
        return CohortEntry(**entry, errors=tuple(problems))
    try:
        transcript = _transcript(t, first, results)
    except AuthoringError as exc:
        return CohortEntry(**entry, errors=(_transcript_problem(path, read, exc),))
    if (warning := age_warning(transcript.learner, transcript.start)) is not None:
        warnings.append(_problem(path, first_number, "date_of_birth", f"AGE_IMPLAUSIBLE: {warning}"))
    deviations: list[str] = []
    if transcript.agreement is not None:
        from ecvet_credentials.model import build_transcript_credential

        found = rules.problems(build_transcript_credential(transcript), transcript.agreement.id)
        if found is None:
            warnings.append(_problem(path, first_number, "agreement_id", "AGREEMENT_NOT_CHECKED: " + _(
                "agreement {id} was not given (--agreement), so units, points and dates were not compared with it"
            ).format(id=transcript.agreement.id)))
        for code, message in found or ():
            if options.allow_deviation:
                deviations.append(f"{code}: {message}")
                continue
            problems.append(_problem(path, _row_of(read, code, message), PROBLEM_COLUMNS.get(code, "agreement_id"),
                                     f"{code}: {message} " + _("(the agreement-match check would refuse it; "
                                                               "--allow-deviation REASON issues it anyway)")))
    if problems:
        return CohortEntry(**entry, errors=tuple(problems), warnings=tuple(warnings))
    return CohortEntry(**entry, transcript=transcript, warnings=tuple(warnings), deviations=tuple(deviations))


def _row_of(read, code: str, message: str) -> int:
    """The row of the unit an agreement problem names (the learner's first row otherwise)."""
    match = re.search(r"[Uu]nit (\S+?)[: ]", message)
    if match and code in ("UNIT_NOT_AGREED", "UNIT_CHANGED", "ASSESSED_AFTER_AGREED_DATE"):
        for number, cells in read:
            if cells.get("unit_code") == match.group(1):
                return number
    return read[0][0]


def _renamed(exc: AuthoringError, mapping: dict) -> AuthoringError:
    field_ = exc.details.get("field", "")
    for old, new in mapping.items():
        if field_ == old or field_.startswith(old + "."):
            return AuthoringError(str(exc).replace(field_, new, 1), details={**exc.details, "field": new})
    return exc


def _unit_result(t: CohortTemplate, row: dict) -> UnitResult:
    code = row["unit_code"]
    unit = t.units.get(code)
    if unit is None:
        raise c.fail("unit_code", _("unit {code} is not in the template's units ({units})").format(
            code=repr(code), units=", ".join(t.units)))
    assessor = t.default_assessor
    if row.get("assessor_name"):
        assessor = Person(row["assessor_name"], role=row.get("assessor_role"))
    by_grade = grade_passes(t.scale, row["grade"])
    passed = row.get("passed")
    if passed is None:
        passed = True if by_grade is None else by_grade
    elif by_grade is not None and t.scale is not None and passed != by_grade:  # (a grade passes only on a scale)
        message = _("says yes, but grade {grade} does not pass ({scale})") if passed else \
            _("says no, but grade {grade} passes ({scale})")
        raise c.fail("passed", message.format(grade=repr(row["grade"]), scale=t.scale.describe()))
    try:
        assessment = Assessment(method=row.get("method") or t.default_method,  # type: ignore[arg-type]  # it checks
                                date=row["assessment_date"],
                                grade=LangText.of(row["grade"], "grade", language=t.language),
                                grading_scheme=t.scheme, passed=passed,
                                criteria=row.get("criteria") or t.default_criteria, assessor=assessor)
    except AuthoringError as exc:
        raise _renamed(exc, _ASSESSMENT_COLUMNS) from None
    awarded = row.get("points_awarded")
    if awarded is None:
        awarded = unit.ecvet_points if assessment.passed else Decimal(0)
    try:
        return UnitResult(unit, awarded, assessment)
    except AuthoringError as exc:
        raise _renamed(exc, {"points_awarded": "points_awarded"}) from None


def _transcript(t: CohortTemplate, first: dict, results: list[UnitResult]) -> PersonalTranscript:
    try:
        address = LangText.of(first.get("learner_address"), "address", language=t.language, optional=True)
        learner = Learner(first["given_name"], first["family_name"], first["date_of_birth"], first["learner_id"],
                          first.get("learner_id_scheme"), first.get("learner_did"), address=address,
                          telephone=first.get("learner_telephone"))
    except AuthoringError as exc:
        raise _renamed(exc, {"did": "learner_did", "address": "learner_address", "telephone": "learner_telephone"}) from None
    mobility = dict(t.mobility)
    for column in ("start", "end", "duration_weeks", "daily_hours"):
        if first.get(column) is not None:
            mobility[column] = first[column]
    agreement = t.agreement
    if first.get("agreement_id"):
        agreement = CredentialRef(first["agreement_id"], first.get("agreement_digest"))
    with use_language(t.language):  # a default title in the template's language
        return PersonalTranscript(host=t.host, learner=learner, units=tuple(results), home=t.home,
                                  agreement=agreement, title=t.title, **mobility)


def _transcript_problem(path: Path, read, exc: AuthoringError) -> AuthoringError:
    field_ = exc.details.get("field", "")
    match = re.match(r"^units\[(\d+)\]\.(.*)$", field_)
    if match:  # a unit-level rule: point at that unit's row and column
        number = read[int(match.group(1))][0]
        column = {"assessment.date": "assessment_date", "code": "unit_code"}.get(match.group(2), match.group(2))
        return _as_problem(path, number, exc, column)
    renamed = _renamed(exc, _MOBILITY_COLUMNS)
    return _as_problem(path, read[0][0], renamed)


def read_cohort(path: str | Path, template_path: str | Path, *, options: CohortOptions = CohortOptions()
                ) -> list[PersonalTranscript]:
    """All transcripts of the cohort; the first problem raises AuthoringError (file, row, column)."""
    out = []
    for entry in iter_cohort(path, template_path, options=options):
        if entry.error is not None:
            raise entry.error
        assert entry.transcript is not None  # (an entry without errors has its transcript)
        out.append(entry.transcript)
    return out
