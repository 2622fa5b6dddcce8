"""Shared test fixtures.

Tests that read ../shared (W3C vectors too large to bundle) use the `shared_dir` fixture, which skips
with a clear message when ../shared is not beside the checkout. In CI (CI=true) a missing input is a
failure, never a skip: a green run must mean the vectors were checked.
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from inputs import REPO, SHARED, skip_or_fail
from instants import CLOCK_START, DEMO_NOW

# Messages in English whatever the machine's locale; language tests choose theirs explicitly.
os.environ["LANGUAGE"] = "en"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "vectors").is_dir():
        skip_or_fail(f"../shared not found at {SHARED} (set ECVET_SHARED_DIR): W3C vector tests skipped")
    return SHARED


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """The demo's output (signed LA, PT, Recognition, QR code, status/), made once per test process at the
    fixed instant DEMO_NOW: its status lists (valid 7 days, ttl 1 day) and dates never depend on the day the
    suite runs. Every test using it runs with the clock frozen at DEMO_NOW too (`_demo_output_at_its_instant`).
    Shared: treat it as read-only (copy what you change)."""
    from ecvet_credentials.core.timeutil import frozen_clock
    from ecvet_credentials.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    with frozen_clock(DEMO_NOW):
        assert run_demo(out, echo=lines.append) is True, "\n".join(lines)
    return out


@pytest.fixture(autouse=True)
def _demo_output_at_its_instant(request):
    """A test that reads the demo's output (directly or through another fixture) verifies it at the instant
    the demo ran: the `clock` fixture, frozen at DEMO_NOW (the test may still move `clock.now`). The clock is
    the process's, so in-process CLI runs (CliRunner) and servers in a thread see it too; a subprocess gets
    `--now DEMO_NOW_ISO`. Module-scoped fixtures are made before it: they must not verify (they only load)."""
    if "demo_dir" in request.fixturenames:
        request.getfixturevalue("clock").now = DEMO_NOW


class FrozenClock:
    """A settable stand-in for the system clock: reads `now` until a test moves it."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    """The package's one clock (core.timeutil), frozen at CLOCK_START for this test; assign `clock.now`
    to move it. The system clock is back after the test."""
    from ecvet_credentials.core import timeutil

    frozen = FrozenClock(CLOCK_START)
    previous = timeutil.set_clock(frozen)
    yield frozen
    timeutil.set_clock(previous)


EXAMPLE_PASSPHRASE = "ecvet-example-do-not-use"


@pytest.fixture
def runner(monkeypatch, tmp_path):
    """A CLI runner with the example keys' passphrase, a fresh data directory (files may override it) and a
    status base URL chosen for issuing (tests about the refusal without one delete ECVET_STATUS_BASE_URL)."""
    from click.testing import CliRunner

    monkeypatch.setenv("ECVET_PASSPHRASE", EXAMPLE_PASSPHRASE)
    monkeypatch.setenv("ECVET_STATUS_BASE_URL", "https://status.example/ecvet")
    monkeypatch.setenv("ECVET_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ECVET_DB", raising=False)
    return CliRunner()
