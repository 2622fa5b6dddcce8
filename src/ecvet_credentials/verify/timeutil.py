"""XSD dateTime parsing for validity checks (time is always injectable)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

# XSD dateTimeStamp-ish: date, 'T', time, optional fraction, optional zone. Stricter than fromisoformat.
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def parse_datetime(value: object) -> datetime | None:
    """Parse an XSD dateTime; None if it is not one. A value without zone is taken as UTC."""
    if not isinstance(value, str) or not _DATETIME.match(value):
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


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
