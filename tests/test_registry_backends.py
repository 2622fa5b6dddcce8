"""Registry test backends: SQLite always, PostgreSQL when ECVET_TEST_PG_URL is set and answers.

Other registry test modules import the `backend` fixture from here. On PostgreSQL every test gets
its own schema `ecvet_test_<random>` (search_path), dropped afterwards, so parallel runs never collide.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ecvet_credentials.registry import Registry
from inputs import skip_or_fail

PG_URL = os.environ.get("ECVET_TEST_PG_URL")
_pg_state: dict[str, str | None] = {}


def pg_url_or_skip() -> str:
    hint = "set ECVET_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to a server that answers"
    if not PG_URL:
        skip_or_fail(f"PostgreSQL not configured: {hint}")
    if "error" not in _pg_state:
        try:
            import psycopg

            dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(dsn, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _pg_state["error"] = None
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
            _pg_state["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    if _pg_state["error"]:
        skip_or_fail(f"PostgreSQL not reachable at {PG_URL}: {hint} ({_pg_state['error']})")
    return PG_URL


@dataclass
class Backend:
    name: str
    url: str
    schema: str | None = None
    opened: list[Registry] = field(default_factory=list)

    def open(self, **kwargs) -> Registry:
        reg = Registry.open(self.url, schema=self.schema, **kwargs)
        self.opened.append(reg)
        return reg

    def cleanup(self) -> None:
        for reg in self.opened:
            reg.close()
        if self.schema:
            drop_pg_schema(self.url, self.schema)


def drop_pg_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def make_backend(name: str, tmp_path: Path) -> Backend:
    if name == "sqlite":
        return Backend("sqlite", str(tmp_path / "registry.sqlite"))
    return Backend("postgres", pg_url_or_skip(), schema=f"ecvet_test_{secrets.token_hex(6)}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request, tmp_path):
    b = make_backend(request.param, tmp_path)
    yield b
    b.cleanup()


def test_backend_opens_and_migrates(backend):
    reg = backend.open()
    assert reg.schema_version() == 3
    assert reg.backend == ("sqlite" if backend.name == "sqlite" else "postgresql")
    # reopening applies nothing new
    assert backend.open().schema_version() == 3
