"""What checking revocation where the list lives costs a command-line verifier: one fetch of a status
list (about 22 KB) from a loopback HTTPS server, through the one fetcher (`net.Fetcher`), by a new
client each time as every `ecvet verify` run is: a full 200, a revalidation answered 304 (If-Modified-
Since), and a run's next list over its kept-alive connection, against reading the cached copy offline
(the baseline). A new client is mostly its TLS context (loading the CA store: ~80 ms).

    .venv/bin/python bench/bench_fetch.py [--quick]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from harness import Bench  # noqa: E402

from ecvet_credentials.net import Fetcher  # noqa: E402


def main() -> None:
    from serve_helpers import bound_socket
    from tls_helpers import make_test_ca, static_https

    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-fetch-"))
    ca, cert, key = make_test_ca(tmp)
    site = tmp / "site"
    site.mkdir()
    (site / "revocation-1").write_bytes(b'{"encodedList": "' + b"u" * 22000 + b'"}')
    sock = bound_socket()
    url = f"https://127.0.0.1:{sock.getsockname()[1]}/revocation-1"
    cache = tmp / "cache"

    def online(conditional: bool):
        def run():
            fetcher = Fetcher(cache_dir=cache if conditional else None, allowed_hosts=["127.0.0.1"], ca_bundle=str(ca))
            fetcher.get(url, max_age=timedelta(0))
        return run

    reused = Fetcher(cache_dir=cache, allowed_hosts=["127.0.0.1"], ca_bundle=str(ca))

    def same_run():
        reused.get(url, max_age=timedelta(0))

    def offline():
        Fetcher(cache_dir=cache, offline=True).get(url)

    with static_https(site, cert, key, sock):
        Fetcher(cache_dir=cache, allowed_hosts=["127.0.0.1"], ca_bundle=str(ca)).get(url)
        bench = Bench(rounds=5 if args.quick else 15, target_seconds=1.0 if args.quick else 3.0)
        bench.add("cached copy, offline", offline, "disk cache read, digest checked")
        bench.add("revalidate: 304", online(True), "new client + TLS handshake, no body")
        bench.add("fetch: 200", online(False), "new client + TLS handshake, 22 KB body")
        bench.add("revalidate: 304, same run", same_run, "the run's client: no new TLS context")
        bench.run()
    print(bench.table("cached copy, offline", title="Status list fetch (loopback HTTPS)"))


if __name__ == "__main__":
    main()
