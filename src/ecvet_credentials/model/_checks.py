"""Small validators shared by the model dataclasses.

Each raises `AuthoringError` naming the field path (relative to the object being built; authoring
readers prefix it with the file, row and outer path through `prefixed`).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, overload

from ecvet_credentials.core.errors import AuthoringError

_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%#-]+$")
_URN_UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

MAX_TEXT = 2000  # generous for a criteria paragraph; stops pasted documents


def fail(field: str, message: str) -> AuthoringError:
    return AuthoringError(f"{field}: {message}", details={"field": field})


@contextmanager
def prefixed(prefix: str):
    """Re-raise AuthoringErrors from nested objects with `prefix` before their field path."""
    try:
        yield
    except AuthoringError as exc:
        field = exc.details.get("field", "")
        full = f"{prefix}.{field}" if field and not field.startswith("[") else f"{prefix}{field}"
        msg = str(exc)
        if field and msg.startswith(field + ":"):
            msg = msg[len(field) + 1:].lstrip()
        raise AuthoringError(f"{full}: {msg}", details={**exc.details, "field": full}) from None


@overload
def text(value: Any, field: str, *, optional: Literal[False] = ..., max_len: int = ...) -> str: ...
@overload
def text(value: Any, field: str, *, optional: bool, max_len: int = ...) -> str | None: ...


def text(value: Any, field: str, *, optional: bool = False, max_len: int = MAX_TEXT) -> str | None:
    if type(value) is str:  # the usual case first (reading a credential calls this a hundred times)
        stripped = value.strip()
        if stripped and len(stripped) <= max_len:
            return stripped
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise fail(field, "is required")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise fail(field, f"must be text, not {type(value).__name__}")
    value = str(value).strip()
    if len(value) > max_len:
        raise fail(field, f"is longer than {max_len} characters")
    return value


@overload
def did(value: Any, field: str, *, optional: Literal[False] = ...) -> str: ...
@overload
def did(value: Any, field: str, *, optional: bool) -> str | None: ...


def did(value: Any, field: str, *, optional: bool = False) -> str | None:
    value = text(value, field, optional=optional, max_len=500)
    if value is not None and not _DID.match(value):
        raise fail(field, f"must be a DID (did:method:...), got {value!r}")
    return value


@overload
def iri(value: Any, field: str, *, optional: Literal[False] = ...) -> str: ...
@overload
def iri(value: Any, field: str, *, optional: bool) -> str | None: ...


def iri(value: Any, field: str, *, optional: bool = False) -> str | None:
    value = text(value, field, optional=optional, max_len=500)
    if value is not None and not _IRI.match(value):
        raise fail(field, f"must be an absolute IRI, got {value!r}")
    return value


def urn_uuid(value, field: str) -> str:
    value = text(value, field, max_len=100)
    if not _URN_UUID.match(value):
        raise fail(field, f"must be a lower-case urn:uuid:..., got {value!r}")
    return value


def email(value, field: str, *, optional: bool = True) -> str | None:
    value = text(value, field, optional=optional, max_len=254)
    if value is not None:
        if value.startswith("mailto:"):
            value = value[len("mailto:"):]
        if not _EMAIL.match(value):
            raise fail(field, f"is not an e-mail address: {value!r}")
    return value


_PHONE = re.compile(r"^\+?[0-9 ()./-]{3,40}$")


def phone(value, field: str) -> str | None:
    """A telephone number as people write it (+39 051 000000, (0203) 12-34); a spreadsheet cell may hold it
    as a number."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = text(value, field, optional=True, max_len=50)
    if value is not None and (not _PHONE.match(value) or sum(ch.isdigit() for ch in value) < 3):
        raise fail(field, f"is not a telephone number: {value!r}")
    return value


