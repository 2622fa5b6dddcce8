"""The QR mask pattern qrcode would choose, found without drawing the symbol eight times.

qrcode's `best_mask_pattern` lays the data out under each of the 8 masks and scores each layout
(ISO/IEC 18004 penalties N1-N4) in pure Python: about 85 % of a PNG's CPU and a third of a cohort's.
Here the data is laid out once, unmasked, straight into rows held as integers (the placement order
of each version is computed once, instead of qrcode's map_data testing every module), the 8
candidates are made by XOR on whole rows, and the same penalties are counted with C-speed string
and integer operations. The result
is the same mask (tests/test_qr_masks.py compares every penalty with qrcode's on many symbols), so
the PNG is identical, bit for bit, to the one qrcode alone would draw.
"""
from __future__ import annotations

import re
from functools import lru_cache

import qrcode
from qrcode import util

_RUNS = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = ("10111010000", "00001011101")


def _finder_like(lines: str) -> int:
    """Start positions of either pattern, overlaps included (what a lookahead regex counts, 5x faster:
    the patterns are rare, and str.find scans in C)."""
    count = 0
    for pattern in _FINDER_LIKE:
        at = lines.find(pattern)
        while at >= 0:
            count += 1
            at = lines.find(pattern, at + 1)
    return count


@lru_cache(maxsize=64)
def _function_patterns(version: int) -> tuple[tuple[bool | None, ...], ...]:
    """The symbol of a version with only its function patterns drawn (blank format and version areas):
    None where data goes. Both the mask scoring and the data placement start from it."""
    probe = qrcode.QRCode(version=version, border=0)
    n = probe.modules_count = version * 4 + 17
    probe.modules = [[None] * n for _ in range(n)]
    probe.setup_position_probe_pattern(0, 0)
    probe.setup_position_probe_pattern(n - 7, 0)
    probe.setup_position_probe_pattern(0, n - 7)
    probe.setup_position_adjust_pattern()
    probe.setup_timing_pattern()
    probe.setup_type_info(True, 0)
    if version >= 7:
        probe.setup_type_number(True)
    return tuple(tuple(row) for row in probe.modules)


@lru_cache(maxsize=64)
def _layout(version: int) -> tuple[int, tuple[int, ...], tuple[tuple[int, ...], ...]]:
    """(size, data-region row bits, mask rows per pattern) of a version; bit c of a row is column c."""
    modules = _function_patterns(version)
    n = len(modules)
    data = tuple(sum(1 << c for c in range(n) if modules[r][c] is None) for r in range(n))
    masks = tuple(tuple(sum(1 << c for c in range(n) if fn(r, c)) for r in range(n))
                  for fn in (util.mask_func(p) for p in range(8)))
    return n, data, masks


def penalty(rows: list[int], n: int) -> int:
    """ISO 18004 penalty (as qrcode.util.lost_point computes it) of a symbol given as row integers."""
    texts = [format(r, f"0{n}b")[::-1] for r in rows]           # column c is character c
    lines = "2".join(texts + ["".join(col) for col in zip(*texts)])  # "2" ends every run and pattern
    points = sum(len(m) - 2 for m in _RUNS.findall(lines))       # N1: runs of 5+ cost 3 + (length - 5)
    points += 40 * _finder_like(lines)                           # N3: 1:1:3:1:1 with 4 light modules
    full = (1 << (n - 1)) - 1
    for a, b in zip(rows, rows[1:]):                             # N2: 2x2 blocks of one colour
        same_vertical = ~(a ^ b)
        points += 3 * (same_vertical & (same_vertical >> 1) & ~(a ^ (a >> 1)) & full).bit_count()
    dark = sum(r.bit_count() for r in rows)                      # N4: distance of dark share from 50 %
    return points + 10 * int(abs(dark / (n * n) * 100 - 50) / 5)


def make_with_best_mask(qr: qrcode.QRCode) -> None:
    """What qr.make(fit=False) does with no mask given, with the same result: the symbol under the mask
    qrcode would choose (data laid out once instead of nine times)."""
    pattern, rows = _choose(qr)
    n = len(rows)
    qr.mask_pattern = pattern
    qr.modules = [[bool(row >> c & 1) for c in range(n)] for row in rows]
    qr.setup_type_info(False, pattern)
    if qr.version >= 7:
        qr.setup_type_number(False)


def best_mask(qr: qrcode.QRCode) -> int:
    """The mask pattern qrcode's best_mask_pattern() returns for `qr` (version and data already set)."""
    return _choose(qr)[0]


@lru_cache(maxsize=64)
def _placement(version: int) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
    """(rows of the function patterns with blank format and version areas, the data modules in the
    order qrcode's map_data fills them: two columns at a time from the right, up then down)."""
    modules = _function_patterns(version)
    n = len(modules)
    fixed = tuple(sum(1 << c for c in range(n) if modules[r][c]) for r in range(n))
    order: list[tuple[int, int]] = []
    row, step = n - 1, -1
    for col in range(n - 1, 0, -2):
        col -= col <= 6  # the vertical timing pattern's column is skipped
        while 0 <= row < n:
            order.extend((row, 1 << c) for c in (col, col - 1) if modules[row][c] is None)
            row += step
        row -= step
        step = -step
    return fixed, tuple(order)


def _unmasked(qr: qrcode.QRCode) -> list[int]:
    """The symbol's rows with the data laid out and no mask (what makeImpl(True, m) draws, unmasked)."""
    from ecvet_credentials.render.qr.codewords import create_data

    if qr.data_cache is None:
        qr.data_cache = create_data(qr.version, qr.error_correction, qr.data_list)
    fixed, order = _placement(qr.version)
    rows = list(fixed)
    stream = bytes(qr.data_cache)
    bits = format(int.from_bytes(stream, "big"), f"0{8 * len(stream)}b") if stream else ""
    for k in [i for i, bit in enumerate(bits[:len(order)]) if bit == "1"]:  # remainder bits stay light
        r, m = order[k]
        rows[r] |= m
    return rows


def _choose(qr: qrcode.QRCode) -> tuple[int, list[int]]:
    n, data, masks = _layout(qr.version)
    qr.modules_count = n
    unmasked = _unmasked(qr)  # the data laid out once (qrcode's map_data, without drawing each module)
    best, best_points, best_rows = 0, None, unmasked
    for pattern in range(8):
        candidate = [u ^ (m & d) for u, m, d in zip(unmasked, masks[pattern], data)]
        points = penalty(candidate, n)
        if best_points is None or points < best_points:
            best, best_points, best_rows = pattern, points, candidate
    return best, best_rows
