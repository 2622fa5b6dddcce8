"""One clock: every "what time is it" in the package reads core.timeutil's injectable clock, so freezing
it decides the verdict (library and CLI alike), and no module reads the system clock by itself."""
from __future__ import annotations

import ast
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecvet_credentials.cli.main import cli
from ecvet_credentials.core import timeutil
from ecvet_credentials.verify import verify_credential
from verify_corpus import build_corpus

SRC = Path(__file__).resolve().parents[1] / "src" / "ecvet_credentials"
# The "expired" corpus case: issued 2026-11-20T15:00Z, valid until 2026-11-22, status lists from 2026-11-21.
BEFORE_EXPIRY = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
AFTER_EXPIRY = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def _clock_reads(tree: ast.AST) -> list[int]:
    """Lines calling datetime.now/utcnow/today, date.today or time.time (however `datetime` is spelled)."""
    hits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else None
        if (name in ("datetime", "date") and node.func.attr in ("now", "utcnow", "today")) or \
                (name == "time" and node.func.attr == "time"):
            hits.append(node.lineno)
    return hits


def test_the_clock_guard_finds_every_spelling():
    code = ("import datetime as dt, time\nfrom datetime import date, datetime\n"
            "a = datetime.now()\nb = dt.datetime.utcnow()\nc = date.today()\nd = time.time()\ne = time.monotonic()\n")
    assert _clock_reads(ast.parse(code)) == [3, 4, 5, 6]


def test_only_core_timeutil_reads_the_system_clock():
    found = {str(p.relative_to(SRC)): lines for p in sorted(SRC.rglob("*.py"))
             if p != SRC / "core" / "timeutil.py" and (lines := _clock_reads(ast.parse(p.read_text(encoding="utf-8"))))}
    assert found == {}, "use ecvet_credentials.core.timeutil.utc_now()/utc_today() (the injectable clock)"


def test_the_clock_fixture_freezes_and_restores(clock):
    assert timeutil.utc_now() == clock.now and timeutil.utc_today() == clock.now.date()
    clock.now = datetime(2030, 1, 2, 23, 30, tzinfo=timezone.utc)
    assert timeutil.utc_today().isoformat() == "2030-01-02"
    with timeutil.frozen_clock(datetime(2027, 5, 1)):  # naive is taken as UTC
        assert timeutil.utc_now() == datetime(2027, 5, 1, tzinfo=timezone.utc)
    assert timeutil.utc_now() == clock.now
    previous = timeutil.set_clock(None)
    try:
        assert abs((timeutil.utc_now() - datetime.now(timezone.utc)).total_seconds()) < 3600  # the system clock
    finally:
        timeutil.set_clock(previous)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("clock") / "verify")


def test_freezing_the_clock_decides_expiry_in_the_library(corpus, clock):
    expired = json.loads(corpus["expired"].file.read_text(encoding="utf-8"))

    def outcome():
        check = verify_credential(expired, checks=["validity-period"]).get("validity-period")
        assert check is not None
        return check.outcome.value, check.code

    clock.now = BEFORE_EXPIRY
    assert outcome() == ("passed", "OK")
    clock.now = AFTER_EXPIRY
    assert outcome() == ("failed", "EXPIRED")


def test_freezing_the_clock_decides_expiry_through_the_cli(corpus, clock, monkeypatch, tmp_path):
    monkeypatch.setenv("ECVET_HOME", str(tmp_path / "home"))
    case = corpus["expired"]
    args = list(case.args)
    at = args.index("--now")
    del args[at:at + 2]  # no --now: the command reads the clock

    def verify():
        result = CliRunner().invoke(cli, ["verify", str(case.file), "--json", *args], catch_exceptions=False)
        report = json.loads(result.output)
        return result.exit_code, report["verdict"], {c["id"]: c.get("code") for c in report["checks"]}["validity-period"]

    clock.now = BEFORE_EXPIRY
    assert verify() == (0, "verified", "OK")
    clock.now = AFTER_EXPIRY
    assert verify() == (1, "not_verified", "EXPIRED")