def lang(value, field: str) -> str:
    if type(value) is str and value in _GOOD_TAGS:
        return value
    value = text(value, field, max_len=20)
    if not _LANG.match(value):
        raise fail(field, f"must be a language tag such as 'en' or 'de', got {value!r}")
    if len(_GOOD_TAGS) < 256:
        _GOOD_TAGS.add(value)
    return value


# Tags that passed: a credential repeats a few in dozens of language maps (a set lookup, not a regex; bounded).
_GOOD_TAGS: set[str] = set()


@overload
def day(value: Any, field: str, *, optional: Literal[False] = ...) -> date: ...
@overload
def day(value: Any, field: str, *, optional: bool) -> date | None: ...


def day(value: Any, field: str, *, optional: bool = False) -> date | None:
    """A calendar date from a date, or an ISO 8601 'YYYY-MM-DD' string."""
    if isinstance(value, str) and value:  # the usual case first (a credential's dates)
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise fail(field, f"must be a date YYYY-MM-DD, got {value!r}") from None
    if value is None or value == "":
        if optional:
            return None
        raise fail(field, "is required (YYYY-MM-DD)")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise fail(field, f"must be a date YYYY-MM-DD, got {value!r}")


@overload
def timestamp(value: Any, field: str, *, optional: Literal[False] = ...) -> datetime: ...
@overload
def timestamp(value: Any, field: str, *, optional: bool) -> datetime | None: ...


def timestamp(value: Any, field: str, *, optional: bool = False) -> datetime | None:
    """An aware datetime (UTC if no offset is given), from a datetime, date or ISO string."""
    if value is None or value == "":
        if optional:
            return None
        raise fail(field, "is required (ISO 8601 date-time)")
    if isinstance(value, str):
        raw = value.strip()
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00")) if len(raw) > 10 else date.fromisoformat(raw)
        except ValueError:
            raise fail(field, f"must be an ISO 8601 date-time, got {raw!r}") from None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if not isinstance(value, datetime):
        raise fail(field, f"must be a date-time, got {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.replace(microsecond=0)


@overload
def points(value: Any, field: str, *, optional: Literal[False] = ...) -> Decimal: ...
@overload
def points(value: Any, field: str, *, optional: bool) -> Decimal | None: ...


def points(value: Any, field: str, *, optional: bool = False) -> Decimal | None:
    """ECVET points: a non-negative finite number (decimals allowed: '1.5')."""
    if optional and (value is None or value == ""):
        return None
    if isinstance(value, bool) or value is None or value == "":
        raise fail(field, "is required (a number of ECVET points)")
    try:
        number = Decimal(str(value).strip().replace(",", ".") if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise fail(field, f"must be a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise fail(field, f"must be a non-negative number, got {value!r}")
    if number > 1000:
        raise fail(field, f"is implausibly large ({value!r} ECVET points)")
    return number


def number(value, field: str, *, minimum: float, maximum: float, optional: bool = False) -> float | int | None:
    if value is None or value == "":
        if optional:
            return None
        raise fail(field, "is required")
    if isinstance(value, bool):
        raise fail(field, "must be a number")
    try:
        num = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise fail(field, f"must be a number, got {value!r}") from None
    if not minimum < num <= maximum:  # minimum exclusive: durations and hours are positive
        raise fail(field, f"must be more than {minimum} and at most {maximum}, got {value!r}")
    return int(num) if num.is_integer() else num


def eqf(value, field: str, *, optional: bool = True) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise fail(field, "is required (EQF level 1-8)")
    if isinstance(value, str):
        value = value.strip().rsplit("/", 1)[-1]
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise fail(field, f"must be an EQF level 1-8, got {value!r}") from None
    if isinstance(value, bool) or not 1 <= level <= 8 or (isinstance(value, float) and not value.is_integer()):
        raise fail(field, f"must be an EQF level 1-8, got {value!r}")
    return level


def points_text(value: Decimal) -> str:
    """Wire form of points: '4', '1.5' (never '4E+1')."""
    text_ = format(value.normalize(), "f")
    return text_
