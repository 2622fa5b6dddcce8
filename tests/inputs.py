"""Where the tests' outside inputs are (../shared, PostgreSQL), and what happens when one is missing:
a local run skips with the reason; CI (CI=true) fails, so a green CI run means they were all used."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ECVET_SHARED_DIR", REPO.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    """Skip locally with the reason; in CI the same missing input fails the test."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: missing inputs fail instead of skipping)", pytrace=False)
    pytest.skip(reason)
