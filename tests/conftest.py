"""Shared test fixtures.

Tests that read ../shared (W3C vectors too large to bundle) use the `shared_dir` fixture, which skips
with a clear message when ../shared is not beside the checkout. In CI (CI=true) a missing input is a
failure, never a skip: a green run must mean the vectors were checked.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from inputs import REPO, SHARED, skip_or_fail

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
    """The demo's output (signed LA, PT, Recognition, QR code, status/), made once per test process.
    Shared: treat it as read-only (copy what you change)."""
    from ecvet_credentials.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    assert run_demo(out, echo=lines.append) is True, "\n".join(lines)
    return out


class FrozenClock:
    """A settable stand-in for the system clock: reads `now` until a test moves it."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


CLOCK_START = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


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
