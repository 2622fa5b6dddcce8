"""A cohort sheet to fill in, made from a signed Learning Agreement (`ecvet issue template`).

The workbook (openpyxl) has the cohort columns with one row per agreed unit for the agreement's
learner, drop-down lists (data validation) for the unit code, the assessment method and passed, and
a second sheet explaining each column. The cohort template YAML beside it carries what the cohort
shares (host, home, mobility, units, the agreement), so the filled sheet issues as it is.
"""
from __future__ import annotations

import math
from pathlib import Path

import yaml

from ecvet_credentials.model import agreement_from_credential, reference_to
from ecvet_credentials.model.concepts import ASSESSMENT_METHODS

SHEET_COLUMNS = ("learner_id", "given_name", "family_name", "date_of_birth", "learner_did", "unit_code",
                 "assessment_date", "grade", "method", "passed", "points_awarded", "assessor_name", "assessor_role",
                 "agreement_id", "agreement_digest", "learner_address", "learner_telephone")
EXPLANATIONS = {
    "learner_id": "The learner's number at the home school (required). Rows of one learner form one transcript.",
    "given_name": "Given name, as in the Learning Agreement (required).",
    "family_name": "Family name, as in the Learning Agreement (required).",
    "date_of_birth": "Date of birth: 2009-05-14 or 14.05.2009 (required).",
    "learner_did": "The learner's wallet DID (did:key:...), if they have one.",
    "unit_code": "An agreed unit (pick from the list; required).",
    "assessment_date": "When the unit was assessed: 2026-11-16 or 16.11.2026, within the mobility (required).",
    "grade": "The grade as written on the scheme, e.g. 2 (gut) (required). Checked against the scale.",
    "method": "How it was assessed (pick from the list; default from the cohort template).",
    "passed": "ja/nein, yes/no, oui/non ... (any EU language). Empty: from the grade and the scale.",
    "points_awarded": "ECVET points awarded (3 or 3,5); empty: the unit's points when passed, else 0. "
                      "Never more than agreed.",
    "assessor_name": "Who assessed (default from the cohort template).",
    "assessor_role": "The assessor's role, e.g. in-company tutor.",
    "agreement_id": "The Learning Agreement the transcript is made under (filled in; leave it).",
    "agreement_digest": "The agreement's digest (filled in; leave it).",
    "learner_address": "The learner's postal address, as in the Learning Agreement (optional; personal data: "
                       "printed on the transcript, never put in its QR code unless asked).",
    "learner_telephone": "The learner's telephone, e.g. +39 333 1234567 (optional; as the address).",
}


def write_template(agreement: dict, sheet_path: Path, template_path: Path, agreement_file: Path) -> None:
    """Write the cohort workbook and its template YAML for the signed Learning Agreement `agreement`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from ecvet_credentials.core.files import atomic_write_bytes, atomic_write_text

    la = agreement_from_credential(agreement)
    ref = reference_to(agreement)
    book = Workbook()
    sheet = book.active
    sheet.title = "Cohort"
    sheet.append(list(SHEET_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for unit in la.units:
        sheet.append({1: la.learner.learner_id, 2: la.learner.given_name, 3: la.learner.family_name,
                      4: la.learner.date_of_birth, 5: la.learner.did, 6: unit.code,
                      14: ref.id, 15: ref.digest_multibase,
                      16: str(la.learner.address) if la.learner.address else None, 17: la.learner.telephone})
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in row:
            cell.number_format = "DD.MM.YYYY"
    last = 1000
    column = {name: chr(ord("A") + i) for i, name in enumerate(SHEET_COLUMNS)}
    for name, values in (("unit_code", [u.code for u in la.units]), ("method", list(ASSESSMENT_METHODS)),
                         ("passed", ["yes", "no"])):
        listing = ",".join(values)
        if len(listing) > 250:  # Excel's limit for a literal list
            continue
        rule = DataValidation(type="list", formula1=f'"{listing}"', allow_blank=True,
                              error=f"Pick a value from the list for {name}", showErrorMessage=name != "passed")
        rule.add(f"{column[name]}2:{column[name]}{last}")
        sheet.add_data_validation(rule)
    for name in SHEET_COLUMNS:
        sheet.column_dimensions[column[name]].width = max(14, len(name) + 4)
    help_sheet = book.create_sheet("Columns")
    help_sheet.append(["column", "what to write"])
    for name in SHEET_COLUMNS:
        help_sheet.append([name, EXPLANATIONS[name]])
    help_sheet.column_dimensions["A"].width = 20
    help_sheet.column_dimensions["B"].width = 110
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write_bytes(sheet_path, buffer.getvalue())
    atomic_write_text(template_path, _template_yaml(la, agreement_file, template_path))


def _template_yaml(la, agreement_file: Path, template_path: Path) -> str:
    def institution(org) -> dict:
        out = {"did": org.id, "name": str(org.name), "country": org.country}
        if org.identifiers:
            out["identifiers"] = {i.scheme: i.value for i in org.identifiers}
        return out

    weeks = max(1, math.ceil(((la.end - la.start).days + 1) / 7))
    data = {
        "document": "cohort",
        "language": "en",
        "host": institution(la.host),
        "home": institution(la.home),
        "agreement": {"file": _relative(agreement_file, template_path.parent)},
        "mobility": {"start": la.start.isoformat(), "end": la.end.isoformat(), "duration_weeks": weeks,
                     "daily_hours": float(la.daily_hours or 7.5), "type": _activity(la.activity_type),
                     "context": str(la.learning_activities)},
        "grading_scheme": {"title": "FILL IN: the grading scheme, e.g. German school grades 1-6 (4 = pass)",
                           "scale": {"best": 1, "worst": 6, "pass": 4}},
        "assessment": {"method": _method(la)},
        "units": [{"code": u.code, "title": str(u.title), "ecvet_points": float(u.ecvet_points),
                   **({"eqf_level": u.eqf_level} if u.eqf_level else {}),
                   "outcomes": [str(o.text) for o in u.outcomes]} for u in la.units],
    }
    header = ("# Cohort template made by `ecvet issue template` from the signed Learning Agreement.\n"
              "# Check the grading scheme and its scale; the sheet beside it holds one row per learner and unit.\n")
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def _method(la) -> str:
    """The first agreed assessment method, as its short name (the default of the sheet's method column)."""
    by_iri = {iri: name for name, iri in ASSESSMENT_METHODS.items()}
    for arrangement in la.assessment:
        for method in arrangement.methods:
            return by_iri.get(method, method)
    return "practical"


def _activity(value) -> str | None:
    from ecvet_credentials.model.concepts import ACTIVITY_TYPES

    by_iri = {iri: name for name, iri in ACTIVITY_TYPES.items()}
    return by_iri.get(value, value)


def _relative(path: Path, base: Path) -> str:
    import os

    return os.path.relpath(path.resolve(), base.resolve())
