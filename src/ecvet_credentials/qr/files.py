"""QR image files for issued credentials (one per credential, or numbered chunks), in parallel for cohorts."""
from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..jsonld.limits import read_json_file
from .codec import encode_credential
from .images import render_png


def numbered(out: Path, i: int, n: int) -> Path:
    """out.png for a single code; out-1.png, out-2.png... for chunks."""
    return out if n == 1 else out.with_name(f"{out.stem}-{i}{out.suffix}")


def write_qr_png(credential_file: Path, out: Path, *, agreement: dict | None = None, max_version: int = 25) -> list[Path]:
    """Encode the credential in `credential_file` (compacted: same proof) and write its PNG code(s)."""
    compact = json.dumps(read_json_file(credential_file), separators=(",", ":"),
                         ensure_ascii=False).encode("utf-8")
    encoding = encode_credential(compact, agreement=agreement, max_version=max_version)
    paths = []
    for i, text in enumerate(encoding.texts, start=1):
        path = numbered(Path(out), i, len(encoding.texts))
        render_png(text, path)
        paths.append(path)
    return paths


def _job(args) -> list[str]:
    credential_file, out, agreement, max_version = args
    return [str(p) for p in write_qr_png(Path(credential_file), Path(out), agreement=agreement, max_version=max_version)]


def write_qr_pngs(pairs: list[tuple[Path, Path]], *, agreement: dict | None = None, max_version: int = 25,
                  workers: int | None = None) -> list[list[str]]:
    """write_qr_png for many (credential file, png path) pairs on every core: PNG mask selection
    dominates (~50 ms a code), so a cohort of 1,000 needs both cores to stay under a minute."""
    jobs = [(str(c), str(o), agreement, max_version) for c, o in pairs]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) < 4:
        return [_job(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_job, jobs, chunksize=8))
