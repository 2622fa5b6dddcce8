"""Atomic file writes: a crash never leaves half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ecvet_credentials.i18n import _


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: Path, text: str, *, mode: int = 0o644) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


# --- the one bounded read --------------------------------------------------------------------------
# Every file the product reads that someone else may have written goes through `read_bounded`:
# a link to /dev/zero, a FIFO, a socket or a huge file is refused before any byte is read.
DEFAULT_MAX_READ = 2_000_000
MAX_PHOTO_BYTES = 40 * 1024 * 1024  # an input that may be a QR photo (JSON is then held to its own limit)


def read_bounded(path, *, max_bytes: int = DEFAULT_MAX_READ, source: str | None = None, error=None) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, or `error` (default InputError) saying why not.

    The file is opened non-blocking (a FIFO cannot stall the open), checked with fstat on the open
    descriptor (no race between check and read) and read with a hard cap (a file growing meanwhile is
    still cut off). Symbolic links are followed, but only to regular files.
    """
    import stat

    from ecvet_credentials.core.errors import InputError, LimitExceededError

    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError("max_bytes must be a positive int")
    name = source or str(path)
    make = error or InputError
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise make(_("{name}: cannot read file: no such file.").format(name=name), code="FILE_NOT_FOUND") from None
    except IsADirectoryError:
        raise make(_("{name} is a directory, not a file.").format(name=name), code="NOT_A_REGULAR_FILE") from None
    except OSError as exc:
        raise make(_("{name}: cannot read file ({error}).").format(name=name, error=exc.strerror or exc),
                   code="FILE_UNREADABLE") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise make(_("{name} is a directory, not a file.").format(name=name), code="NOT_A_REGULAR_FILE")
        if not stat.S_ISREG(info.st_mode):
            raise make(_("{name} is not a regular file (a device, pipe or socket); give a file.").format(name=name),
                       code="NOT_A_REGULAR_FILE")
        if info.st_size > max_bytes:
            raise _too_big(error or LimitExceededError, name, info.st_size, max_bytes)
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise _too_big(error or LimitExceededError, name, total, max_bytes)
        return b"".join(chunks)
    except OSError as exc:
        raise make(_("{name}: cannot read file ({error}).").format(name=name, error=exc.strerror or exc),
                   code="FILE_UNREADABLE") from None
    finally:
        os.close(fd)


def _too_big(make, name: str, size: int, max_bytes: int):
    return make(_("{name} is {size} bytes or more, more than the limit of {limit} bytes; use a smaller file.").format(
        name=name, size=f"{size:,}", limit=f"{max_bytes:,}"), code="LIMIT_EXCEEDED", details={"limit": "max_bytes"})


def read_bounded_stream(stream, *, max_bytes: int = DEFAULT_MAX_READ, source: str | None = None) -> bytes:
    """At most `max_bytes` from a binary stream (stdin), else LimitExceededError: never read without end."""
    from ecvet_credentials.core.errors import LimitExceededError

    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LimitExceededError(_("{source} is more than the limit of {limit} bytes; use a smaller input.").format(
            source=_("standard input") if source is None else source, limit=f"{max_bytes:,}"), details={"limit": "max_bytes"})
    return data
