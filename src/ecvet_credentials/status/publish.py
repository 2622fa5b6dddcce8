"""Issuer side: build `BitstringStatusListCredential`s and publish them as static files.

Layout of a publish directory (served as-is by any static host or `ecvet serve`):

    <dir>/<list-id>.json   one signed BitstringStatusListCredential per list
    <dir>/index.json       {"version": 1, "lists": {"<list url>": {"file": "<list-id>.json", ...}}}

The verifier's `StatusListSource(directory=...)` reads the same layout.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

from ecvet_credentials.core.timeutil import utc_now
from ecvet_credentials.core.errors import InputError
from ecvet_credentials.jsonld.limits import Limits, read_json_file
from ecvet_credentials.status.bitstring import BitstringStatusList
from ecvet_credentials.status.entries import PURPOSES
from ecvet_credentials.status._util import atomic_write, iso

VC_V2 = "https://www.w3.org/ns/credentials/v2"
INDEX_FILE = "index.json"
_INDEX_LIMITS = Limits(max_bytes=16 * 1024 * 1024)  # one small entry per list, for many lists
DEFAULT_TTL_MS = 24 * 3600 * 1000      # verifiers refresh their copy daily
DEFAULT_VALIDITY = timedelta(days=7)    # a list stops being valid a week after publication
_LIST_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")  # safe as a file name

Signer = Callable[[dict], dict]


def build_status_list_credential(
    list_url: str,
    issuer_did: str,
    purpose: str,
    bitstring: BitstringStatusList,
    *,
    valid_from: datetime,
    valid_until: datetime | None,
    ttl_ms: int | None,
) -> dict[str, Any]:
    """The unsigned list credential. Only the VC 2.0 context: it defines every status-list term."""
    if purpose not in PURPOSES:
        raise ValueError(f"statusPurpose must be one of {PURPOSES}")
    if valid_until is not None and valid_until <= valid_from:
        raise ValueError("valid_until must be after valid_from")
    subject: dict[str, Any] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": bitstring.encode(),
    }
    if ttl_ms is not None:
        if not isinstance(ttl_ms, int) or ttl_ms <= 0:
            raise ValueError("ttl_ms must be a positive int (milliseconds)")
        subject["ttl"] = ttl_ms
    doc: dict[str, Any] = {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": iso(valid_from),
    }
    if valid_until is not None:
        doc["validUntil"] = iso(valid_until)
    doc["credentialSubject"] = subject
    return doc


@dataclass(frozen=True)
class PublishedList:
    list_id: str
    url: str
    purpose: str
    path: Path
    sha256: str


def make_signer(key: Any, *, cryptosuite: str = "eddsa-rdfc-2022") -> Signer:
    """A signer over the proofs API (imported lazily: the status module must not need it to load)."""
    from ecvet_credentials.proofs import sign  # noqa: PLC0415

    return lambda doc: sign(doc, key, cryptosuite=cryptosuite)


def write_status_list(out_dir: Path, list_id: str, signed: dict[str, Any]) -> PublishedList:
    """Write one signed list credential and record it in index.json (atomically, under a lock)."""
    if not _LIST_ID_RE.match(list_id):
        raise ValueError(f"list id {list_id!r} is not usable as a file name")
    out_dir = Path(out_dir)
    data = json.dumps(signed, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    path = out_dir / f"{list_id}.json"
    url = signed["id"]
    digest = hashlib.sha256(data).hexdigest()
    with _dir_lock(out_dir):
        atomic_write(path, data)
        index = read_index(out_dir)
        index["lists"][url] = {
            "file": path.name,
            "purpose": signed["credentialSubject"]["statusPurpose"],
            "sha256": digest,
            "published": iso(utc_now()),
        }
        atomic_write(out_dir / INDEX_FILE, json.dumps(index, indent=2, sort_keys=True).encode() + b"\n")
    return PublishedList(list_id, url, signed["credentialSubject"]["statusPurpose"], path, digest)


def publish_status_lists(
    registry: Any,
    out_dir: Path,
    *,
    signer: Signer | None = None,
    key: Any = None,
    cryptosuite: str = "eddsa-rdfc-2022",
    now: datetime | None = None,
    validity: timedelta | None = DEFAULT_VALIDITY,
    ttl_ms: int | None = DEFAULT_TTL_MS,
    list_ids: list[str] | None = None,
    issuer_did: str | None = None,
) -> list[PublishedList]:
    """Sign and write the status lists of `issuer_did` (default: the key's DID) in `registry`
    (or just `list_ids`). Lists of other issuers are skipped: a list signed by another issuer's key
    would fail every verifier's issuer check.

    Re-publish at least every `validity` (and after each revoke/suspend): verifiers treat a list past
    its validUntil as stale.
    """
    if signer is None:
        if key is None:
            raise ValueError("publish_status_lists needs a signer or a key")
        signer = make_signer(key, cryptosuite=cryptosuite)
    issuer_did = issuer_did or getattr(key, "did", None)
    if issuer_did is None:
        raise ValueError("publish_status_lists needs issuer_did when signing with a custom signer")
    now = now or utc_now()
    published = []
    for info in registry.status_lists():
        if (list_ids is not None and info.list_id not in list_ids) or info.issuer_did != issuer_did:
            continue
        doc = build_status_list_credential(
            info.url,
            info.issuer_did,
            info.purpose,
            registry.status_list_bits(info.list_id),
            valid_from=now,
            valid_until=now + validity if validity else None,
            ttl_ms=ttl_ms,
        )
        published.append(write_status_list(out_dir, info.list_id, signer(doc)))
    return published


def read_index(directory: Path) -> dict[str, Any]:
    path = Path(directory) / INDEX_FILE
    if not os.path.lexists(path):
        return {"version": 1, "lists": {}}
    try:  # a link to /dev/zero or a 1 GB file is refused before reading
        index = read_json_file(path, limits=_INDEX_LIMITS)
    except InputError as exc:
        raise ValueError(f"{path} is not a status list index: {exc}") from None
    if not isinstance(index, dict) or not isinstance(index.get("lists"), dict):
        raise ValueError(f"{path} is not a status list index")
    return index


@contextlib.contextmanager
def _dir_lock(directory: Path) -> Iterator[None]:
    """Serialize index.json updates between publishers (POSIX flock; best effort elsewhere)."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl  # noqa: PLC0415
    except ImportError:  # Windows: a single publisher is assumed
        yield
        return
    with open(directory / ".publish.lock", "a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
