"""The demo fixture's output is made at a fixed instant (DEMO_NOW) and the tests that use it verify at that
instant, whatever day the suite runs: its status lists are valid 7 days, so against the wall clock every
verdict on demo output would change a week after the fixture's instant (issue 13)."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

from ecvet_credentials.core.timeutil import iso, parse_datetime, utc_now
from instants import DEMO_NOW, DEMO_NOW_ISO

TEN_YEARS_LATER = DEMO_NOW.replace(year=DEMO_NOW.year + 10)


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_demo_output_is_dated_at_its_fixed_instant(demo_dir):
    assert load(demo_dir / "recognition.json")["validFrom"] == DEMO_NOW_ISO  # issued "now" by the demo
    lists = load(demo_dir / "status" / "index.json")["lists"]
    assert len(lists) == 4  # revocation and suspension, of the host and of the home
    for entry in lists.values():
        assert entry["published"] == DEMO_NOW_ISO
        status_list = load(demo_dir / "status" / entry["file"])
        assert parse_datetime(status_list["validFrom"]) == DEMO_NOW
        assert parse_datetime(status_list["validUntil"]) == DEMO_NOW + timedelta(days=7)


def test_a_test_using_the_demo_output_runs_at_its_instant(demo_dir):
    assert utc_now() == DEMO_NOW  # without asking for the clock fixture


def _verify_transcript(demo_dir):
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.core.paths import data_dir
    from ecvet_credentials.status.fetch import StatusListSource
    from ecvet_credentials.trust.signing import load_trust_registry
    from ecvet_credentials.verify import verify_credential

    return verify_credential(load(demo_dir / "transcript.json"), agreement=load(demo_dir / "learning-agreement.json"),
                             mou=load(demo_dir / "mou.json"), resolver=DidResolver(),
                             trust=load_trust_registry(data_dir("keys-example") / "trust-registry.json"),
                             status_source=StatusListSource(directory=demo_dir / "status", offline=True))


def test_the_demo_output_verifies_at_its_instant_and_its_status_lists_have_expired_ten_years_later(demo_dir, clock):
    report = _verify_transcript(demo_dir)
    assert report.verified, report
    clock.now = TEN_YEARS_LATER  # the freeze is what made it pass: the same files, later
    report = _verify_transcript(demo_dir)
    status = report.get("status")
    assert not report.verified and status is not None
    # an expired list says nothing about the status now: not checked, which never counts as passed
    assert (status.outcome.value, status.code) == ("not_checked", "STATUS_LIST_EXPIRED"), status


def test_the_cli_in_another_process_verifies_at_its_now_option(demo_dir):
    """A subprocess does not share the test's clock: `ecvet verify --now` is the whole verification's clock
    (validity, status lists, trust), so the same files verify at DEMO_NOW and not ten years later."""
    def run(now: str) -> tuple[int, dict]:
        out = subprocess.run([sys.executable, "-m", "ecvet_credentials", "verify", str(demo_dir / "transcript.json"),
                              "--agreement", str(demo_dir / "learning-agreement.json"), "--mou", str(demo_dir / "mou.json"),
                              "--trust", "example", "--status-dir", str(demo_dir / "status"), "--offline", "--json",
                              "--now", now], capture_output=True, text=True, timeout=300)
        return out.returncode, json.loads(out.stdout)

    code, report = run(DEMO_NOW_ISO)
    assert code == 0 and report["verified"] is True, report
    code, report = run(iso(TEN_YEARS_LATER))
    status = next(c for c in report["checks"] if c["id"] == "status")
    assert code == 1 and report["verified"] is False and status["code"] == "STATUS_LIST_EXPIRED", report


def test_a_server_in_another_process_runs_at_its_hidden_now_option(demo_dir, tmp_path):
    """`ecvet serve --now` (test-only, hidden): the service's clock stands still there, as the flood test's
    server needs to verify the demo's output at the demo's instant."""
    import os
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, ECVET_HOME=str(tmp_path / "home"), ECVET_API_TOKEN="test-token-0123456789",
               ECVET_PASSPHRASE="ecvet-example-do-not-use")
    proc = subprocess.Popen([sys.executable, "-m", "ecvet_credentials", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--now", DEMO_NOW_ISO], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(600):  # up to ~2 minutes on a loaded machine
            assert proc.poll() is None, "ecvet serve exited"
            try:
                if httpx.get(url + "/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise AssertionError("ecvet serve did not answer")
        body = {"verifiableCredential": load(demo_dir / "transcript.json"), "options": {"checks": ["validity-period"]}}
        checks = httpx.post(url + "/credentials/verify", json=body, timeout=60).json()["checks"]
        check = next(c for c in checks if c["id"] == "validity-period")
        assert (check["outcome"], check["message"]) == ("passed", f"Valid at {DEMO_NOW_ISO} with no end date.")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_the_servers_now_option_is_for_one_worker(runner):
    from ecvet_credentials.cli.main import cli

    result = runner.invoke(cli, ["serve", "--now", DEMO_NOW_ISO, "--workers", "2"])
    assert result.exit_code == 2 and "--now (test-only) needs --workers 1" in result.output
