"""QR image files for issued credentials (one per credential, or numbered chunks), in parallel for cohorts."""
from __future__ import annotations

import json
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ecvet_credentials.jsonld.limits import read_json_file
from ecvet_credentials.render.qr.codec import encode_credential
from ecvet_credentials.render.qr.images import render_png


def numbered(out: Path, i: int, n: int) -> Path:
    """out.png for a single code; out-1.png, out-2.png... for chunks."""
    return out if n == 1 else out.with_name(f"{out.stem}-{i}{out.suffix}")


def write_qr_png(credential_file: Path, out: Path, *, agreement: dict | None = None, max_version: int = 25,
                 dictionary: str = "builtin") -> list[Path]:
    """Encode the credential in `credential_file` (compacted: same proof) and write its PNG code(s):
    self-contained, unless `dictionary="catalogue"` (then `agreement` gives the unit catalogue)."""
    compact = json.dumps(read_json_file(credential_file), separators=(",", ":"),
                         ensure_ascii=False).encode("utf-8")
    encoding = encode_credential(compact, agreement=agreement, max_version=max_version, dictionary=dictionary)
    paths = []
    for i, text in enumerate(encoding.texts, start=1):
        path = numbered(Path(out), i, len(encoding.texts))
        render_png(text, path)
        paths.append(path)
    return paths


def _job(args) -> list[str] | None:
    """The PNGs written; None for a credential with a learner's or guardian's contact details (no code)."""
    from ecvet_credentials.core.errors import QrPayloadError

    credential_file, out, agreement, max_version, dictionary = args
    try:
        return [str(p) for p in write_qr_png(Path(credential_file), Path(out), agreement=agreement,
                                             max_version=max_version, dictionary=dictionary)]
    except QrPayloadError as exc:
        if exc.code == "QR_CONTACT_DETAILS":
            return None
        raise


class QrPngWriter:
    """write_qr_png in worker processes while the caller goes on: a cohort's codes are drawn on every
    core while its credentials are still being signed. At most a few jobs per worker wait at a time,
    so a cohort of any size holds a bounded number of them."""

    def __init__(self, *, agreement: dict | None = None, max_version: int = 25, workers: int | None = None,
                 dictionary: str = "builtin"):
        self.workers = workers or os.cpu_count() or 1
        self.agreement, self.max_version, self.dictionary = agreement, max_version, dictionary
        self.pngs = self.credentials = self.contact_details = 0
        self._pending: deque = deque()
        self._pool = ProcessPoolExecutor(max_workers=self.workers)

    def submit(self, credential_file: Path, out: Path) -> None:
        job = (str(credential_file), str(out), self.agreement, self.max_version, self.dictionary)
        self._pending.append(self._pool.submit(_job, job))
        while len(self._pending) > 4 * self.workers:
            self._collect(self._pending.popleft())

    def _collect(self, future) -> None:
        paths = future.result()
        if paths is None:  # contact details stay out of QR codes (codec.encode_credential)
            self.contact_details += 1
            return
        self.pngs += len(paths)
        self.credentials += 1

    def close(self) -> None:
        try:
            while self._pending:
                self._collect(self._pending.popleft())
        finally:
            self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> "QrPngWriter":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            self._pending.clear()
        self.close()
