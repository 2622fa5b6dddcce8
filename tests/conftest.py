"""Shared test fixtures.

Tests that read ../shared (W3C vectors too large to bundle) use the `shared_dir` fixture, which skips
with a clear message when ../shared is not beside the checkout.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ECVET_SHARED_DIR", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "vectors").is_dir():
        pytest.skip(f"../shared not found at {SHARED} (set ECVET_SHARED_DIR): W3C vector tests skipped")
    return SHARED


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO
