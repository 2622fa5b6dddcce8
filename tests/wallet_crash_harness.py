"""Crash harness (run as a subprocess by test_wallet_crash.py): fork a child that imports/deletes or
backs up in a loop, SIGKILL it after a random 0-50 ms, then check that the store loads consistently.

Usage: python wallet_crash_harness.py WORKDIR CREDENTIAL.json TRIALS SEED  -> prints a JSON summary.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

from ecvet_credentials.wallet import Wallet
from ecvet_credentials.wallet.backup import BackupError, backup, read_backup
from ecvet_credentials.wallet.store import ID_RE


def variants(cred: dict, n: int) -> list[dict]:
    out = []
    for i in range(n):
        c = json.loads(json.dumps(cred))
        c["id"] = f"urn:uuid:00000000-0000-4000-8000-{i:012d}"
        out.append(c)
    return out


def import_loop(home: Path, creds: list[dict]) -> None:
    w = Wallet.open(home)
    report = {"verified": True, "checks": []}
    i = 0
    while True:
        w.add(creds[i % len(creds)], report, source="loop")
        if i % 3 == 2:
            entries = w.entries()
            if entries:
                w.delete(entries[0]["id"])
        i += 1


def backup_loop(home: Path, out: Path) -> None:
    w = Wallet.open(home)
    while True:
        backup(w, out)


def consistent(home: Path, archive: Path | None) -> dict:
    root = home / "wallet"
    tmp_before = len(list(root.rglob(".*.tmp")))
    w = Wallet.open(home)
    entries = w.load()  # must not raise
    listed = [e["id"] for e in json.loads((root / "index.json").read_text())["entries"]] if (root / "index.json").exists() else []
    files = sorted(p.stem for p in (root / "credentials").glob("*.json"))
    problems = []
    if sorted(listed) != files or sorted(e["id"] for e in entries) != files or len(set(listed)) != len(listed):
        problems.append(f"index {sorted(listed)} != files {files}")
    for cid in files:
        if not ID_RE.match(cid) or w.read_file(cid) is None:
            problems.append(f"bad file {cid}")
    if list(root.rglob(".*.tmp")):
        problems.append("temporary files left after load")
    if archive is not None and archive.exists():
        try:
            read_backup(archive)
        except BackupError as exc:
            problems.append(f"broken backup: {exc}")
    if archive is not None and list(archive.parent.glob(f".{archive.name}.*.tmp")):
        for stale in archive.parent.glob(f".{archive.name}.*.tmp"):
            stale.unlink()  # a killed backup's temp file (never at the output path)
    return {"problems": problems, "repaired": len(w.notes), "tmp": tmp_before, "entries": len(entries)}


def main() -> None:
    work, cred_path, trials, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    creds = variants(json.loads(cred_path.read_text()), 8)
    home, archive = work / "home", work / "backup.tar.gz"
    Wallet.open(home)
    summary = {"trials": 0, "problems": [], "repaired": 0, "tmp": 0}
    for trial in range(trials):
        mode = "backup" if trial % 2 else "import"
        pid = os.fork()
        if pid == 0:  # child: write until killed
            try:
                import_loop(home, creds) if mode == "import" else backup_loop(home, archive)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        result = consistent(home, archive if mode == "backup" else None)
        summary["trials"] += 1
        summary["repaired"] += result["repaired"]
        summary["tmp"] += result["tmp"]
        summary["problems"] += [f"trial {trial} ({mode}): {p}" for p in result["problems"]]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
