"""Backup to one .tar.gz, and restore from it after checking every member.

The archive is read in memory, member by member, never extracted: only the expected names (no
absolute paths, no '..', regular files only), bounded sizes and counts, an index that agrees with the
credential files. Restored credentials are verified again (a backup is input like any other), and
nothing is written until the whole archive has passed.
"""
from __future__ import annotations

import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from pathlib import Path

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.core.files import atomic_write_bytes, read_bounded
from ecvet_credentials.i18n import _
from ecvet_credentials.wallet.holder import HOLDER_FILE, KEY_FILE, holder_did
from ecvet_credentials.jsonld.limits import parse_json
from ecvet_credentials.wallet.store import ID_RE, MAX_FILE_BYTES, WALLET_LIMITS, Wallet, WalletError, credential_digest

PREFIX = "ecvet-wallet/"
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_KEY_BYTES = 64 * 1024
_CRED_NAME = re.compile(r"^ecvet-wallet/credentials/([0-9a-f]{16})\.json$")


class BackupError(InputError):
    code = "BACKUP_INVALID"


def _add(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o600) -> None:
    info = tarfile.TarInfo(PREFIX + name)
    info.size, info.mode, info.mtime = len(data), mode, 0
    tar.addfile(info, io.BytesIO(data))


def backup(wallet: Wallet, out: Path) -> int:
    """Write the whole wallet to `out` (atomic: the file is complete or absent). Returns the credential count."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with wallet.locked():  # a consistent snapshot: no import/delete runs meanwhile
        entries = wallet._load_locked()
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                with tarfile.open(fileobj=fh, mode="w:gz") as tar:
                    _add(tar, "index.json", json.dumps({"version": 1, "entries": entries}, indent=2).encode())
                    for entry in entries:
                        _add(tar, f"credentials/{entry['id']}.json",
                             read_bounded(wallet._file(entry["id"]), max_bytes=MAX_FILE_BYTES, error=BackupError))
                    for name in (HOLDER_FILE, KEY_FILE):
                        if (wallet.root / name).exists():
                            _add(tar, name, read_bounded(wallet.root / name, max_bytes=MAX_KEY_BYTES, error=BackupError))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)  # it holds the (encrypted) learner key
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return len(entries)


def read_backup(path: Path) -> dict[str, bytes]:
    """Member name (without the prefix) -> bytes, after every check. BackupError when anything is off."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file.")
    if path.stat().st_size > MAX_ARCHIVE_BYTES:
        raise BackupError(f"{path} is larger than {MAX_ARCHIVE_BYTES // 2**20} MB; not a wallet backup.")
    members: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            while True:
                member = tar.next()
                if member is None:
                    break
                name = member.name
                if len(members) >= MAX_MEMBERS:
                    raise BackupError(f"{path} has more than {MAX_MEMBERS} members; not a wallet backup.")
                if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/") or "\\" in name:
                    raise BackupError(f"{path} contains the unsafe path {name!r}; refusing the whole archive.")
                if not name.startswith(PREFIX):
                    raise BackupError(f"{path} contains {name!r}, outside {PREFIX}; not a wallet backup.")
                if member.isdir():
                    continue
                if not member.isreg():
                    raise BackupError(f"{path} contains {name!r}, which is not a regular file (link or device); refused.")
                short = name[len(PREFIX):]
                limit = MAX_KEY_BYTES if short in (KEY_FILE, HOLDER_FILE) else MAX_FILE_BYTES
                if short not in ("index.json", HOLDER_FILE, KEY_FILE) and not _CRED_NAME.match(name):
                    raise BackupError(f"{path} contains the unexpected file {name!r}; not a wallet backup.")
                if member.size > limit or total + member.size > MAX_TOTAL_BYTES:
                    raise BackupError(f"{path}: {name!r} is {member.size:,} bytes, more than a wallet file can be; refused.")
                if short in members:
                    raise BackupError(f"{path} contains {name!r} twice; refused.")
                extracted = tar.extractfile(member)
                if extracted is None:  # (regular files were checked above)
                    raise BackupError(f"{path} contains {name!r}, which is not a regular file; refused.")
                data = extracted.read(member.size + 1)
                if len(data) != member.size:
                    raise BackupError(f"{path}: {name!r} is truncated.")
                total += len(data)
                members[short] = data
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{path} is not a readable .tar.gz wallet backup ({type(exc).__name__}: {exc}).") from None
    _check_consistent(path, members)
    return members


