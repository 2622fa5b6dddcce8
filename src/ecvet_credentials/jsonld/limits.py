"""Input bounds: strict JSON parsing and size/depth limits checked before any JSON-LD work.

A verifier canonicalizes before it knows whether a signature is valid, so every bound here is
checked cheaply and without unbounded recursion (a deeply nested input stops at json's recursion guard
and is then reported as too deep; the bounds are counted iteratively).
"""
from __future__ import annotations

import json
import os
import re
import sys
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Iterable, Iterator, NoReturn

from ecvet_credentials.core.errors import LimitExceededError, NotJsonError
from ecvet_credentials.i18n import N_, _

if TYPE_CHECKING:
    from ecvet_credentials.core.errors import InputError


@dataclass(frozen=True)
class Limits:
    """Bounds for parsing and canonicalizing one document. All must be positive."""

    max_bytes: int = 2_000_000
    max_depth: int = 64
    max_blank_nodes: int = 100
    max_seconds: float = 2.0
    max_array_length: int = 10_000
    max_json_values: int = 200_000  # every scalar, array and object counted once
    max_quads: int = 50_000
    # Units of RDFC-1.0 N-degree work (one per Hash N-Degree Quads call and per permutation tried).
    max_work: int = 20_000
    # Per document: proofs checked (sets and chains; a chain re-canonicalizes for every link) and the
    # time all of their canonicalizations may take together.
    max_proofs: int = 16
    max_document_seconds: float = 5.0

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"Limits.{name} must be a positive number, got {value!r}")


DEFAULT_LIMITS = Limits()

# A JSON string literal (unrolled loop: linear time, no backtracking blow-up).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# Up to this recursion limit, json's C parser nests safely on a thread's stack (it needs well under 1 KB per level).
_SAFE_RECURSION_LIMIT = 5_000


def _scan_depth(text: str) -> int:
    """Maximum bracket nesting of a JSON text, ignoring brackets inside strings. Iterative."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)))


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(name)  # NaN, Infinity, -Infinity: named in parse_json's message


def parse_json(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS, source: str | None = None) -> Any:
    """Parse JSON strictly and within `limits`.

    Raises NotJsonError (not UTF-8, binary, not JSON, duplicate keys, NaN/Infinity) or
    LimitExceededError (too many bytes, too deep, too many values, array too long).
    """
    if not isinstance(limits, Limits):
        raise TypeError("limits must be a Limits instance")
    if source is None:  # a name to translate where an error is raised: verifying costs no lookup
        source = N_("input")
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > limits.max_bytes:
            _too_big(source, len(data), limits.max_bytes)
        if b"\x00" in data:
            _binary(source)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]  # a UTF-8 byte-order mark is harmless; json.loads would reject it
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotJsonError(_("{source} is not UTF-8 text (invalid byte at offset {offset}); give a UTF-8 JSON file.")
                               .format(source=_(source), offset=exc.start)) from None
    elif isinstance(data, str):
        text = data
        # Count UTF-8 bytes cheaply: only non-ASCII text needs encoding.
        size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        if size > limits.max_bytes:
            _too_big(source, size, limits.max_bytes)
        if "\x00" in text:
            _binary(source)
    else:
        raise TypeError(f"parse_json expects bytes or str, not {type(data).__name__}")

    # json's C parser stops at the interpreter's recursion limit (RecursionError, caught below), and the
    # depth itself is checked by check_limits after parsing. Only where the embedding program raised the
    # recursion limit high enough for the C stack to be at risk is the text scanned first: the scan is a
    # third of the cost of parsing a large body.
    if sys.getrecursionlimit() > _SAFE_RECURSION_LIMIT:
        depth = _scan_depth(text)
        if depth > limits.max_depth:
            too_deep(limits.max_depth, source)
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except RecursionError:
        too_deep(limits.max_depth, source)
    except _DuplicateKey as exc:
        raise NotJsonError(_("{source} has the key {key} twice in one object, which is ambiguous; keep only one.")
                           .format(source=_(source), key=repr(exc.key))) from None
    except json.JSONDecodeError as exc:  # exc.msg is the json module's own (English) words: quoted as they are
        raise NotJsonError(_("{source} is not valid JSON ({reason} at line {line} column {column}); fix the syntax.")
                           .format(source=_(source), reason=exc.msg, line=exc.lineno, column=exc.colno)) from None
    except ValueError as exc:  # a NaN or Infinity constant (_reject_constant)
        raise NotJsonError(_("{source} is not valid JSON ({reason}); fix the syntax.").format(source=_(source), reason=exc)) from None
    if _SURROGATE_ESCAPE.search(text):  # "\\ud800" parses to a lone surrogate: not Unicode, and later crashes encoders
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise NotJsonError(_("{source} contains an unpaired UTF-16 surrogate escape (such as \\ud800), "
                                 "which is not Unicode text; fix the producer of this file.").format(source=_(source))) from None
    check_limits(value, limits=limits, source=source)
    return value


def _too_big(source: str, size: int, max_bytes: int) -> NoReturn:
    raise LimitExceededError(_("{source} is {size} bytes, more than the limit of {limit} bytes; use a smaller file.").format(
        source=_(source), size=f"{size:,}", limit=f"{max_bytes:,}"), details={"limit": "max_bytes"})


def _binary(source: str) -> NoReturn:
    raise NotJsonError(_("{source} is binary data, not JSON; give a JSON file.").format(source=_(source)))


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:  # pragma: no branch  (the lengths differ: some key repeats, so it raises)
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def check_limits(obj: Any, *, limits: Limits = DEFAULT_LIMITS, source: str | None = None) -> None:
    """Check depth, array length and value count of an already-parsed JSON value (iteratively)."""
    if not isinstance(limits, Limits):
        raise TypeError("limits must be a Limits instance")
    count_within(obj, limits=limits, source=N_("input") if source is None else source)


def count_within(obj: Any, *, limits: Limits, source: str, depth: int = 0, count: int = 0) -> int:
    """check_limits of `obj` found inside `depth` containers after `count` other values; returns the
    count with obj's values added."""
    stack = [(obj, depth)]
    max_depth, max_len, max_values = limits.max_depth, limits.max_array_length, limits.max_json_values
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > max_values:
            too_many(max_values, source)
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            if len(value) > max_len:
                too_long(len(value), max_len, source)
            children = value
        elif value is None or isinstance(value, (str, int, float, bool)):
            continue
        else:
            raise TypeError(f"{source} holds a {type(value).__name__}, which is not a JSON value")
        depth += 1
        if depth > max_depth:
            too_deep(max_depth, source)
        stack.extend((child, depth) for child in children)
    return count


