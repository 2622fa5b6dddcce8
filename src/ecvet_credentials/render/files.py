"""Printed documents as files: one credential (`printed_bytes`), or a cohort on every core
(`write_printed_files`: a PDF takes ~1 s of layout, so 500 transcripts want both cores)."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

FORMATS = ("html", "pdf")


def printed_bytes(document: dict, raw: bytes, fmt: str, **options) -> bytes:
    """The printable document of `document` (whose exact file bytes are `raw`) as HTML or PDF/A-3 bytes;
    `options` as for page.render_printable."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt == "pdf":
        from ecvet_credentials.render.pdf import render_pdf

        return render_pdf(raw, **options)
    from ecvet_credentials.render.page import render_printable

    return render_printable(document, raw=raw, **options).encode("utf-8")


def write_printed_file(credential_file: Path, out: Path, fmt: str, **options) -> Path:
    """`credential_file` (signed credential JSON) printed to `out`, written atomically."""
    from ecvet_credentials.core.files import atomic_write_bytes, read_bounded
    from ecvet_credentials.jsonld.limits import parse_json

    raw = read_bounded(credential_file)
    atomic_write_bytes(Path(out), printed_bytes(parse_json(raw, source=str(credential_file)), raw, fmt, **options))
    return Path(out)


def _job(args) -> str:
    credential_file, out, fmt, options = args
    return str(write_printed_file(Path(credential_file), Path(out), fmt, **options))


def write_printed_files(pairs: list[tuple[Path, Path]], fmt: str, *, workers: int | None = None, **options) -> list[str]:
    """write_printed_file for many (credential file, output file) pairs, on every core."""
    jobs = [(str(c), str(o), fmt, options) for c, o in pairs]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) < 4:
        return [_job(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_job, jobs, chunksize=4))
