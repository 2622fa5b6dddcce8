"""Shared CLI plumbing: the data directory, reading inputs, turning library errors into exit codes."""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from ecvet_credentials.core.errors import EcvetError, InputError, KeyFileError
from ecvet_credentials.i18n import _

EXIT_OK, EXIT_NOT_VERIFIED, EXIT_BAD_INPUT = 0, 1, 2


def default_home() -> Path:
    """ECVET_HOME, else the user's data directory (XDG on Linux)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ecvet"


class AppState:
    def __init__(self, home: Path):
        self.home = home

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self.home


pass_state = click.make_pass_decorator(AppState)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(fn):
    """Library errors become one plain sentence and an exit code: 2 for unreadable input, 1 otherwise."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (InputError, KeyFileError) as exc:  # unreadable input, or a key/passphrase problem: bad usage
            fail(str(exc), EXIT_BAD_INPUT)
        except EcvetError as exc:
            fail(str(exc), EXIT_NOT_VERIFIED)
        except OSError as exc:
            fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc), EXIT_BAD_INPUT)

    return wrapper


def read_input_bytes(path: str, *, max_bytes: int | None = None) -> tuple[bytes, str]:
    """Read a file path or '-' (stdin) through the one bounded read. Returns (bytes, display name)."""
    from ecvet_credentials.core.files import DEFAULT_MAX_READ, read_bounded, read_bounded_stream

    max_bytes = max_bytes or DEFAULT_MAX_READ
    if path == "-":
        return read_bounded_stream(sys.stdin.buffer, max_bytes=max_bytes), _("standard input")
    p = Path(path)
    if p.is_dir():  # the two common mistakes, said in the user's language; read_bounded covers the rest
        raise InputError(_("{path} is a directory, not a file.").format(path=path))
    if not p.exists():
        raise InputError(_("{path}: no such file.").format(path=path))
    return read_bounded(path, max_bytes=max_bytes), path


def read_json_document(path: str, *, limits=None):
    """Read and parse a JSON document under the input limits (InputError on anything unreadable)."""
    from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, parse_json

    limits = limits or DEFAULT_LIMITS
    data, name = read_input_bytes(path, max_bytes=limits.max_bytes)
    return parse_json(data, limits=limits, source=name)


def write_json(doc, out: str | None) -> None:
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if out is None or out == "-":
        click.echo(text, nl=False)
        return
    from ecvet_credentials.core.files import atomic_write_text

    atomic_write_text(Path(out), text)


def passphrase_option(fn):
    return click.option(
        "--passphrase-env",
        "passphrase_env",
        default="ECVET_PASSPHRASE",
        show_default=True,
        metavar="NAME",
        help="Environment variable holding the key passphrase (prompted for when interactive and unset).",
    )(fn)


def db_option(fn):
    return click.option(
        "--db",
        "db",
        default=None,
        envvar="ECVET_DB",
        metavar="URL",
        help="Registry database: an SQLite path or a postgresql+psycopg:// URL [env ECVET_DB; default HOME/registry.sqlite].",
    )(fn)


def open_registry(state, db: str | None):
    from ecvet_credentials.registry.store import Registry

    return Registry.open(db, home=state.ensure_home())
