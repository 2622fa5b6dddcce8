"""Rows of a cohort file as they come: CSV (UTF-8 with or without BOM, comma, semicolon or tab), .xlsx, .ods.

CSV is streamed line by line (a cohort of 10,000+ learners reads in flat memory); spreadsheets are
read with python-calamine (one Rust reader for .xlsx and .ods, which loads one sheet at a time).
Rows are numbered as the registrar sees them (the header is row 1 of a CSV; a spreadsheet keeps
its own row numbers, so blank rows above the table do not shift them).
"""
from __future__ import annotations

import csv
import io
import stat
from pathlib import Path
from typing import Iterator

from ecvet_credentials.core.errors import AuthoringError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".ods")
MAX_CSV_BYTES = 512 * 1024 * 1024       # streamed: the bound is on the work, not the memory
MAX_SPREADSHEET_BYTES = 64 * 1024 * 1024  # a sheet is loaded whole (about 10x its zipped size)
MAX_ROWS = 1_000_000
MAX_CELL_CHARS = 64 * 1024


def _checked_size(path: Path, limit: int) -> None:
    try:
        info = path.stat()
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise AuthoringError(f"{path}: not a regular file")
    if info.st_size > limit:
        raise AuthoringError(f"{path}: file is too large ({info.st_size} bytes; limit {limit})")


def iter_rows(path: str | Path, *, sheet: str | None = None) -> Iterator[tuple[int, list]]:
    """(row number, cells) for every row, the header first. Cells are str for CSV; str, int, float,
    bool, date or datetime for spreadsheets. Raises AuthoringError for an unreadable file."""
    path = Path(path)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        yield from _spreadsheet_rows(path, sheet)
    else:
        if sheet is not None:
            raise AuthoringError(f"{path}: --sheet applies to .xlsx and .ods files, not to CSV")
        yield from _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    _checked_size(path, MAX_CSV_BYTES)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed in finally (a generator)
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    try:
        head = raw.read(8192)
        if head.startswith(b"PK\x03\x04"):
            raise AuthoringError(f"{path}: this is a spreadsheet (zip) file; name it .xlsx or .ods")
        raw.seek(0)
        sample = head.decode("utf-8-sig", errors="ignore")
        try:
            dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""), dialect)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                if number > MAX_ROWS:
                    raise AuthoringError(f"{path}: more than {MAX_ROWS} rows")
                yield number, cells
        except UnicodeDecodeError:
            raise AuthoringError(f"{path}, row {number + 1}: not UTF-8 text (save the spreadsheet as "
                                 "CSV UTF-8, or give the .xlsx/.ods file itself)") from None
        except csv.Error as exc:
            raise AuthoringError(f"{path}, row {number + 1}: not readable as CSV ({exc})") from None
    finally:
        raw.close()


def _spreadsheet_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list]]:
    from python_calamine import CalamineWorkbook

    _checked_size(path, MAX_SPREADSHEET_BYTES)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for every malformed file
        raise AuthoringError(f"{path}: not a readable spreadsheet ({type(exc).__name__}: {str(exc)[:200]})") from None
    try:
        names = book.sheet_names
        if sheet is None:
            if not names:
                raise AuthoringError(f"{path}: the spreadsheet has no sheets")
            sheet = names[0]
        elif sheet not in names:
            raise AuthoringError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(names)})")
        data = book.get_sheet_by_name(sheet)
        first_row = (data.start or (0, 0))[0] + 1
        for offset, cells in enumerate(data.iter_rows()):
            if offset >= MAX_ROWS:
                raise AuthoringError(f"{path}: more than {MAX_ROWS} rows")
            yield first_row + offset, [None if cell == "" else cell for cell in cells]  # "" is an empty cell
    finally:
        book.close()
