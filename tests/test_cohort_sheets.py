"""The registrar's real spreadsheet: .xlsx (openpyxl) and .ods (odfpy) cohorts with German dates and words,
every mistake reported at once by row and column, --check issuing nothing, corrections re-issued with
--reissue (the old credential revoked and refused by the verifier), revocation by learner number or
batch row, and the cohort template round trip."""
from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import yaml

from ecvet_credentials.ecvet.authoring.cohort import CohortOptions, iter_cohort
from ecvet_credentials.cli.main import cli

HEADER = ["learner_id", "given_name", "family_name", "date_of_birth", "unit_code", "assessment_date", "grade",
          "method", "passed", "points_awarded"]


def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def template(tmp_path, repo_dir) -> Path:
    """The example cohort template with the German grade scale (1 best, 6 worst, 4 passes)."""
    data = yaml.safe_load((repo_dir / "examples" / "cohort-template.yaml").read_text(encoding="utf-8"))
    data["grading_scheme"]["scale"] = {"best": 1, "worst": 6, "pass": 4}
    path = tmp_path / "cohort-template.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def cohort_rows(n: int) -> list[list]:
    """n learners x 2 units, German style: dates 16.11.2026 (text) or real date cells, passed ja/nein."""
    rows = []
    for i in range(n):
        for j, unit in enumerate(("ENO-U1", "ENO-U2")):
            assessed = "1%d.11.2026" % (2 + j) if i % 2 else date(2026, 11, 12 + j)
            rows.append([f"L{i:04d}", "Lernende", f"N{i}", "01.03.2008", unit, assessed, "2 (gut)", "practical", "ja", None])
    return rows


