"""Hostile wallet inputs: backup archives with traversal or absolute paths, links, huge members,
a corrupt or inconsistent index, a forged credential inside. Each is a clear one-line error (exit 2)
and nothing is written anywhere (inside or outside the wallet)."""
from __future__ import annotations

import io
import json
import tarfile

import pytest
from click.testing import CliRunner

from ecvet_credentials.cli.main import cli
from ecvet_credentials.wallet import Wallet
from ecvet_credentials.wallet.store import credential_digest

EXAMPLE_PASS = "ecvet-example-do-not-use"


@pytest.fixture(scope="module")
def transcript(demo_dir):
    return json.loads((demo_dir / "transcript.json").read_text())


def record(cred) -> bytes:
    return json.dumps({"version": 1, "id": credential_digest(cred), "credential": cred, "report": {"verified": True, "checks": []}}).encode()


def index(*ids) -> bytes:
    return json.dumps({"version": 1, "entries": [{"id": i} for i in ids]}).encode()


def make_tar(path, members):
    """members: (name, bytes | None for a symlink, declared size or None)."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data, kind in members:
            info = tarfile.TarInfo(name)
            if kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tar.addfile(info)
            elif kind == "huge":
                info.size = 50 * 1024 * 1024  # zeros compress to almost nothing
                tar.addfile(info, io.BytesIO(bytes(info.size)))
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def snapshot(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("case", ["dotdot", "absolute", "symlink", "huge", "corrupt-index", "index-mismatch",
                                  "unexpected", "forged", "not-gzip"])
def test_hostile_backup_is_refused_and_writes_nothing(tmp_path, transcript, case):
    cid = credential_digest(transcript)
    good = [("ecvet-wallet/index.json", index(cid), None), (f"ecvet-wallet/credentials/{cid}.json", record(transcript), None)]
    members = {
        "dotdot": good + [("ecvet-wallet/../../escaped.json", b"{}", None)],
        "absolute": good + [(str(tmp_path / "abs.json"), b"{}", None)],
        "symlink": good + [("ecvet-wallet/holder.json", None, "symlink")],
        "huge": [("ecvet-wallet/index.json", index(cid), None), (f"ecvet-wallet/credentials/{cid}.json", None, "huge")],
        "corrupt-index": [("ecvet-wallet/index.json", b"{not json", None), good[1]],
        "index-mismatch": [("ecvet-wallet/index.json", index(cid, "0" * 16), None), good[1]],
        "unexpected": good + [("ecvet-wallet/run.sh", b"rm -rf /", None)],
        "forged": None,
        "not-gzip": None,
    }[case]
    archive = tmp_path / "in" / "backup.tar.gz"
    archive.parent.mkdir()
    if case == "forged":
        forged = json.loads(json.dumps(transcript))
        forged["credentialSubject"]["familyName"] = "Mallory"
        fid = credential_digest(forged)
        make_tar(archive, [("ecvet-wallet/index.json", index(fid), None), (f"ecvet-wallet/credentials/{fid}.json", record(forged), None)])
    elif case == "not-gzip":
        archive.write_bytes(b"PK\x03\x04 this is a zip, not a wallet backup")
    else:
        make_tar(archive, members)
    home = tmp_path / "home"
    Wallet.open(home)  # an existing, empty wallet
    before = snapshot(tmp_path)
    result = CliRunner().invoke(cli, ["--home", str(home), "wallet", "restore", str(archive)], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before  # nothing written, inside or outside the wallet
    assert not (tmp_path.parent / "escaped.json").exists()


def test_live_store_repairs_missing_file_orphan_file_and_corrupt_index(tmp_path, transcript):
    w = Wallet.open(tmp_path)
    report = {"verified": True, "checks": []}
    entry, _ = w.add(transcript, report)
    other = json.loads(json.dumps(transcript))
    other["id"] = "urn:uuid:00000000-0000-4000-8000-000000000009"
    entry2, _ = w.add(other, report)
    # a file without entry (crash between file and index), an entry without file (delete interrupted)
    idx = json.loads(w.index_path.read_text())
    idx["entries"] = [e for e in idx["entries"] if e["id"] != entry2["id"]] + [{"id": "f" * 16}]
    w.index_path.write_text(json.dumps(idx))
    (w.credentials_dir / ".x.json.abc.tmp").write_text("half")
    ids = sorted(e["id"] for e in w.load())
    assert ids == sorted([entry["id"], entry2["id"]])
    assert any("added back" in n for n in w.notes) and any("missing" in n for n in w.notes)
    assert not list(w.credentials_dir.glob(".*.tmp"))
    w.index_path.write_text("{garbage")
    assert sorted(e["id"] for e in w.load()) == ids and "unreadable" in w.notes[0]
    (w.credentials_dir / f"{entry['id']}.json").write_text("{damaged")
    assert [e["id"] for e in w.load()] == [entry2["id"]]
    assert (w.credentials_dir / f"{entry['id']}.json.damaged").exists()
    assert w.load() and not w.notes  # repaired once, then quiet


def test_show_of_a_stored_ecvet_credential_whose_content_cannot_be_read():
    """`wallet show` says the ECVET content is unreadable and stops there (it used to go on reading the
    missing model by its stored type and fail with AttributeError)."""
    from types import SimpleNamespace

    from ecvet_credentials.wallet.view import render

    stored = SimpleNamespace(entry={"type": "Transcript", "id": "abc", "ecvetType": "EcvetPersonalTranscript"},
                             credential={"type": ["VerifiableCredential", "EcvetPersonalTranscript"], "credentialSubject": {}})
    text = render(stored)
    assert text.endswith("(the ECVET content cannot be read: SchemaError)") and "Mobility:" not in text