# The errors of check_limits, also raised by the canonicalizer's fast path, which checks the same
# bounds while it walks the document (so that a document is walked once).
def too_many(max_values: int, source: str) -> NoReturn:
    raise LimitExceededError(_("{source} has more than {limit} JSON values; use a smaller document.").format(
        source=_(source), limit=f"{max_values:,}"), details={"limit": "max_json_values"})


def too_long(length: int, max_len: int, source: str) -> NoReturn:
    raise LimitExceededError(_("{source} has an array of {length} items, more than the limit of {limit}; "
                               "split the document.").format(source=_(source), length=f"{length:,}", limit=f"{max_len:,}"),
                             details={"limit": "max_array_length"})


def too_deep(max_depth: int, source: str) -> NoReturn:
    raise LimitExceededError(_("{source} nests arrays/objects more than {limit} levels deep; flatten the document.")
                             .format(source=_(source), limit=max_depth), details={"limit": "max_depth"})


def read_json_file(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS, source: str | None = None,
                   error: type[InputError] | None = None) -> Any:
    """The one way to load a JSON file: `fileutil.read_bounded` (regular files only, at most
    `limits.max_bytes`) then `parse_json`. `error` (an InputError subclass) replaces the read error type."""
    from ecvet_credentials.core.files import read_bounded

    name = source or str(path)
    return parse_json(read_bounded(path, max_bytes=limits.max_bytes, source=name, error=error), limits=limits,
                      source=name)


# --- stopping work nobody waits for ----------------------------------------------------------------
# A server answers 503 when a request runs out of time, but the worker thread cannot be killed: it
# sets the request's cancel event, and long loops (proof sets, RDFC-1.0) call `check_cancelled`.
_CANCEL: ContextVar[threading.Event | None] = ContextVar("ecvet_cancel", default=None)


@contextmanager
def cancel_on(event: threading.Event) -> Iterator[None]:
    """Within this block (in this thread), `check_cancelled` raises once `event` is set."""
    token = _CANCEL.set(event)
    try:
        yield
    finally:
        _CANCEL.reset(token)


def check_cancelled() -> None:
    event = _CANCEL.get()
    if event is not None and event.is_set():
        raise LimitExceededError("The work was stopped: the request that asked for it gave up or timed out.",
                                 code="WORK_CANCELLED", details={"limit": "cancelled"})
