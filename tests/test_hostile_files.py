"""Crafted files (issue 12, class 6): every file the product reads goes through one bounded read and
one bounded parse, so a link to /dev/zero, a FIFO, an oversized file or JSON nested 100,000 levels
deep is refused with a clear error (exit 2) or a named failed check, never read without end and
never a traceback."""
from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
from pathlib import Path

import pytest

from ecvet_credentials.cli.main import cli
from ecvet_credentials.core.errors import InputError, LimitExceededError
from ecvet_credentials.core.files import read_bounded, read_bounded_stream
from ecvet_credentials.jsonld.limits import read_json_file

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _zero_link(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


def _big(path: Path) -> Path:
    with open(path, "wb") as fh:  # sparse: 3 GB of size, no disk used
        fh.truncate(3 * 1024**3)
    return path


def _deep(path: Path) -> Path:
    path.write_text(DEEP)
    return path


def _deep_object(path: Path) -> Path:
    path.write_text(DEEP_OBJECT)
    return path


HOSTILE = {"fifo": _fifo, "dev-zero": _zero_link, "sparse-3GB": _big, "deep-array": _deep,
           "deep-object": _deep_object, "directory": lambda p: (p.mkdir(), p)[1]}
UNREADABLE = ("fifo", "dev-zero", "sparse-3GB", "directory")


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


# --- the primitives ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", UNREADABLE)
def test_read_bounded_refuses_before_reading(tmp_path, kind):
    path = HOSTILE[kind](tmp_path / "f")
    with pytest.raises(InputError) as info:
        read_bounded(path, max_bytes=1000)
    assert info.value.code in ("NOT_A_REGULAR_FILE", "LIMIT_EXCEEDED")


def test_read_bounded_follows_links_to_regular_files_and_caps_growth(tmp_path):
    target = tmp_path / "t.json"
    target.write_bytes(b"x" * 1000)
    (tmp_path / "link").symlink_to(target)
    assert read_bounded(tmp_path / "link", max_bytes=1000) == b"x" * 1000
    with pytest.raises(LimitExceededError):
        read_bounded(target, max_bytes=999)
    with pytest.raises(InputError, match="no such file"):
        read_bounded(tmp_path / "absent", max_bytes=10)


def test_read_bounded_stream_stops_at_the_cap():
    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"\0" * len(buffer)
            return len(buffer)

    with pytest.raises(LimitExceededError):
        read_bounded_stream(io.BufferedReader(Endless()), max_bytes=4096)


@pytest.mark.parametrize("kind", ["deep-array", "deep-object"])
def test_read_json_file_refuses_deep_json(tmp_path, kind):
    with pytest.raises(LimitExceededError):
        read_json_file(HOSTILE[kind](tmp_path / "f.json"))


# --- every CLI entry point that reads a file --------------------------------------------------------
# A folder is a valid `wallet import` source (a cohort output folder): that pair is tested apart below.
_CASES = [(kind, where) for kind in sorted(HOSTILE)
          for where in ["verify IN", "--agreement", "--trust", "--did-document", "qr decode --agreement",
                        "wallet import", "wallet restore", "sign --key"]
          if (kind, where) != ("directory", "wallet import")]


def test_wallet_import_of_an_empty_folder_says_there_was_nothing(runner, tmp_path):
    empty = HOSTILE["directory"](tmp_path / "bad.json")
    result = runner.invoke(cli, ["wallet", "import", str(empty)])
    _no_traceback(result)
    assert "no *.json credential files" in result.output


@pytest.mark.parametrize("kind,where", _CASES)
def test_cli_refuses_hostile_files_with_exit_2(runner, tmp_path, demo_dir, kind, where):
    bad = HOSTILE[kind](tmp_path / ("bad.tar.gz" if where == "wallet restore" else "bad.json"))
    pt = str(demo_dir / "transcript.json")
    args = {
        "verify IN": ["verify", str(bad)],
        "--agreement": ["verify", pt, "--agreement", str(bad)],
        "--trust": ["verify", pt, "--trust", str(bad)],
        "--did-document": ["verify", pt, "--did-document", str(bad)],
        "qr decode --agreement": ["qr", "decode", str(demo_dir / "transcript-qr.png"), "--agreement", str(bad)],
        "wallet import": ["wallet", "import", str(bad)],
        "wallet restore": ["wallet", "restore", str(bad)],
        "sign --key": ["sign", pt, "--key", str(bad)],
    }[where]
    result = runner.invoke(cli, args)
    _no_traceback(result)
    if where == "wallet restore" and kind.startswith("deep"):
        assert result.exit_code in (1, 2)  # a JSON text is not a .tar.gz: refused as such
    else:
        assert result.exit_code == 2, result.output
    assert result.output.count("error:") == 1 or "error" in result.output.lower()


def test_cli_stdin_is_bounded(runner):
    result = runner.invoke(cli, ["verify", "-"], input=b" " * 2_000_001)
    _no_traceback(result)
    assert result.exit_code == 2 and "limit" in result.output


# --- status files beside the credential -------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_status_list_file_is_a_named_check_not_a_hang(runner, tmp_path, demo_dir, kind):
    status = tmp_path / "status"
    shutil.copytree(demo_dir / "status", status)
    target = status / "revocation-1.json"
    target.unlink()
    HOSTILE[kind](target)
    result = runner.invoke(cli, ["verify", str(demo_dir / "transcript.json"), "--status-dir", str(status), "--json"])
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    status_check = next(c for c in report["checks"] if c["id"] == "status")
    assert status_check["outcome"] in ("failed", "not_checked") and status_check["code"]


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_status_index_is_no_list_not_a_hang(runner, tmp_path, demo_dir, kind):
    status = tmp_path / "status"
    shutil.copytree(demo_dir / "status", status)
    (status / "index.json").unlink()
    HOSTILE[kind](status / "index.json")
    result = runner.invoke(cli, ["verify", str(demo_dir / "transcript.json"), "--status-dir", str(status), "--json"])
    _no_traceback(result)
    assert result.exit_code == 1   # (no trust registry: the issuer is not recognised)
    status_check = next(c for c in json.loads(result.output)["checks"] if c["id"] == "status")
    # the index is only a shortcut: the signed lists in the folder are still found by their ids
    assert status_check["outcome"] == "passed"
    assert {e["origin"] for e in status_check["details"]["entries"]} == {"presented"}


# --- JSON inside other containers -------------------------------------------------------------------
def test_deep_json_in_a_qr_payload_is_a_payload_error():
    from ecvet_credentials.core.errors import QrPayloadError
    from ecvet_credentials.render.qr import decode_texts, encode_credential

    texts = encode_credential(DEEP.encode()[:30_000], agreement=None).texts  # encoding does not parse the bytes
    with pytest.raises(QrPayloadError, match="JSON object"):
        decode_texts(texts)


@pytest.mark.parametrize("member", ["index.json", "credentials"])
def test_deep_json_in_a_wallet_backup_is_refused(runner, tmp_path, member):
    archive = tmp_path / "b.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        members = {"index.json": json.dumps({"entries": [{"id": "a" * 64}]}).encode(),
                   f"credentials/{'a' * 64}.json": b"{}"}
        key = "index.json" if member == "index.json" else f"credentials/{'a' * 64}.json"
        members[key] = DEEP_OBJECT.encode()
        for name, data in members.items():
            info = tarfile.TarInfo("ecvet-wallet/" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    result = runner.invoke(cli, ["wallet", "restore", str(archive)])
    _no_traceback(result)
    assert result.exit_code in (1, 2) and "error:" in result.output


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_wallet_files_are_damaged_not_a_crash(runner, tmp_path, demo_dir, kind):
    home = tmp_path / "home"
    assert runner.invoke(cli, ["wallet", "import", str(demo_dir / "learning-agreement.json")]).exit_code in (0, 1)
    index = home / "wallet" / "index.json"
    index.unlink()
    HOSTILE[kind](index)
    result = runner.invoke(cli, ["wallet", "list"])
    _no_traceback(result)
    assert result.exit_code in (0, 1, 2)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_serve_config_is_exit_2(runner, tmp_path, kind):
    config = HOSTILE[kind](tmp_path / "serve.toml")
    if kind.startswith("deep"):
        config.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    result = runner.invoke(cli, ["serve", "--config", str(config), "--port", "0"])
    _no_traceback(result)
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_authoring_files_are_exit_2(runner, tmp_path, kind):
    la = HOSTILE[kind](tmp_path / "agreement.yaml")
    if kind.startswith("deep"):
        la.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    result = runner.invoke(cli, ["agreement", "create", str(la), "-o", str(tmp_path / "out.json")])
    _no_traceback(result)
    assert result.exit_code == 2, result.output
