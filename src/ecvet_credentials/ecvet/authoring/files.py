"""Reading authoring files (YAML or JSON) safely, and naming the file in every error."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import yaml

from ecvet_credentials.core.errors import AuthoringError, InputError
from ecvet_credentials.core.files import read_bounded
from ecvet_credentials.jsonld.limits import parse_json

MAX_FILE_BYTES = 2 * 1024 * 1024  # an agreement or transcript is a few KB; a cohort CSV a few hundred


class _Loader(yaml.SafeLoader):
    """SafeLoader where only true/false are booleans: YAML 1.1 would read the country code NO
    (Norway) or a grade "yes" as a boolean."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def read_bytes(path: Path) -> bytes:
    """The one bounded read, with AuthoringError (a regular file of at most MAX_FILE_BYTES)."""
    return read_bounded(path, max_bytes=MAX_FILE_BYTES, error=AuthoringError)


def parse_json_text(text: bytes | str, path: Path):
    """The one bounded parse, with AuthoringError naming the file."""
    try:
        return parse_json(text, source=str(path))
    except InputError as exc:
        raise AuthoringError(str(exc)) from None


def load_mapping(path: str | Path) -> dict:
    """The top-level mapping of a YAML or JSON authoring file."""
    path = Path(path)
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AuthoringError(f"{path}: not UTF-8 text") from None
    try:
        if path.suffix.lower() == ".json":
            value = parse_json_text(text, path)
        else:
            value = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:  # PyYAML composes nested flow collections recursively
        raise AuthoringError(f"{path}: nested too deeply to be an authoring file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or getattr(exc, "msg", None) or "syntax error"
        raise AuthoringError(f"{path}: not valid YAML{where}: {problem}") from None
    if not isinstance(value, dict):
        raise AuthoringError(f"{path}: the file must hold a mapping of fields (home:, host:, learner:, ...)")
    return value


@contextmanager
def in_file(path, row: int | None = None):
    """Prefix AuthoringErrors with the file (and CSV row) they come from."""
    try:
        yield
    except AuthoringError as exc:
        if exc.details.get("file"):
            raise
        where = f"{path}, row {row}" if row is not None else f"{path}"
        raise AuthoringError(f"{where}: {exc}", details={**exc.details, "file": str(path), "row": row}) from None
