"""A successful backup and restore: the credentials, their reports and the learner key come back whole,
a second restore adds nothing, and a backup of another learner is refused."""
from __future__ import annotations

import json
import tarfile

from ecvet_credentials.cli.main import cli
from ecvet_credentials.wallet import Wallet


def _wallet_ids(home):
    return sorted(e["id"] for e in Wallet(home / "wallet")._load_locked()) if (home / "wallet").exists() else []


def test_backup_then_restore_into_a_new_home(runner, demo_dir, tmp_path, repo_dir):
    trust = str(repo_dir / "keys-example" / "trust-registry.json")
    status = str(demo_dir / "status")
    a, b = tmp_path / "a", tmp_path / "b"

    def run(home, *args):
        result = runner.invoke(cli, ["--home", str(home), *args])
        assert result.exit_code == 0, result.output
        return result.output

    run(a, "wallet", "init")
    holder = json.loads((a / "wallet" / "holder.json").read_text())["did"]
    for name in ("learning-agreement.json", "transcript.json", "recognition.json"):
        run(a, "wallet", "import", str(demo_dir / name), "--trust", trust, "--status-dir", status)
    before = _wallet_ids(a)
    assert len(before) == 3

    archive = tmp_path / "backup.tar.gz"
    assert "3 credential(s)" in run(a, "wallet", "backup", "-o", str(archive))
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds the (encrypted) learner key
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert sum(n.startswith("ecvet-wallet/credentials/") for n in names) == 3

    out = run(b, "wallet", "restore", str(archive), "--trust", trust, "--status-dir", status)
    assert "restored 3 credential(s) (3 new)" in out
    assert _wallet_ids(b) == before
    for cid in before:  # every stored credential is byte for byte the one backed up
        stored_a = next((a / "wallet").rglob(f"{cid}.json")).read_bytes()
        stored_b = json.loads(next((b / "wallet").rglob(f"{cid}.json")).read_text())
        assert stored_b["credential"] == json.loads(stored_a)["credential"]
    assert holder in out and json.loads((b / "wallet" / "holder.json").read_text())["did"] == holder

    again = run(b, "wallet", "restore", str(archive), "--trust", trust, "--status-dir", status)
    assert "restored 3 credential(s) (0 new)" in again and _wallet_ids(b) == before


def test_restore_into_another_learners_wallet_is_refused(runner, demo_dir, tmp_path):
    a, c = tmp_path / "a", tmp_path / "c"
    assert runner.invoke(cli, ["--home", str(a), "wallet", "init"]).exit_code == 0
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(cli, ["--home", str(a), "wallet", "backup", "-o", str(archive)]).exit_code == 0
    assert runner.invoke(cli, ["--home", str(c), "wallet", "init"]).exit_code == 0
    result = runner.invoke(cli, ["--home", str(c), "wallet", "restore", str(archive)])
    assert result.exit_code != 0 and "restore into an empty --home" in result.output
