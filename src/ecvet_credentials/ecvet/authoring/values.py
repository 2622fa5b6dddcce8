"""Reading a registrar's cell values: local dates, decimal commas, yes/no words of the EU languages.

A spreadsheet cell arrives as a string (CSV), or as a number, boolean, date or datetime (Excel/ODS).
Each parser returns the value the model expects, or raises AuthoringError naming the column, so a
row can report every bad cell at once. Nothing is guessed: an ambiguous date (05/11/2026) is refused
unless the date order is given, and "1,234.5" (two separators) is refused rather than read one way.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from ecvet_credentials.i18n import _
from ecvet_credentials.model._checks import fail

DATE_ORDERS = ("DMY", "MDY")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$")       # 16.11.2026: always day first
_SLASHED = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")        # 16/11/2026 or 11/16/2026
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class CellOptions:
    """How to read ambiguous cells: the day/month order of slashed dates (None: refuse ambiguous ones)."""

    date_order: str | None = None

    def __post_init__(self):
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise ValueError(f"date_order must be one of {DATE_ORDERS}")


@lru_cache(maxsize=1)
def yes_no_words() -> tuple[frozenset[str], frozenset[str]]:
    """(yes words, no words) of the bundled table (24 EU languages); lower case."""
    raw = json.loads(resources.files(__package__).joinpath("data/yes-no.json").read_text(encoding="utf-8"))
    raw.pop("_about", None)
    yes = frozenset(w.casefold() for lang in raw.values() for w in lang["yes"])
    no = frozenset(w.casefold() for lang in raw.values() for w in lang["no"])
    return yes, no


def text(value) -> str | None:
    """A cell as text: numbers without a spurious '.0' (Excel stores 2 as 2.0); empty -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    out = str(value).strip()
    return out or None


def yes_no(value, column: str, *, default: bool | None = None) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().casefold()
    yes, no = yes_no_words()
    if word in yes:
        return True
    if word in no:
        return False
    raise fail(column, _("must be yes or no (in any EU language: ja/nein, oui/non, sì/no ...), got {value}")
               .format(value=repr(value)))


def local_date(value, column: str, options: CellOptions = CellOptions()) -> date | None:
    """ISO 2026-11-16, 16.11.2026, 16/11/2026 (day/month order from the values or options), or a date cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    try:
        if m := _ISO.match(raw):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DOTTED.match(raw):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _SLASHED.match(raw):
            first, second, year = int(m[1]), int(m[2]), int(m[3])
            order = options.date_order
            if order is None:
                if first > 12 >= second:
                    order = "DMY"
                elif second > 12 >= first:
                    order = "MDY"
                elif first != second:
                    raise fail(column, _("{value} is ambiguous (day/month or month/day?): write 2026-11-05, "
                                         "05.11.2026, or give --date-order DMY|MDY").format(value=repr(raw)))
                else:
                    order = "DMY"
            return date(year, second, first) if order == "DMY" else date(year, first, second)
    except ValueError:
        raise fail(column, _("{value} is not a date of the calendar").format(value=repr(raw))) from None
    raise fail(column, _("must be a date (2026-11-16 or 16.11.2026), got {value}").format(value=repr(raw)))


def number(value, column: str) -> Decimal | None:
    """A number; a decimal comma is read as such ('3,5' is 3.5) but never a thousands separator."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise fail(column, f"must be a number, got {value!r}")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    raw = str(value).strip()
    if not _NUMBER.match(raw):
        raise fail(column, _("must be a number (3.5 or 3,5; no thousands separators), got {value}")
                   .format(value=repr(raw)))
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise fail(column, f"must be a number, got {raw!r}") from None


_LEADING_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)")


def grade_number(grade: str) -> Decimal | None:
    """The number a grade starts with ('5 (mangelhaft)' -> 5, '3,5' -> 3.5), or None for a word grade."""
    m = _LEADING_NUMBER.match(grade)
    return Decimal(m[1].replace(",", ".")) if m else None