def write_xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_ods(path: Path, rows: list[list]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Kohorte")
    for row in [HEADER, *rows]:
        tr = TableRow()
        for value in row:
            if value is None:
                tr.addElement(TableCell())
                continue
            if isinstance(value, date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


# (kind, column, how to break a row): 10 kinds, each made twice below
MISTAKES = [
    ("ambiguous slashed date", "assessment_date", lambda r: r.__setitem__(5, "05/11/2026")),
    ("no such day", "assessment_date", lambda r: r.__setitem__(5, "31.11.2026")),
    ("before the mobility", "assessment_date", lambda r: r.__setitem__(5, "16.08.2026")),
    ("passed is not a yes/no word", "passed", lambda r: r.__setitem__(8, "vielleicht")),
    ("failing grade marked passed", "passed", lambda r: r.__setitem__(6, "5 (mangelhaft)")),
    ("grade off the scale", "grade", lambda r: r.__setitem__(6, "9")),
    ("unit not in the catalogue", "unit_code", lambda r: r.__setitem__(4, "ENO-U9")),
    ("points not a number", "points_awarded", lambda r: r.__setitem__(9, "1.234,5")),
    ("date of birth unreadable", "date_of_birth", lambda r: r.__setitem__(3, "1.3.08")),
    ("grade missing", "grade", lambda r: r.__setitem__(6, None)),
]


def broken_cohort(n: int) -> tuple[list[list], set[tuple[int, str]]]:
    """The cohort with 20 mistakes of 10 kinds; returns the rows and the expected (sheet row, column)."""
    rows = cohort_rows(n)
    expected = set()
    for k, (_kind, column, breaker) in enumerate(MISTAKES * 2):
        index = 2 * (k * (n // 20)) + (k % 2)  # learner k * n/20, unit 1 or 2
        if column == "date_of_birth":  # learner columns must agree: break both of the learner's rows
            for i in (index - index % 2, index - index % 2 + 1):
                breaker(rows[i])
                expected.add((i + 2, column))  # each row's cell is reported
            continue
        breaker(rows[index])
        expected.add((index + 2, column))
    # two mistakes in one row, both reported: a bad date of birth and a bad assessment date
    rows[4 * 2][3] = rows[4 * 2 + 1][3] = "30.02.2008"
    rows[4 * 2][5] = "16/13/2026"
    expected |= {(10, "date_of_birth"), (11, "date_of_birth"), (10, "assessment_date")}
    return rows, expected


def reported(entries) -> set[tuple[int, str]]:
    return {(e.details["row"], e.details["field"]) for entry in entries for e in entry.errors}


def test_values_read_as_a_registrar_writes_them():
    from ecvet_credentials.ecvet.authoring import values as v
    from ecvet_credentials.core.errors import AuthoringError

    assert v.local_date("16.11.2026", "d") == v.local_date("16/11/2026", "d") == date(2026, 11, 16)
    assert v.local_date("11/16/2026", "d") == date(2026, 11, 16)
    assert v.local_date("05/11/2026", "d", v.CellOptions("MDY")) == date(2026, 5, 11)
    with pytest.raises(AuthoringError, match="ambiguous"):
        v.local_date("05/11/2026", "d")
    assert str(v.number("3,5", "p")) == "3.5" and v.number(" ", "p") is None
    for bad in ("1.234,5", "3,5,1", "3.5e2", "zwei"):
        with pytest.raises(AuthoringError, match="must be a number"):
            v.number(bad, "p")
    for word, meaning in (("ja", True), ("Nein", False), ("oui", True), ("NON", False), ("tak", True), ("ei", False),
                          ("ναι", True), ("όχι", False), ("igen", True), ("nu", False), (True, True), (0, False)):
        assert v.yes_no(word, "passed") is meaning, word
    assert v.text(2.0) == "2" and v.text(date(2026, 1, 2)) == "2026-01-02"


def test_every_mistake_of_an_excel_cohort_is_reported_at_once(tmp_path, template):
    rows, expected = broken_cohort(60)
    path = write_xlsx(tmp_path / "kohorte.xlsx", rows)
    entries = list(iter_cohort(path, template))
    assert reported(entries) == expected
    assert sum(1 for e in entries if e.errors) == 21  # 20 learners with one mistake, learner 4 with three
    assert all(e.transcript is not None for e in entries if not e.errors)


def test_the_same_cohort_as_ods_reads_the_same(tmp_path, template):
    rows, expected = broken_cohort(40)
    xlsx = list(iter_cohort(write_xlsx(tmp_path / "k.xlsx", rows), template))
    ods = list(iter_cohort(write_ods(tmp_path / "k.ods", rows), template))
    assert reported(ods) == reported(xlsx) == expected
    assert [e.content_digest for e in ods] == [e.content_digest for e in xlsx]


def test_csv_with_bom_semicolons_and_german_words(tmp_path, template):
    path = tmp_path / "k.csv"
    lines = [";".join(HEADER), "L1;Ana;Lima;01.03.2008;ENO-U1;16.11.2026;2 (gut);practical;ja;3,5",
             "L1;Ana;Lima;01.03.2008;ENO-U2;17.11.2026;5 (mangelhaft);practical;nein;"]
    path.write_bytes("\ufeff".encode() + "\n".join(lines).encode() + b"\n")
    (entry,) = iter_cohort(path, template)
    assert entry.errors == ()
    first, second = entry.transcript.units
    assert str(first.points_awarded) == "3.5" and first.assessment.passed
    assert not second.assessment.passed and second.points_awarded == 0


def test_passed_follows_the_grade_and_age_is_a_named_warning(tmp_path, template):
    rows = [["L1", "Kim", "Jung", "01.03.2015", "ENO-U1", "16.11.2026", "5 (mangelhaft)", "practical", None, None]]
    (entry,) = iter_cohort(write_xlsx(tmp_path / "k.xlsx", rows), template)
    assert entry.errors == () and entry.transcript.units[0].assessment.passed is False
    assert [w.details["field"] for w in entry.warnings] == ["date_of_birth"]
    assert "AGE_IMPLAUSIBLE" in str(entry.warnings[0]) and "11" in str(entry.warnings[0])


def test_agreement_rules_refuse_at_issuance_unless_a_deviation_is_allowed(tmp_path, template, demo_dir):
    la = json.loads((demo_dir / "learning-agreement.json").read_text())
    data = yaml.safe_load(template.read_text())
    shutil.copy(demo_dir / "learning-agreement.json", tmp_path / "la.json")
    data["agreement"] = {"file": "la.json"}
    template.write_text(yaml.safe_dump(data, allow_unicode=True))
    learner = la["credentialSubject"]
    row = [learner["identifier"]["notation"] if isinstance(learner.get("identifier"), dict) else "x",
           learner["givenName"], learner["familyName"], learner["dateOfBirth"]]
    rows = [row + ["ENO-U1", "16.11.2026", "2", "practical", "ja", "6"],     # 4 agreed
            row + ["ENO-U9X", "16.11.2026", "2", "practical", "ja", None]]  # not in the catalogue either
    data["units"].append({**data["units"][0], "code": "ENO-U9X"})
    data["units"][0]["ecvet_points"] = 6  # the school's catalogue says 6; the agreement says 4
    template.write_text(yaml.safe_dump(data, allow_unicode=True))
    path = write_xlsx(tmp_path / "k.xlsx", rows)
    (entry,) = iter_cohort(path, template)
    found = {(e.details["row"], e.details["field"]) for e in entry.errors}
    assert {(2, "unit_code"), (3, "unit_code")} <= found, [str(e) for e in entry.errors]
    assert any("UNIT_CHANGED" in str(e) and "6 ECVET points (agreed 4)" in str(e) for e in entry.errors)
    (allowed,) = iter_cohort(path, template, options=CohortOptions(allow_deviation="host school closed early"))
    assert allowed.transcript is not None and any("UNIT_NOT_AGREED" in d for d in allowed.deviations)


def _issue(runner, path, template, out, *extra):
    return run(runner, "issue", "transcript", "--cohort", path, "--template", template, "--out-dir", out,
               "--key", Path(__file__).parent.parent / "keys-example" / "host.key", *extra)


def test_check_issues_nothing_and_reports_row_and_column(runner, tmp_path, template):
    rows, expected = broken_cohort(40)
    path = write_xlsx(tmp_path / "k.xlsx", rows)
    result = run(runner, "issue", "transcript", "--cohort", path, "--template", template, "--check")
    assert result.exit_code == 1
    for row, column in expected:
        assert f"row {row}: {column}:" in result.stderr
    assert "nothing was issued" in result.stderr
    assert not (tmp_path / "home").exists() or not list((tmp_path / "home").glob("*.sqlite"))


def test_correction_is_reissued_and_the_old_one_refused(runner, tmp_path, template, repo_dir):
    rows = cohort_rows(3)
    path = write_xlsx(tmp_path / "k.xlsx", rows)
    out = tmp_path / "out"
    assert _issue(runner, path, template, out).exit_code == 0
    old = json.loads((out / "L0001.json").read_text())
    shutil.copy(out / "L0001.json", tmp_path / "old.json")
    rows[2][6] = "3 (befriedigend)"  # learner L0001's first unit, corrected afterwards
    write_xlsx(path, rows)
    again = _issue(runner, path, template, out)
    assert again.exit_code == 1 and "changed since issued" in again.stderr and "--reissue" in again.stderr
    fixed = _issue(runner, path, template, out, "--reissue", "grade of ENO-U1 corrected")
    assert fixed.exit_code == 0, fixed.stderr
    results = {r["learner_id"]: r for r in csv.DictReader(open(out / "results.csv", encoding="utf-8"))}
    assert results["L0001"]["status"] == "re-issued" and results["L0001"]["replaces"] == old["id"]
    assert {results[k]["status"] for k in ("L0000", "L0002")} == {"already issued"}
    new = json.loads((out / "L0001.json").read_text())
    claim = new["credentialSubject"]["hasClaim"]
    assert claim["replaces"]["id"] == old["id"]
    show = run(runner, "status", "show", old["id"], "--json")
    assert json.loads(show.stdout)["credential"]["state"] == "revoked"
    assert "grade of ENO-U1 corrected" in show.stdout
    status = tmp_path / "status"
    assert run(runner, "status", "publish", "--key", repo_dir / "keys-example" / "host.key", "--out", status).exit_code == 0
    refused = run(runner, "verify", tmp_path / "old.json", "--status-dir", status, "--json")
    assert refused.exit_code == 1 and json.loads(refused.stdout)["verified"] is False
    accepted = run(runner, "verify", out / "L0001.json", "--status-dir", status, "--checks", "proof,status", "--json")
    assert accepted.exit_code == 0, accepted.stdout


def test_revoke_by_learner_number_or_batch_row_and_no_learner_number_in_clear(runner, tmp_path, template):
    path = write_xlsx(tmp_path / "k.xlsx", cohort_rows(3))
    out = tmp_path / "out"
    assert _issue(runner, path, template, out).exit_code == 0
    ids = {r["learner_id"]: r["credential_id"] for r in csv.DictReader(open(out / "results.csv", encoding="utf-8"))}
    by_learner = run(runner, "status", "revoke", "L0000", "--reason", "left the programme", "--who", "registrar")
    assert by_learner.exit_code == 0 and ids["L0000"] in by_learner.stdout
    by_row = run(runner, "status", "suspend", "--batch", "k.xlsx", "--row", "5", "--reason", "review", "--who", "r")
    assert by_row.exit_code == 0 and ids["L0001"] in by_row.stdout  # rows 4-5 are learner L0001
    unknown = run(runner, "status", "revoke", "L9999", "--reason", "x", "--who", "r")
    assert unknown.exit_code == 2 and "no unrevoked credential for learner number L9999" in unknown.stderr
    db = sqlite3.connect(tmp_path / "home" / "registry.sqlite")
    dump = "\n".join(db.iterdump())
    assert "L0000" not in dump and "L0001" not in dump and "h1:" in dump


def test_migration_hashes_row_keys_written_in_clear(backend):
    from sqlalchemy import delete, select, update

    from ecvet_credentials.registry import migrations
    from ecvet_credentials.registry import schema as s

    reg = backend.open()
    alloc = reg.allocate_and_record(credential_type="T", issuer_did="did:key:z6Mk", status_base_url="https://s.example",
                                    batch_id="b", row_key="IPL-1")
    with reg.engine.begin() as conn:  # back to what version 1 wrote: the learner number in clear, no salt
        conn.execute(update(s.credentials).values(row_key="IPL-1"))
        conn.execute(delete(s.schema_version).where(s.schema_version.c.version > 1))
        conn.exec_driver_sql("DROP TABLE ecvet_registry_settings")
    reg.close()
    reg = backend.open()
    assert reg.schema_version() == migrations.LATEST
    assert reg.list_credentials()[0].row_key == reg.row_digest("IPL-1") != "IPL-1"
    again = reg.allocate_and_record(credential_type="T", issuer_did="did:key:z6Mk", status_base_url="https://s.example",
                                    batch_id="b", row_key="IPL-1")
    assert again.credential_id == alloc.credential_id and not again.created
    with reg.engine.connect() as conn:
        assert conn.execute(select(s.credentials.c.row_key)).scalar_one().startswith("h1:")


def test_template_round_trip(runner, tmp_path, demo_dir):
    from openpyxl import load_workbook

    shutil.copy(demo_dir / "learning-agreement.json", tmp_path / "la.json")
    book = tmp_path / "cohort.xlsx"
    made = run(runner, "issue", "template", "--agreement", tmp_path / "la.json", "-o", book)
    assert made.exit_code == 0, made.stderr
    wb = load_workbook(book)
    assert wb.sheetnames == ["Cohort", "Columns"]
    sheet = wb["Cohort"]
    assert any("ENO-U1" in str(dv.formula1) for dv in sheet.data_validations.dataValidation)
    for row in range(2, sheet.max_row + 1):  # the registrar fills in dates, grades and yes/no
        sheet.cell(row, 7).value = "16.11.2026"
        sheet.cell(row, 8).value = "2 (gut)"
        sheet.cell(row, 10).value = "ja"
    wb.save(book)
    issued = run(runner, "issue", "transcript", "--cohort", book, "--template", tmp_path / "cohort-template.yaml",
                 "--agreement", tmp_path / "la.json", "--key", Path(__file__).parent.parent / "keys-example" / "host.key",
                 "--out-dir", tmp_path / "out")
    assert issued.exit_code == 0, issued.stderr
    (pt,) = list((tmp_path / "out").glob("*.json"))
    code = run(runner, "verify", pt, "--agreement", tmp_path / "la.json", "--checks", "proof,agreement-match", "--json")
    assert code.exit_code == 0, code.stdout


@pytest.mark.slow
def test_excel_cohort_of_500(runner, tmp_path, template):
    rows, expected = broken_cohort(500)
    path = write_xlsx(tmp_path / "kohorte.xlsx", rows)
    out = tmp_path / "out"
    checked = run(runner, "issue", "transcript", "--cohort", path, "--template", template, "--check")
    assert checked.exit_code == 1 and "nothing was issued" in checked.stderr
    assert all(f"row {r}: {c}:" in checked.stderr for r, c in expected) and len(expected) == 25
    assert not (tmp_path / "home" / "registry.sqlite").exists()
    good = cohort_rows(500)
    write_xlsx(path, good)
    assert _issue(runner, path, template, out).exit_code == 0
    assert len(list(out.glob("L*.json"))) == 500
    good[10][6] = "3 (befriedigend)"  # learner L0005
    write_xlsx(path, good)
    fixed = _issue(runner, path, template, out, "--reissue", "grade corrected")
    assert fixed.exit_code == 0 and "1 re-issued, 499 already issued" in fixed.stderr


def test_rows_of_a_learner_apart_read_like_rows_together(tmp_path, template):
    rows = cohort_rows(4)
    by_unit = sorted(rows, key=lambda r: (r[4], r[0]))  # sorted by unit: each learner's rows are apart
    together = list(iter_cohort(write_xlsx(tmp_path / "a.xlsx", rows), template))
    apart = list(iter_cohort(write_xlsx(tmp_path / "b.xlsx", by_unit), template))
    assert sorted(e.learner_id for e in apart) == [e.learner_id for e in together]
    units = {e.learner_id: [u.unit.code for u in e.transcript.units] for e in apart}
    assert all(codes == ["ENO-U1", "ENO-U2"] for codes in units.values())
    assert {e.learner_id: e.rows for e in apart}["L0000"] == (2, 6)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request, tmp_path):
    from test_registry_backends import make_backend

    b = make_backend(request.param, tmp_path)
    yield b
    b.cleanup()


def test_cohort_rows_on_both_backends(backend):
    """Salted keys, changed rows, re-issue links and revoke targets on SQLite and PostgreSQL alike."""
    from sqlalchemy import select

    from ecvet_credentials.registry import cohort_rows
    from ecvet_credentials.registry import schema as s

    reg = backend.open()

    def issue(learner, content, rows, replaces=None):
        values = cohort_rows.row_values(reg, learner_id=learner, content_digest=content, rows=rows, replaces=replaces)
        alloc = reg.allocate_and_record(credential_type="T", issuer_did="did:key:z6Mk", status_base_url="https://s.example",
                                        batch_id="b.xlsx", row_key=learner, row_values=values)
        reg.record_digest(alloc.credential_id, "ab" * 32)
        return alloc.credential_id

    first = issue("IPL-1", "c1", (2, 3))
    other = issue("IPL-2", "c2", (4,))
    issued = cohort_rows.issued_row(reg, "b.xlsx", "IPL-1")
    assert issued.record.credential_id == first
    assert not cohort_rows.changed(reg, issued, "c1") and cohort_rows.changed(reg, issued, "c1-corrected")
    cohort_rows.supersede(reg, first, who="registrar", reason="grade corrected")
    assert cohort_rows.issued_row(reg, "b.xlsx", "IPL-1") is None
    assert cohort_rows.pending_replacement(reg, "b.xlsx", "IPL-1") == first
    second = issue("IPL-1", "c1-corrected", (2, 3), replaces=first)
    assert cohort_rows.pending_replacement(reg, "b.xlsx", "IPL-1") is None
    assert cohort_rows.replaced_by(reg, first) == second and reg.status_of(first).revoked
    assert cohort_rows.resolve_target(reg, "IPL-1") == second          # the revoked one no longer counts
    assert cohort_rows.resolve_target(reg, None, batch_id="b.xlsx", row=4) == other
    assert cohort_rows.resolve_target(reg, second) == second
    with pytest.raises(cohort_rows.TargetError, match="no unrevoked credential"):
        cohort_rows.resolve_target(reg, "IPL-9")
    values = cohort_rows.row_values(reg, learner_id="IPL-2", content_digest="c3", rows=(2,))
    later = reg.allocate_and_record(credential_type="T", issuer_did="did:key:z6Mk", status_base_url="https://s.example",
                                    batch_id="spring.xlsx", row_key="IPL-2", row_values=values).credential_id
    with pytest.raises(cohort_rows.TargetError, match="2 credentials for learner number IPL-2"):
        cohort_rows.resolve_target(reg, "IPL-2")
    assert cohort_rows.resolve_target(reg, "IPL-2", batch_id="spring.xlsx") == later
    with reg.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(select(s.credentials)).all() for v in row)
    assert "IPL-1" not in stored and "IPL-2" not in stored
    with pytest.raises(ValueError):
        reg.allocate_and_record(credential_type="T", issuer_did="did:key:z6Mk", status_base_url="https://s.example",
                                row_values={"revoked_at": None})


def test_learner_address_and_telephone_columns(tmp_path, template):
    """The LA template's learner address and telephone, as optional cohort columns: written into the
    transcript (read back from the credential), a bad number reported under its column."""
    from ecvet_credentials.model import build_transcript_credential, from_credential

    path = tmp_path / "k.csv"
    head = ";".join(HEADER + ["learner_address", "learner_telephone"])
    lines = [head, "L1;Ana;Lima;01.03.2008;ENO-U1;16.11.2026;2 (gut);practical;ja;;Rua Augusta 10, Lisboa;+351 21 000 0000",
             "L1;Ana;Lima;01.03.2008;ENO-U2;17.11.2026;2 (gut);practical;ja;;Rua Augusta 10, Lisboa;+351 21 000 0000",
             "L2;Rui;Sousa;01.03.2008;ENO-U1;16.11.2026;2 (gut);practical;ja;;;call me"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good, bad = iter_cohort(path, template)
    assert good.errors == ()
    back = from_credential(build_transcript_credential(good.transcript)).learner
    assert str(back.address) == "Rua Augusta 10, Lisboa" and back.telephone == "+351 21 000 0000"
    assert [(e.details["row"], e.details["field"]) for e in bad.errors] == [(4, "learner_telephone")]


def test_template_sheet_carries_the_agreements_learner_contact(tmp_path):
    """`ecvet issue template` fills the learner's address and telephone from the Learning Agreement."""
    from dataclasses import replace

    from openpyxl import load_workbook

    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.ecvet.authoring.sheet_template import SHEET_COLUMNS, write_template
    from ecvet_credentials.model import LangText, build_agreement_credential

    repo = Path(__file__).resolve().parents[1]
    la = load(repo / "examples" / "learning-agreement.yaml").model
    la = replace(la, learner=replace(la.learner, address=LangText.of("Via del Pratello 12, Bologna", "a"),
                                     telephone="+39 333 1234567"))
    (tmp_path / "la.json").write_text(json.dumps(build_agreement_credential(la)), encoding="utf-8")
    write_template(json.loads((tmp_path / "la.json").read_text()), tmp_path / "c.xlsx", tmp_path / "c.yaml",
                   tmp_path / "la.json")
    sheet = load_workbook(tmp_path / "c.xlsx")["Cohort"]
    header = [c.value for c in sheet[1]]
    assert header == list(SHEET_COLUMNS)
    row = dict(zip(header, [c.value for c in sheet[2]]))
    assert row["learner_address"] == "Via del Pratello 12, Bologna" and row["learner_telephone"] == "+39 333 1234567"


def test_cohort_qr_codes_leave_out_learners_with_contact_details(runner, tmp_path, template):
    """`--qr` draws the codes of the other learners and says how many got none (no failed batch)."""
    path = tmp_path / "k.csv"
    head = ";".join(HEADER + ["learner_address"])
    path.write_text("\n".join([head, "L1;Ana;Lima;01.03.2008;ENO-U1;16.11.2026;2 (gut);practical;ja;;Rua Augusta 10",
                               "L2;Rui;Sousa;01.03.2008;ENO-U1;16.11.2026;2 (gut);practical;ja;;"]) + "\n", encoding="utf-8")
    result = _issue(runner, path, template, tmp_path / "out", "--qr")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == ["L1.json", "L2.json"]
    assert [p.name for p in (tmp_path / "out").glob("L1*.png")] == [] and list((tmp_path / "out").glob("L2*.png"))
    assert "no QR code for 1 credential(s)" in result.stderr
