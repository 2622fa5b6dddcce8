"""A cohort of Personal Transcripts from a spreadsheet: one CSV row per learner and unit.

The CSV carries what differs per learner; a template YAML (`document: cohort`) carries what the
cohort shares: host, home, mobility, grading scheme, default assessment, and the unit catalogue.
Rows of the same learner_id are grouped (in file order) into one transcript. Columns are listed in
COLUMNS; errors name the file, row (the header is row 1) and column.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import AuthoringError
from ..i18n import use_language
from ..model import Assessment, LangText, Learner, Person, PersonalTranscript, UnitResult
from ..model import _checks as c
from . import sections as sec
from .documents import _load_json_credential
from .files import in_file, load_mapping, read_bytes

REQUIRED = ("learner_id", "given_name", "family_name", "date_of_birth", "unit_code", "assessment_date", "grade")
OPTIONAL = ("learner_did", "learner_id_scheme", "method", "passed", "points_awarded", "criteria",
            "assessor_name", "assessor_role", "start", "end", "duration_weeks", "daily_hours",
            "agreement_id", "agreement_digest")
COLUMNS = REQUIRED + OPTIONAL
LEARNER_COLUMNS = ("given_name", "family_name", "date_of_birth", "learner_did", "learner_id_scheme", "start", "end",
                   "duration_weeks", "daily_hours", "agreement_id", "agreement_digest")
_ASSESSMENT_COLUMNS = {"method": "method", "date": "assessment_date", "grade": "grade", "passed": "passed",
                       "criteria": "criteria", "assessor": "assessor_name"}
_MOBILITY_COLUMNS = {"mobility.start": "start", "mobility.end": "end", "mobility.duration_weeks": "duration_weeks",
                     "mobility.daily_hours": "daily_hours", "agreement.id": "agreement_id",
                     "agreement.digest_multibase": "agreement_digest", "learner.did": "learner_did"}
_TRUE, _FALSE = {"true", "yes", "y", "1", "passed", "pass"}, {"false", "no", "n", "0", "failed", "fail", "not achieved"}


@dataclass(frozen=True)
class CohortEntry:
    """One learner of the cohort: the CSV rows used, and the transcript or the error that stopped it."""

    learner_id: str
    rows: tuple[int, ...]
    transcript: PersonalTranscript | None = None
    error: AuthoringError | None = None


@dataclass(frozen=True)
class CohortTemplate:
    template: dict   # the raw template (valid_from/valid_until are read by the issuer)
    host: object
    home: object
    language: str
    scheme: object
    default_method: str | None
    default_criteria: str | None
    default_assessor: Person | None
    units: dict
    mobility: dict
    title: LangText | None
    agreement: object


def load_template(path: Path) -> CohortTemplate:
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
        template = CohortTemplate(
            template=data, host=sec.institution(doc.section("host")), home=sec.institution(home) if home else None,
            language=language, scheme=sec.grading_scheme(doc.section("grading_scheme")),
            default_method=method, default_criteria=criteria, default_assessor=assessor, units=units,
            mobility=fields, title=doc.text("title", optional=True),
            agreement=sec.credential_ref(ref, path.parent, _load_json_credential) if ref else None)
        doc.get("valid_from"), doc.get("valid_until")  # read by the issuer, not here
        doc.build(lambda: None)
        return template


def _rows(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AuthoringError(f"{path}: not UTF-8 text (save the spreadsheet as CSV UTF-8)") from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise AuthoringError(f"{path}: empty CSV (the first row must name the columns)")
    header = [h.strip().lower() for h in header]
    with in_file(path, 1):
        for name in header:
            if name not in COLUMNS:
                raise c.fail(name or "(empty column name)", f"unknown column (columns: {', '.join(COLUMNS)})")
        for name in REQUIRED:
            if name not in header:
                raise c.fail(name, "required column is missing")
        if len(set(header)) != len(header):
            raise c.fail("header", "a column appears twice")
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise AuthoringError(f"{path}, row {number}: more cells than columns", details={"row": number})
        yield number, {name: (cells[i].strip() or None) if i < len(cells) else None for i, name in enumerate(header)}


def _passed(value) -> bool:
    if value is None:
        return True
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise c.fail("passed", f"must be yes or no, got {value!r}")


def _renamed(exc: AuthoringError, mapping: dict) -> AuthoringError:
    field = exc.details.get("field", "")
    for old, new in mapping.items():
        if field == old or field.startswith(old + "."):
            return AuthoringError(str(exc).replace(field, new, 1), details={**exc.details, "field": new})
    return exc


def _unit_result(t: CohortTemplate, row: dict) -> UnitResult:
    code = row["unit_code"]
    unit = t.units.get(code)
    if unit is None:
        raise c.fail("unit_code", f"unit {code!r} is not in the template's units ({', '.join(t.units)})")
    assessor = t.default_assessor
    if row.get("assessor_name"):
        assessor = Person(row["assessor_name"], role=row.get("assessor_role"))
    try:
        assessment = Assessment(method=row.get("method") or t.default_method, date=row["assessment_date"],
                                grade=LangText.of(row["grade"], "grade", language=t.language),
                                grading_scheme=t.scheme, passed=_passed(row.get("passed")),
                                criteria=row.get("criteria") or t.default_criteria, assessor=assessor)
    except AuthoringError as exc:
        raise _renamed(exc, _ASSESSMENT_COLUMNS) from None
    awarded = row.get("points_awarded")
    if awarded is None:
        awarded = unit.ecvet_points if assessment.passed else 0
    try:
        return UnitResult(unit, awarded, assessment)
    except AuthoringError as exc:
        raise _renamed(exc, {"points_awarded": "points_awarded"}) from None


def _transcript(t: CohortTemplate, first: dict, results: list[UnitResult]) -> PersonalTranscript:
    try:
        learner = Learner(first["given_name"], first["family_name"], first["date_of_birth"], first["learner_id"],
                          first.get("learner_id_scheme"), first.get("learner_did"))
    except AuthoringError as exc:
        raise _renamed(exc, {"did": "learner_did"}) from None
    mobility = dict(t.mobility)
    for column in ("start", "end", "duration_weeks", "daily_hours"):
        if first.get(column) is not None:
            mobility[column] = first[column]
    agreement = t.agreement
    if first.get("agreement_id"):
        from ..model import CredentialRef

        agreement = CredentialRef(first["agreement_id"], first.get("agreement_digest"))
    with use_language(t.language):  # a default title in the template's language
        return PersonalTranscript(host=t.host, learner=learner, units=tuple(results), home=t.home,
                                  agreement=agreement, title=t.title, **mobility)


def iter_cohort(csv_path: str | Path, template_path: str | Path) -> Iterator[CohortEntry]:
    """Each learner's transcript, or the error for that learner (so a batch can go on past it).

    An unreadable file or template raises AuthoringError instead."""
    csv_path, template_path = Path(csv_path), Path(template_path)
    template = load_template(template_path)
    groups: dict[str, list[tuple[int, dict]]] = {}
    for number, row in _rows(csv_path):
        learner_id = row.get("learner_id")
        if not learner_id:
            with in_file(csv_path, number):
                raise c.fail("learner_id", "is required")
        groups.setdefault(learner_id, []).append((number, row))
    for learner_id, rows in groups.items():
        numbers = tuple(n for n, _ in rows)
        try:
            yield CohortEntry(learner_id, numbers, transcript=_learner(csv_path, template, rows))
        except AuthoringError as exc:
            yield CohortEntry(learner_id, numbers, error=exc)


def _learner(csv_path: Path, t: CohortTemplate, rows: list[tuple[int, dict]]) -> PersonalTranscript:
    first_number, first = rows[0]
    results = []
    for number, row in rows:
        with in_file(csv_path, number):
            for column in LEARNER_COLUMNS:
                if row.get(column) != first.get(column):
                    raise c.fail(column, f"differs from row {first_number} for the same learner_id "
                                         f"({row.get(column)!r} vs {first.get(column)!r})")
            results.append(_unit_result(t, row))
    try:
        return _transcript(t, first, results)
    except AuthoringError as exc:
        field = exc.details.get("field", "")
        match = re.match(r"^units\[(\d+)\]\.(.*)$", field)
        if match:  # a unit-level rule: point at that unit's row and column
            number = rows[int(match.group(1))][0]
            rest = match.group(2)
            column = {"assessment.date": "assessment_date", "code": "unit_code"}.get(rest, rest)
            exc = AuthoringError(str(exc).replace(field, column, 1), details={**exc.details, "field": column})
        else:
            number = first_number
            exc = _renamed(exc, _MOBILITY_COLUMNS)
        with in_file(csv_path, number):
            raise exc from None


def read_cohort(csv_path: str | Path, template_path: str | Path) -> list[PersonalTranscript]:
    """All transcripts of the cohort; the first problem raises AuthoringError (file, row, column)."""
    out = []
    for entry in iter_cohort(csv_path, template_path):
        if entry.error is not None:
            raise entry.error
        out.append(entry.transcript)
    return out
