"""`ecvet serve` as a real process with 2 uvicorn workers, driven by bench/bench_serve.py in a small
bounded run (loopback only): every request verified, the server stopped by the script."""
from __future__ import annotations

import subprocess
import sys




def test_bench_serve_two_workers(repo_dir):
    out = subprocess.run([sys.executable, str(repo_dir / "bench" / "bench_serve.py"), "--requests", "60",
                          "--seconds", "10", "--workers", "2", "--concurrency", "2"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    row = out.stdout.strip().splitlines()[-1].split()
    workers, requests, errors = int(row[0]), int(row[1]), int(row[-1])
    assert (workers, requests, errors) == (2, 60, 0), out.stdout
