"""Giving memory back after a flood: the server's RSS returns to where it was.

Decoding photos (Pillow, zxing-cpp) and parsing big bodies leave freed memory inside glibc's heaps,
where the RSS keeps counting it: a loopback flood of 20 chained-proof documents and 24 big images
took the server from 93 to 131 MB, and it stayed there. Python's own objects were ~1.5 MB of it
(tracemalloc); `malloc_trim` gives the rest back (174 -> 115 MB in-process). So the server caps
glibc at two arenas and trims every few seconds. A no-op without glibc.
"""
from __future__ import annotations

import asyncio
import ctypes
import ctypes.util

TRIM_EVERY_SECONDS = 5.0
_M_ARENA_MAX = -8


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


def tune_allocator() -> bool:
    """Two malloc arenas, not eight a core: each worker thread's arena would keep what it freed."""
    libc = _libc()
    return bool(libc and libc.mallopt(_M_ARENA_MAX, 2))


async def trim_periodically(every: float = TRIM_EVERY_SECONDS) -> None:
    """Run for the server's life (cancelled at shutdown)."""
    libc = _libc()
    if libc is None:
        return
    while True:
        await asyncio.sleep(every)
        libc.malloc_trim(0)  # about a millisecond on an idle heap
