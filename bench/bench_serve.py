"""Load on `ecvet serve`: POST /credentials/verify with the demo transcript (every check: proof, trust,
status from the published lists, ECVET rules) from this process against a server process on loopback,
with 1 and then 2 uvicorn workers. Bounded: stops after --requests or --seconds, whichever comes first.

    .venv/bin/python bench/bench_serve.py [--requests 2000] [--seconds 20] [--concurrency 4]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, config: Path, port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "ecvet_credentials", "--home", str(home), "serve", "--config", str(config),
           "--port", str(port), "--workers", str(workers)]
    env = dict(os.environ, ECVET_API_TOKEN="bench-token")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    stop(proc)
    raise SystemExit("the server did not start within 30 s")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def drive(url: str, body: bytes, *, requests: int, seconds: float, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    counter = iter(range(requests))
    stop_at = time.monotonic() + seconds

    def worker():
        # TCP_NODELAY: httpx writes the headers and the body separately; without it Nagle + delayed ACK
        # would add ~40 ms to every request (seen with 2 workers) and measure the kernel, not the server.
        transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        with httpx.Client(timeout=30, headers={"content-type": "application/json"}, transport=transport) as client:
            while time.monotonic() < stop_at:
                with lock:
                    if next(counter, None) is None:
                        return
                t0 = time.perf_counter()
                r = client.post(url, content=body)
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    if r.status_code != 200:
                        errors.append(r.status_code)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    return {"requests": len(latencies), "errors": len(errors), "seconds": wall, "rps": len(latencies) / wall,
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000, help="requests per run (default 2000)")
    ap.add_argument("--seconds", type=float, default=20.0, help="time limit per run (default 20 s)")
    ap.add_argument("--concurrency", type=int, default=4, help="client connections (default 4)")
    ap.add_argument("--workers", default="1,2", help="worker counts to run (default 1,2)")
    args = ap.parse_args()
    from ecvet_credentials.demo import run_demo

    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        tmp = Path(tmp)
        run_demo(tmp / "demo", echo=lambda _: None)
        config = tmp / "serve.toml"
        config.write_text(f'[status]\ndirectory = "{tmp / "demo" / "status"}"\n[registry]\ndb = "{tmp / "registry.sqlite"}"\n')
        transcript = json.loads((tmp / "demo" / "transcript.json").read_text())
        body = json.dumps({"verifiableCredential": transcript}).encode()
        print(f"POST /credentials/verify, {len(body):,} B body, all checks; {args.concurrency} client connections; "
              f"up to {args.requests} requests or {args.seconds:g} s per run; {os.cpu_count()} cores")
        print(f"{'workers':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
        for workers in [int(w) for w in args.workers.split(",")]:
            port = free_port()
            proc = start_server(tmp / f"home{workers}", config, port, workers)
            try:
                url = f"http://127.0.0.1:{port}/credentials/verify"
                drive(url, body, requests=50, seconds=5, concurrency=args.concurrency)  # warm every worker
                res = drive(url, body, requests=args.requests, seconds=args.seconds, concurrency=args.concurrency)
            finally:
                stop(proc)
            print(f"{workers:>7} {res['requests']:>8} {res['rps']:>7.0f} {res['p50_ms']:>7.1f} {res['p99_ms']:>7.1f} "
                  f"{res['errors']:>6}")


if __name__ == "__main__":
    main()
