"""SIGKILL during import/delete or backup, 200 times at random points: every run after it lists a
consistent store (index = files, every file whole, no temporary files), and a backup file is either
complete or absent. The harness forks the writer (cheap) and kills it after 0-50 ms."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecvet_credentials.demo import run_demo

HARNESS = Path(__file__).with_name("wallet_crash_harness.py")


@pytest.mark.slow
def test_sigkill_during_import_or_backup_leaves_a_consistent_store(tmp_path):
    demo = tmp_path / "demo"
    assert run_demo(demo, echo=lambda s: None)
    work = tmp_path / "work"
    work.mkdir()
    seed = int.from_bytes(os.urandom(4), "big")
    done = subprocess.run([sys.executable, str(HARNESS), str(work), str(demo / "transcript.json"), "200", str(seed)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["trials"] == 200
    assert summary["problems"] == [], f"seed {seed}: {summary['problems'][:5]}"
    # the kills did land mid-operation (interrupted writes were found and cleaned or repaired)
    assert summary["repaired"] + summary["tmp"] > 0, summary
    # and the real CLI, in a new process, lists the store
    listed = subprocess.run([sys.executable, "-m", "ecvet_credentials", "--home", str(work / "home"), "wallet", "list", "--json"],
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    files = sorted(p.stem for p in (work / "home" / "wallet" / "credentials").glob("*.json"))
    assert sorted(e["id"] for e in entries) == files
