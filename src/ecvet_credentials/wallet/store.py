"""The e-portfolio store: <home>/wallet/credentials/<id>.json (credential + its report) and index.json.

Crash safety: the credential file is written first (atomic replace), then the index (atomic replace),
both under an exclusive lock. Loading compares the two and repairs: an index entry whose file is gone
is dropped, a file without an entry gets one back (its summary is rebuilt from the file), an
unreadable index is rebuilt from the files, a damaged file is set aside. So a kill at any point leaves
a store that lists consistently.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ecvet_credentials.core.timeutil import iso, utc_now
from ecvet_credentials.core.errors import EcvetError, InputError
from ecvet_credentials.core.files import atomic_write_bytes
from ecvet_credentials.jsonld.limits import Limits, read_json_file
from ecvet_credentials.wallet.summary import summarize

FORMAT_VERSION = 1
ID_RE = re.compile(r"^[0-9a-f]{16}$")
MAX_FILE_BYTES = 4_000_000  # a credential (2 MB input limit) plus its report


class WalletError(InputError):
    """The wallet cannot be used as asked (unknown id, no learner key...): exit 2."""

    code = "WALLET_ERROR"


class CredentialRefused(EcvetError):
    """A credential that fails its integrity checks (forged, altered, unreadable JSON-LD): exit 1."""

    code = "CREDENTIAL_REFUSED"


def credential_digest(credential: dict) -> str:
    """The wallet id: the same credential JSON (any layout, e.g. read back from a QR code) gets the same id."""
    data = json.dumps(credential, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def _now() -> str:
    return iso(utc_now())


# A record wraps a credential (and its report) a few levels deep; the index lists every credential.
WALLET_LIMITS = Limits(max_bytes=MAX_FILE_BYTES, max_depth=72, max_array_length=100_000, max_json_values=2_000_000)


def load_wallet_json(path: Path):
    """A wallet file through the one bounded read and parse; None when absent, oversized, not a
    regular file or not JSON (a damaged wallet file is reported, never a crash)."""
    try:
        return read_json_file(path, limits=WALLET_LIMITS)
    except InputError:
        return None


def _dump(obj) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass
class Stored:
    entry: dict          # the index summary
    credential: dict
    report: dict


class Wallet:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.credentials_dir = self.root / "credentials"
        self.index_path = self.root / "index.json"
        self.notes: list[str] = []  # what the last load repaired, for the CLI to report

    @classmethod
    def open(cls, home: Path, *, create: bool = True) -> "Wallet":
        wallet = cls(Path(home) / "wallet")
        if create:
            wallet.credentials_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return wallet

    # --- locking and loading ---------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One writer at a time (flock is released by the kernel if the process dies)."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _file(self, cid: str) -> Path:
        if not ID_RE.match(cid):
            raise ValueError(f"not a wallet id: {cid!r}")
        return self.credentials_dir / f"{cid}.json"

    def _read_index(self) -> list[dict] | None:
        if not os.path.lexists(self.index_path):
            return []
        data = load_wallet_json(self.index_path)
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries):
            return None
        return entries

    def read_file(self, cid: str) -> Stored | None:
        """The stored credential and report, or None when the file is missing or damaged."""
        path = self._file(cid)
        data = load_wallet_json(path)
        if not (isinstance(data, dict) and isinstance(data.get("credential"), dict) and isinstance(data.get("report"), dict)):
            return None
        if credential_digest(data["credential"]) != cid:
            return None
        entry = summarize(data["credential"], data["report"])
        entry.update(id=cid, importedAt=data.get("importedAt"), source=data.get("source"))
        return Stored(entry, data["credential"], data["report"])

    def load(self) -> list[dict]:
        """The index entries, after repairing any disagreement with the files (see module doc)."""
        with self.locked():
            return self._load_locked()

    def _load_locked(self) -> list[dict]:
        self.notes = []
        self.credentials_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for stale in list(self.credentials_dir.glob(".*.tmp")) + list(self.root.glob(".*.tmp")):
            stale.unlink(missing_ok=True)  # an interrupted atomic write; we hold the lock, so no writer is mid-way
        entries = self._read_index()
        changed = False
        if entries is None:
            self.notes.append("index.json was unreadable; rebuilt it from the credential files")
            entries, changed = [], True
        files = {p.stem for p in self.credentials_dir.glob("*.json") if ID_RE.match(p.stem)}
        kept, seen, damaged = [], set(), set()
        for entry in entries:
            cid = entry["id"]
            if cid in seen or cid not in files or not ID_RE.match(cid):
                if cid not in seen:
                    self.notes.append(f"{cid}: listed but its file is missing; removed from the index")
                changed = True
                continue
            if not self._valid_file(cid):  # only outside tampering can do this: writes are atomic
                damaged.add(cid)
                continue
            seen.add(cid)
            kept.append(entry)
        for cid in sorted(files - seen):
            stored = self.read_file(cid)
            if stored is None:
                os.replace(self._file(cid), self.credentials_dir / f"{cid}.json.damaged")
                self.notes.append(f"{cid}: damaged credential file set aside as {cid}.json.damaged")
            else:
                kept.append(stored.entry)
                self.notes.append(f"{cid}: file without index entry; added back")
            changed = True
        if changed:
            self._write_index(kept)
        return kept

    def _valid_file(self, cid: str) -> bool:
        try:
            data = load_wallet_json(self._file(cid))
            return isinstance(data, dict) and isinstance(data.get("credential"), dict) \
                and isinstance(data.get("report"), dict) and credential_digest(data["credential"]) == cid
        except (OSError, ValueError):
            return False

    def _write_index(self, entries: list[dict]) -> None:
        atomic_write_bytes(self.index_path, _dump({"version": FORMAT_VERSION, "entries": entries}), mode=0o600)

    # --- changes ------------------------------------------------------------------------------------
    def add(self, credential: dict, report: dict, *, source: str | None = None) -> tuple[dict, bool]:
        """Store a verified credential with its report. Returns (index entry, created). Idempotent:
        the same credential again keeps its first import (the report is refreshed)."""
        cid = credential_digest(credential)
        with self.locked():
            entries = self._load_locked()
            existing = next((e for e in entries if e["id"] == cid), None)
            imported = existing.get("importedAt") if existing else None
            record = {"version": FORMAT_VERSION, "id": cid, "importedAt": imported or _now(), "source": source,
                      "credential": credential, "report": report}
            atomic_write_bytes(self._file(cid), _dump(record), mode=0o600)  # 1. the file
            entry = summarize(credential, report)
            entry.update(id=cid, importedAt=record["importedAt"], source=source)
            entries = [entry if e["id"] == cid else e for e in entries] if existing else entries + [entry]
            self._write_index(entries)                                      # 2. then the index
        return entry, existing is None

    def delete(self, cid: str) -> dict:
        with self.locked():
            entries = self._load_locked()
            entry = self._find(entries, cid)
            # file first: a crash between leaves an entry without file, which the next load drops
            self._file(entry["id"]).unlink(missing_ok=True)
            self._write_index([e for e in entries if e["id"] != entry["id"]])
        return entry

    # --- reading ------------------------------------------------------------------------------------
    def entries(self) -> list[dict]:
        return self.load()

    @staticmethod
    def _find(entries: list[dict], ref: str) -> dict:
        """An entry by wallet id (or a unique prefix of at least 4 characters) or by credential id."""
        exact = [e for e in entries if e["id"] == ref or e.get("credentialId") == ref]
        if exact:
            return exact[0]
        found = [e for e in entries if len(ref) >= 4 and e["id"].startswith(ref)]
        if len(found) == 1:
            return found[0]
        if found:
            raise WalletError(f"{ref!r} matches {len(found)} credentials; give more characters of the id.",
                              code="AMBIGUOUS_ID")
        raise WalletError(f"no credential {ref!r} in the wallet; see `ecvet wallet list`.", code="UNKNOWN_ID")

    def get(self, ref: str) -> Stored:
        entry = self._find(self.load(), ref)
        stored = self.read_file(entry["id"])
        if stored is None:
            raise WalletError(f"the file of credential {entry['id']} is missing or damaged; run `ecvet wallet list` "
                              "to repair the index.", code="DAMAGED")
        return stored

    def stored(self) -> list[Stored]:
        out = []
        for entry in self.load():
            stored = self.read_file(entry["id"])
            if stored is not None:
                out.append(stored)
        return out
