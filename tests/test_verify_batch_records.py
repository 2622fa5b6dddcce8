"""Batches as a registrar reads them: the CSV and JSON Lines records, the files a folder gives, unreadable
files as results, the summary (written for `make mutation` in verify/batch.py)."""
from __future__ import annotations

import json

import pytest

from ecvet_credentials.verify.report import VerificationReport
from verify_samples import NOW, generic


def _result(document, *, verified=False, name="f.json"):
    from ecvet_credentials.verify.batch import BatchResult

    report = VerificationReport(document=document)
    if verified:
        for check in ("input", "proof", "issuer-trusted"):
            report.passed(check, "ok")
    else:
        report.failed("proof", "PROOF_INVALID", "bad signature")
    return BatchResult(name, report)


def test_load_json_credential_parses_the_file_and_names_it_when_it_cannot(tmp_path):
    from ecvet_credentials.core.errors import NotJsonError
    from ecvet_credentials.verify.batch import load_json_credential

    good = tmp_path / "good.json"
    good.write_text('{"a": [1, "é"]}', encoding="utf-8")
    assert load_json_credential(good) == {"a": [1, "é"]}
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01")
    with pytest.raises(NotJsonError) as info:
        load_json_credential(bad)
    assert str(info.value).startswith(f"{bad} is binary data")


@pytest.mark.parametrize("types, kind", [
    (["VerifiableCredential", "EcvetPersonalTranscript"], "EcvetPersonalTranscript"),
    ("EcvetRecognition", "EcvetRecognition"),
    (["VerifiablePresentation"], ""), (["VerifiableCredential"], ""), (None, ""),
    (["VerifiablePresentation", "VerifiableCredential", "X"], "X"),
])
def test_the_record_names_the_specific_type(types, kind):
    assert _result({"type": types} if types is not None else {}).record()["type"] == kind


def test_the_record_has_the_verdict_id_issuer_and_reason():
    record = _result({"type": ["VerifiableCredential"], "id": "urn:x:1", "issuer": "did:example:s"}).record()
    assert record == {"file": "f.json", "verdict": "not_verified", "verified": "false", "type": "",
                      "id": "urn:x:1", "issuer": "did:example:s", "failed_checks": "proof",
                      "reason": "proof: bad signature"}
    ok = _result({"type": ["VerifiableCredential"]}, verified=True).record()
    assert (ok["verified"], ok["verdict"], ok["id"], ok["issuer"], ok["failed_checks"], ok["reason"]) == (
        "true", "verified", "", "", "", "")


def test_the_csv_report_has_plain_newlines_and_inert_cells(tmp_path):
    from ecvet_credentials.verify.batch import write_batch_report

    rows = [_result({"id": value, "issuer": "did:example:s"}, name=f"{i}.json")
            for i, value in enumerate(("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "urn:x:ok"))]
    path = tmp_path / "report.csv"
    write_batch_report(rows, path)
    data = path.read_bytes()
    assert b"\r\n" not in data and data.count(b"\n") >= 8
    import csv
    import io

    ids = [row["id"] for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))]
    assert ids == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\nx", "urn:x:ok"]  # one row each, read back
    assert b"\r" not in data and b'5.json,not_verified,false,,"\'\nx",' in data


def test_the_jsonl_report_keeps_non_ascii_text(tmp_path):
    from ecvet_credentials.verify.batch import write_batch_report

    path = tmp_path / "report.jsonl"
    write_batch_report([_result({"id": "urn:x:1", "issuerName": "Università Bologna"})], path)
    text = path.read_text(encoding="utf-8")
    assert "Università" in text and json.loads(text)["document"]["issuerName"] == "Università Bologna"


def test_files_and_folders_are_all_collected_in_the_order_given(tmp_path):
    from ecvet_credentials.verify.batch import collect_inputs

    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "x.json").write_text("{}")
    single = tmp_path / "single.json"
    single.write_text("{}")
    assert collect_inputs([single, first, second]) == [single, first / "x.json", second / "x.json"]


def test_a_folder_gives_its_visible_credential_files_only(tmp_path):
    from ecvet_credentials.verify.batch import collect_inputs

    for name in ("b.json", "A.JSON", "c.png", "d.jsonld", "e.jpeg", "f.jpg", ".hidden.json", "notes.txt"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "folder.json").mkdir()
    assert [p.name for p in collect_inputs([tmp_path])] == ["A.JSON", "b.json", "c.png", "d.jsonld", "e.jpeg", "f.jpg"]


def test_a_batch_result_in_json_names_its_file_and_the_options_reach_every_verification(tmp_path):
    from ecvet_credentials.verify.batch import verify_many, write_batch_report

    results = list(verify_many([("one", generic()), ("two", generic())], checks=["input"], now=NOW))
    assert [r.to_json()["file"] for r in results] == ["one", "two"]
    assert [c.id for c in results[0].report.checks if c.code != "NOT_REQUESTED"] == ["input"]
    path = tmp_path / "report.jsonl"
    write_batch_report(results, path)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert [json.loads(line)["file"] for line in lines[:-1]] == ["one", "two"] and lines[-1] == ""


def test_an_empty_batch_summary_is_just_its_count():
    from ecvet_credentials.verify.batch import BatchSummary

    summary = BatchSummary()
    assert summary.text() == "0 credentials" and not summary.all_verified
    summary.add(_result({}, verified=True))
    assert summary.text() == "1 credential (1 verified)" and summary.all_verified
    summary.add(_result({}, verified=True))
    summary.add(_result({}))
    assert summary.text() == "3 credentials (2 verified, 1 not verified)" and not summary.all_verified


def test_files_the_loader_cannot_read_are_results_and_the_batch_goes_on(tmp_path):
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.verify.batch import verify_many

    def load(path):
        if path.name.startswith("locked"):
            raise PermissionError(13, "Permission denied")
        raise InputError(f"{path}: unreadable.")

    results = list(verify_many(["locked-1.json", "locked-2.json", "bad.json", ("inline", generic())], load=load, now=NOW))
    assert [r.source for r in results] == ["locked-1.json", "locked-2.json", "bad.json", "inline"]
    assert [r.report.checks[0].code for r in results[:3]] == ["UNREADABLE", "UNREADABLE", "INVALID_INPUT"]
    assert results[0].reason() == "input: locked-1.json: Permission denied."
    assert results[2].reason() == "input: bad.json: unreadable."
    assert results[3].report.get("input").code == "OK"
