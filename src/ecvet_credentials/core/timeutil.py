"""XSD dateTime parsing and formatting for the whole package (time is always injectable)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

# XSD dateTimeStamp-ish: date, 'T', time, optional fraction, optional zone. Stricter than fromisoformat.
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def parse_datetime(value: object, *, zone_required: bool = False) -> datetime | None:
    """Parse an XSD dateTime; None if it is not one. A value without zone is taken as UTC, unless
    `zone_required` (an XSD dateTimeStamp, as a proof's `created` and `expires` are)."""
    if not isinstance(value, str) or not _DATETIME.match(value):
        return None
    if zone_required and not (value.endswith("Z") or value[-6:-5] in ("+", "-") and value[-3] == ":"):
        return None
    text = value.replace("Z", "+00:00")
    if "." in text:  # Python < 3.11 quirks aside, trim fractions beyond microseconds
        head, _, rest = text.partition(".")
        digits = "".join(ch for ch in rest if ch.isdigit())
        zone = rest[len(digits):]
        text = f"{head}.{digits[:6].ljust(6, '0')}{zone}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


# The one clock every "what time is it" for a decision reads (validity, expiry, issuance dates, status
# lists, challenges...). Tests and "as of" runs replace it; timeouts and caches use time.monotonic().
_clock: Callable[[], datetime] = system_clock


def utc_now() -> datetime:
    """The current time (aware UTC) from the injectable clock."""
    return as_utc(_clock())


def utc_today() -> date:
    """Today's date in UTC, from the injectable clock (the same day wherever the machine is)."""
    return utc_now().date()


def set_clock(clock: Callable[[], datetime] | None) -> Callable[[], datetime]:
    """Replace the clock (None: the system clock again); returns the previous one to restore."""
    global _clock
    previous, _clock = _clock, clock or system_clock
    return previous


@contextmanager
def frozen_clock(at: datetime) -> Iterator[None]:
    """Within the block, the clock says `at` (naive: UTC)."""
    previous = set_clock(lambda: at)
    try:
        yield
    finally:
        set_clock(previous)


def as_utc(dt: datetime) -> datetime:
    """Aware UTC; a naive value is taken as UTC, as parse_datetime does."""
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def iso(dt: datetime) -> str:
    return as_utc(dt).strftime("%Y-%m-%dT%H:%M:%SZ")


_DURATION = re.compile(r"(\d+)([wdhms])")
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(value: object) -> timedelta | None:
    """'7d', '12h', '1d12h', '90m', '3600s', '2w' -> timedelta; None if not such a duration (or zero)."""
    if not isinstance(value, str) or not value or _DURATION.sub("", value.strip().lower()):
        return None
    seconds = sum(int(n) * _UNITS[u] for n, u in _DURATION.findall(value.strip().lower()))
    return timedelta(seconds=seconds) if 0 < seconds < 10**10 else None
