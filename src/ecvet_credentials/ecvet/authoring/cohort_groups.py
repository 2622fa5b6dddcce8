"""A cohort file's rows, grouped by learner: the header checked, blank rows skipped, and each learner's
rows handed over once. A file whose learners' rows are together is streamed in flat memory (checked
first with a fixed Bloom filter); otherwise a first pass notes each learner's last row, and a
learner's rows are held until that row has been read.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from ecvet_credentials.core.errors import AuthoringError
from ecvet_credentials.model import _checks as c
from ecvet_credentials.ecvet.authoring import values as v
from ecvet_credentials.ecvet.authoring.files import in_file
from ecvet_credentials.ecvet.authoring.sheets import iter_rows

REQUIRED = ("learner_id", "given_name", "family_name", "date_of_birth", "unit_code", "assessment_date", "grade")
OPTIONAL = ("learner_did", "learner_id_scheme", "method", "passed", "points_awarded", "criteria",
            "assessor_name", "assessor_role", "start", "end", "duration_weeks", "daily_hours",
            "agreement_id", "agreement_digest", "learner_address", "learner_telephone")
COLUMNS = REQUIRED + OPTIONAL


def _header(path: Path, rows: Iterator[tuple[int, list]]) -> tuple[int, list[str]]:
    for number, cells in rows:
        if not any(v.text(cell) for cell in cells):
            continue
        header = [(v.text(h) or "").lower() for h in cells]
        while header and not header[-1]:
            header.pop()
        with in_file(path, number):
            for name in header:
                if name not in COLUMNS:
                    raise c.fail(name or "(empty column name)", f"unknown column (columns: {', '.join(COLUMNS)})")
            for name in REQUIRED:
                if name not in header:
                    raise c.fail(name, "required column is missing")
            if len(set(header)) != len(header):
                raise c.fail("header", "a column appears twice")
        return number, header
    raise AuthoringError(f"{path}: empty file (the first row must name the columns)")


def records(path: Path, sheet: str | None) -> Iterator[tuple[int, dict]]:
    rows = iter_rows(path, sheet=sheet)
    _, header = _header(path, rows)
    for number, cells in rows:
        if not any(v.text(cell) for cell in cells):
            continue
        if any(v.text(cell) for cell in cells[len(header):]):
            raise AuthoringError(f"{path}, row {number}: more cells than columns", details={"row": number})
        yield number, {name: cells[i] if i < len(cells) else None for i, name in enumerate(header)}


def _grouped(path: Path, sheet: str | None) -> bool:
    """Whether each learner's rows are together, checked in flat memory: a learner seen again after
    another one is looked up in a fixed Bloom filter (a false "seen" only costs the indexed pass)."""
    bits = bytearray(_BLOOM_BYTES)
    previous = None
    for _, raw in records(path, sheet):
        learner_id = v.text(raw.get("learner_id")) or ""
        if learner_id == previous:
            continue
        slots = [int.from_bytes(hashlib.blake2b(learner_id.encode(), digest_size=12, salt=bytes([k])).digest()[:4],
                                "big") % (_BLOOM_BYTES * 8) for k in range(3)]
        if all(bits[i >> 3] >> (i & 7) & 1 for i in slots):
            return False
        for i in slots:
            bits[i >> 3] |= 1 << (i & 7)
        previous = learner_id
    return True


_BLOOM_BYTES = 256 * 1024  # 2 Mbit: below 1 % false "seen" up to about 200,000 learners


def learner_groups(path: Path, sheet: str | None) -> Iterator[tuple[str, list[tuple[int, dict]]]]:
    """(learner_id, rows), each learner once. A file whose learners' rows are together streams in flat
    memory; otherwise a first pass notes each learner's last row (a few bytes per learner) and a
    learner's rows are held until its last row has been read."""
    if _grouped(path, sheet):
        current = ""
        rows: list[tuple[int, dict]] = []
        for number, raw in records(path, sheet):
            learner_id = v.text(raw.get("learner_id")) or ""
            if rows and learner_id != current:
                yield current, rows
                rows = []
            current = learner_id
            rows.append((number, raw))
        if rows:
            yield current, rows
        return
    last: dict[str, int] = {}
    for number, raw in records(path, sheet):
        last[v.text(raw.get("learner_id")) or ""] = number
    pending: dict[str, list[tuple[int, dict]]] = {}
    for number, raw in records(path, sheet):
        learner_id = v.text(raw.get("learner_id")) or ""
        pending.setdefault(learner_id, []).append((number, raw))
        if last.get(learner_id) == number:
            yield learner_id, pending.pop(learner_id)


def count_learners(path: str | Path, *, sheet: str | None = None) -> int:
    """How many learners a cohort file holds, for a progress bar (one streamed pass; a learner whose
    rows are apart counts each time)."""
    count, previous = 0, object()
    for _, raw in records(Path(path), sheet):
        learner_id = v.text(raw.get("learner_id"))
        count += learner_id != previous
        previous = learner_id
    return count
