"""`ecvet qr encode|decode`: files, exit codes (2 and one `error:` line for hostile input, never a traceback)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ecvet_credentials.cli.main import cli

from test_qr_payload import samples


@pytest.fixture()
def files(tmp_path):
    s = samples()
    pt = tmp_path / "pt.json"
    pt.write_text(json.dumps(json.loads(s["pt"]), indent=2, ensure_ascii=False))  # as `ecvet sign` writes it
    la = tmp_path / "la.json"
    la.write_text(json.dumps(s["la"], indent=2))
    big = tmp_path / "big.json"
    big.write_bytes(s["big"])
    return tmp_path, pt, la, big


def run(*args):
    result = CliRunner().invoke(cli, ["--home", "/nonexistent-unused", *map(str, args)])
    assert "Traceback" not in (result.output or "") and not (result.exception and result.exit_code not in (0, 1, 2))
    return result


def test_help_has_examples():
    for cmd in (["qr", "--help"], ["qr", "encode", "--help"], ["qr", "decode", "--help"]):
        r = run(*cmd)
        assert r.exit_code == 0
    assert "Examples" in run("qr", "encode", "--help").output and "--agreement" in run("qr", "decode", "--help").output


def test_encode_png_with_agreement_then_decode(files):
    tmp, pt, la, _ = files
    r = run("qr", "encode", pt, "--agreement", la, "--catalogue", "-o", tmp / "pt.png")
    assert r.exit_code == 0, r.output
    assert "mode: single" in r.output and "ECC M" in r.output and "version 2" in r.output
    out = tmp / "back.json"
    r = run("qr", "decode", tmp / "pt.png", "--agreement", la, "-o", out)
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == samples()["pt"]  # the compact form that was encoded, byte for byte


def test_chunked_files_are_numbered_and_decode_in_any_order(files):
    tmp, _, _, big = files
    r = run("qr", "encode", big, "-o", tmp / "big.png")
    assert r.exit_code == 0 and "mode: chunked" in r.output
    parts = sorted(tmp.glob("big-*.png"))
    assert len(parts) >= 2
    r = run("qr", "decode", *parts[::-1], "-o", tmp / "big-back.json")
    assert r.exit_code == 0 and (tmp / "big-back.json").read_bytes() == samples()["big"]


def test_text_output_and_url_base(files):
    tmp, pt, _, big = files
    r = CliRunner().invoke(cli, ["qr", "encode", str(pt), "--max-version", "40"])
    assert r.exit_code == 0 and r.stdout.startswith("EC1:S.2.")
    (tmp / "codes.txt").write_text(r.stdout)
    r = run("qr", "decode", tmp / "codes.txt")
    assert r.exit_code == 0 and json.loads(r.stdout)["id"]
    r = run("qr", "encode", big, "--url-base", "https://school.example/c", "-o", tmp / "link.svg")
    assert r.exit_code == 0 and "mode: link" in r.output and "https://school.example/c/" in r.output
    r = run("qr", "decode", tmp / "link.svg")
    assert r.exit_code == 2 and "SVG" in r.output


@pytest.mark.parametrize("content", [
    "EC1:S.1.%%%%",                      # bad Base45
    "EC2:S.1.AAA",                       # unknown version
    "EC1:S.1KABCDEFGHIJKLM.BB8",         # needs a catalogue
    "EC1:C.1.ABCDEFGHIJKLM.1.2.BB8",     # incomplete chunk set
    "hello",                             # not ours
    "EC1:S.0." + "0" * 3000,             # garbage DEFLATE
])
def test_hostile_input_exits_2_with_one_line(files, content):
    tmp = files[0]
    (tmp / "in.txt").write_text(content)
    r = run("qr", "decode", tmp / "in.txt")
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")


def test_missing_catalogue_message_names_the_agreement(files):
    tmp, pt, la, _ = files
    run("qr", "encode", pt, "--agreement", la, "--catalogue", "-o", tmp / "pt.png")
    r = run("qr", "decode", tmp / "pt.png")
    assert r.exit_code == 2 and "--agreement" in r.output and "Learning Agreement" in r.output
    assert "self-contained code" in r.output                        # says what to ask for, in plain words
    r = run("--lang", "de", "qr", "decode", tmp / "pt.png")
    assert r.exit_code == 2 and "Lernvereinbarung" in r.output


def test_codes_are_self_contained_by_default_and_catalogue_needs_the_agreement(files):
    tmp, pt, la, _ = files
    r = run("qr", "encode", pt, "--agreement", la, "-o", tmp / "own.png")
    assert r.exit_code == 0 and "mode: chunked" in r.output and "note: self-contained" in r.output
    parts = sorted(tmp.glob("own-*.png"))
    r = run("qr", "decode", *parts, "-o", tmp / "own.json")           # no agreement needed
    assert r.exit_code == 0 and (tmp / "own.json").read_bytes() == samples()["pt"]
    r = run("qr", "encode", pt, "--catalogue", "-o", tmp / "x.png")
    assert r.exit_code == 2 and "--catalogue needs --agreement" in r.output


def test_unreadable_files_exit_2(files):
    tmp, pt, _, _ = files
    (tmp / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\xff" * 50)
    assert run("qr", "decode", tmp / "bad.png").exit_code == 2
    assert run("qr", "decode", tmp / "missing.png").exit_code == 2
    assert run("qr", "encode", pt, "-o", tmp / "x.gif").exit_code == 2
    (tmp / "notjson.json").write_text("{nope")
    assert run("qr", "encode", tmp / "notjson.json").exit_code == 2