def _check_consistent(path: Path, members: dict[str, bytes]) -> None:
    if "index.json" not in members:
        raise BackupError(f"{path} has no ecvet-wallet/index.json; not a wallet backup.")
    try:
        index = _parse(members["index.json"])
        ids = [e["id"] for e in index["entries"]]
        if not all(isinstance(i, str) and ID_RE.match(i) for i in ids):
            raise ValueError("bad id")
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"{path}: its index.json is corrupt; the backup cannot be trusted.", code="BACKUP_INDEX_CORRUPT") from None
    files = {m[len("credentials/"):-len(".json")] for m in members if m.startswith("credentials/")}
    if set(ids) != files or len(ids) != len(set(ids)):
        missing, extra = sorted(set(ids) - files), sorted(files - set(ids))
        raise BackupError(f"{path}: its index does not match its credential files (listed without file: {missing or '-'}; "
                          f"file without entry: {extra or '-'}).", code="BACKUP_INDEX_CORRUPT")
    for cid in ids:
        try:
            record = _parse(members[f"credentials/{cid}.json"])
            ok = credential_digest(record["credential"]) == cid
        except (ValueError, KeyError, TypeError):
            ok = False
        if not ok:
            raise BackupError(f"{path}: credential file {cid}.json is damaged or does not match its id.")
    if (KEY_FILE in members) != (HOLDER_FILE in members):
        raise BackupError(f"{path} has only one of {KEY_FILE} and {HOLDER_FILE}; refused.")


def _parse(data: bytes):
    """The one bounded parse; ValueError (what the checks above catch) when it refuses."""
    try:
        return parse_json(data, limits=WALLET_LIMITS, source=_("backup member"))
    except InputError as exc:
        raise ValueError(str(exc)) from None


def restore(wallet: Wallet, path: Path, *, verify_options: dict) -> dict:
    """Merge a backup into the wallet. Returns counts. Checks everything before writing anything."""
    from ecvet_credentials.wallet.importing import integrity_problem
    from ecvet_credentials.verify import verify_credential

    members = read_backup(path)
    records = [_parse(members[m]) for m in sorted(members) if m.startswith("credentials/")]
    reports = []
    for record in records:
        report = verify_credential(record["credential"], **verify_options).to_json()
        problem = integrity_problem(report)
        if problem:
            raise BackupError(f"{path}: credential {record['id'] if 'id' in record else '?'} fails its checks ({problem}); "
                              "refusing the backup.", code="BACKUP_FORGED")
        reports.append(report)
    key_note = None
    if HOLDER_FILE in members:
        try:
            did = _parse(members[HOLDER_FILE])["did"]
        except (ValueError, KeyError, TypeError):
            raise BackupError(f"{path}: its {HOLDER_FILE} is corrupt.") from None
        current = holder_did(wallet)
        if current and current != did:
            raise WalletError(f"this wallet belongs to {current}, the backup to {did}; restore into an empty --home.",
                              code="HOLDER_MISMATCH")
        if not current:
            atomic_write_bytes(wallet.root / KEY_FILE, members[KEY_FILE], mode=0o600)
            atomic_write_bytes(wallet.root / HOLDER_FILE, members[HOLDER_FILE], mode=0o600)
            key_note = did
    created = 0
    for record, report in zip(records, reports):
        _, new = wallet.add(record["credential"], report, source=record.get("source"))
        created += new
    return {"credentials": len(records), "new": created, "key": key_note}
