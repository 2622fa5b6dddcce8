"""Slow registry tests: concurrent issuers never share an index; a batch killed with SIGKILL and
re-run records every row exactly once. Workers are separate Python processes (real locking)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ecvet_credentials.registry.migrations import LATEST

from test_registry_backends import backend  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

WORKERS, PER_WORKER = 4, 2000

# A start barrier that does not read the clock: each worker says "ready", then waits (bounded) for the
# parent to create the go file once every worker is ready.
BARRIER = textwrap.dedent("""
    import os, sys, time
    def barrier(go):
        print("ready", flush=True)
        for _ in range(60_000):
            if os.path.exists(go):
                return
            time.sleep(0.001)
        sys.exit("barrier never opened")
""")

ALLOC_WORKER = BARRIER + textwrap.dedent("""
    from ecvet_credentials.registry import Registry
    url, schema, worker, count, go = sys.argv[1], sys.argv[2] or None, sys.argv[3], int(sys.argv[4]), sys.argv[5]
    reg = Registry.open(url, schema=schema)
    barrier(go)  # all workers start together
    for i in range(count):
        reg.allocate_and_record(credential_type="PT", issuer_did="did:key:zIssuer",
                                status_base_url="https://host.example/status", batch_id=worker, row_key=str(i))
    print("done", flush=True)
""")

# A batch issuer following the reserve -> sign -> record protocol; prints a line per finished row.
BATCH_WORKER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from ecvet_credentials.registry import Registry, credential_digest
    from ecvet_credentials.status._util import atomic_write
    url, schema, out, rows = sys.argv[1], sys.argv[2] or None, Path(sys.argv[3]), int(sys.argv[4])
    reg = Registry.open(url, schema=schema)
    for i in range(rows):
        a = reg.allocate_and_record(credential_type="PT", issuer_did="did:key:zIssuer",
                                    status_base_url="https://host.example/status", batch_id="cohort", row_key=f"row{i}")
        if a.issued:
            print("skip", i, flush=True)
            continue
        signed = {"id": a.credential_id, "credentialStatus": a.entries, "row": i, "proof": {"proofValue": "z"}}
        data = json.dumps(signed).encode()
        atomic_write(out / f"row{i}.json", data)
        reg.record_digest(a.credential_id, credential_digest(data))
        print("issued", i, flush=True)
""")


def _args(backend, *rest):
    return [sys.executable, "-c", *rest[:1], backend.url, backend.schema or "", *map(str, rest[1:])]


def _open_barrier(procs, go: Path) -> None:
    """Wait until every worker printed "ready", then let them all go at once."""
    for p in procs:
        line = p.stdout.readline()
        assert line.strip() == "ready", (line, p.stderr.read()[-2000:] if p.poll() is not None else "")
    go.touch()


def test_concurrent_allocations_never_share_an_index(backend, tmp_path):
    reg = backend.open()  # creates and migrates the schema before the workers race
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(_args(backend, ALLOC_WORKER, f"w{k}", PER_WORKER, go),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for k in range(WORKERS)
    ]
    _open_barrier(procs, go)
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        assert out.strip() == "done"
    records = reg.list_credentials()
    assert len(records) == WORKERS * PER_WORKER
    assert len({r.credential_id for r in records}) == WORKERS * PER_WORKER
    assert len({(r.batch_id, r.row_key) for r in records}) == WORKERS * PER_WORKER
    for purpose in ("revocation", "suspension"):
        pairs = {(getattr(r, purpose).list_id, getattr(r, purpose).index) for r in records}
        assert len(pairs) == WORKERS * PER_WORKER
    assert sum(i.allocated for i in reg.status_lists()) == 2 * WORKERS * PER_WORKER


def test_batch_killed_midway_then_rerun_records_each_row_once(backend, tmp_path):
    rows = 400
    reg = backend.open()
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(_args(backend, BATCH_WORKER, out, rows), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    done = 0
    for line in proc.stdout:
        done += line.startswith("issued")
        if done >= rows // 2:
            os.kill(proc.pid, signal.SIGKILL)  # no cleanup, no rollback handler: a real crash
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    before = {r.row_key: r for r in reg.list_credentials(batch_id="cohort")}
    assert rows // 2 <= len(before) < rows

    rerun = subprocess.run(_args(backend, BATCH_WORKER, out, rows), capture_output=True, text=True, timeout=240)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    skipped = sum(line.startswith("skip") for line in rerun.stdout.splitlines())
    assert skipped == sum(1 for r in before.values() if r.digest)

    records = reg.list_credentials(batch_id="cohort")
    assert len(records) == rows and not reg.pending()
    assert len({r.credential_id for r in records}) == rows
    for purpose in ("revocation", "suspension"):
        assert len({(getattr(r, purpose).list_id, getattr(r, purpose).index) for r in records}) == rows
    by_row = {r.row_key: r for r in records}
    for key, old in before.items():  # a reservation made before the crash was completed, not replaced
        assert by_row[key].credential_id == old.credential_id
    from ecvet_credentials.registry import credential_digest

    files = sorted(out.glob("row*.json"))
    assert len(files) == rows
    for path in files:
        data = path.read_bytes()
        doc = json.loads(data)
        rec = by_row[reg.row_digest(path.stem)]
        assert doc["id"] == rec.credential_id and credential_digest(data) == rec.digest
    assert sum(i.allocated for i in reg.status_lists()) == 2 * rows


OPEN_WORKER = BARRIER + textwrap.dedent("""
    from ecvet_credentials.registry import Registry
    url, schema, go = sys.argv[1], sys.argv[2] or None, sys.argv[3]
    barrier(go)
    reg = Registry.open(url, schema=schema)
    a = reg.allocate_and_record(credential_type="PT", issuer_did="did:key:zIssuer",
                                status_base_url="https://host.example/status")
    print(reg.schema_version(), a.credential_id, flush=True)
""")


def test_concurrent_first_open_migrates_once(backend, tmp_path):
    """Four processes open a registry that does not exist yet (file / schema) at the same moment."""
    go = tmp_path / "go"
    procs = [subprocess.Popen(_args(backend, OPEN_WORKER, go), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    _open_barrier(procs, go)
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        assert out.split()[0] == str(LATEST)
    reg = backend.open()
    assert reg.schema_version() == LATEST and len(reg.list_credentials()) == 4
    assert len(reg.status_lists()) == 2  # the racing openers of the first lists agreed on one per purpose
