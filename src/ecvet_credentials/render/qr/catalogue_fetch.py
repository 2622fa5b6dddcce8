"""Unit catalogues published by digest, so a verifier without the Learning Agreement can still read a
catalogue-compressed QR code.

The issuer publishes `catalogues/<digest>.json` beside its status lists (`ecvet status publish
--agreement LA.json`, `ecvet serve` from HOME/status/catalogues/): a JSON array of the catalogue's
strings. A verifier asks only the hosts its trust registry allows for status lists
(`statusListPrefixes`), through the one fetcher, and uses the bytes only when they hash to the digest
the QR code names: the content is then exactly what the issuer compressed with, wherever it came from.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable, Iterable

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.render.qr import dictionaries

FOLDER = "catalogues"
MAX_CATALOGUE_BYTES = 256 * 1024   # an agreement's unit texts; the DEFLATE window only uses 32 KB anyway
_DIGEST = re.compile(r"[A-Z2-7]{13}")  # dictionaries.short_digest
MAX_URLS = 16                      # prefixes tried per code: a registry with many schools stays bounded


def catalogue_document(agreement: dict) -> tuple[str, bytes]:
    """(digest, file bytes) of the published catalogue of `agreement`."""
    strings = dictionaries.catalogue_strings(agreement)
    body = json.dumps(strings, ensure_ascii=False, indent=0).encode("utf-8")
    return dictionaries.short_digest(dictionaries.strings_dictionary(strings)), body


def write_catalogue(out_dir: Path, agreement: dict) -> Path:
    """Write `out_dir/catalogues/<digest>.json` (atomically) and return its path."""
    from ecvet_credentials.core.files import atomic_write_bytes

    digest, body = catalogue_document(agreement)
    path = Path(out_dir) / FOLDER / f"{digest}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, body)
    return path


def published_catalogue(home: Path, digest: str) -> bytes | None:
    """The catalogue file `ecvet status publish --agreement` kept in HOME/catalogues, for `ecvet serve`."""
    from ecvet_credentials.core.files import read_bounded

    if not _DIGEST.fullmatch(digest):
        return None
    path = Path(home) / FOLDER / f"{digest}.json"
    try:
        return read_bounded(path, max_bytes=MAX_CATALOGUE_BYTES) if path.is_file() else None
    except InputError:
        return None


def dictionary_from_document(data: bytes, digest: str) -> bytes | None:
    """The catalogue dictionary held by a published file, or None when it is not the catalogue `digest`."""
    from ecvet_credentials.jsonld.limits import Limits, parse_json

    try:
        strings = parse_json(data, limits=Limits(max_bytes=MAX_CATALOGUE_BYTES), source=_("a unit catalogue"))
    except InputError:
        return None
    if not isinstance(strings, list) or not all(isinstance(s, str) for s in strings):
        return None
    out = dictionaries.strings_dictionary(strings)
    return out if dictionaries.short_digest(out) == digest else None


def catalogue_urls(digest: str, prefixes: Iterable[str]) -> list[str]:
    """Where issuers with these status-list prefixes publish catalogue `digest` (bounded, de-duplicated)."""
    urls = [p + ("" if p.endswith("/") else "/") + f"{FOLDER}/{digest}.json" for p in prefixes]
    return list(dict.fromkeys(urls))[:MAX_URLS]


def trusted_prefixes(trust) -> list[str]:
    """The status-list prefixes of every institution of a usable trust registry."""
    if trust is None or getattr(trust, "untrusted", None):
        return []
    return [p for inst in trust.institutions.values() for p in inst.status_prefixes]


def catalogue_source(fetcher, prefixes: Iterable[str]) -> Callable[[str], bytes | None]:
    """`lookup(digest) -> dictionary bytes | None` for `decode_texts(catalogue=...)`: asks each allowed
    prefix in turn (host allowed only through that prefix), keeps the first copy that matches the digest."""
    from ecvet_credentials.net.fetcher import FetchError, host_of

    prefixes = list(prefixes)

    def lookup(digest: str) -> bytes | None:
        for url in catalogue_urls(digest, prefixes):
            try:
                fetched = fetcher.get(url, allowed_hosts=[host_of(url)])
            except FetchError:
                continue
            found = dictionary_from_document(fetched.body, digest)
            if found is not None:
                return found
        return None

    return lookup


__all__ = ["FOLDER", "catalogue_document", "catalogue_source", "catalogue_urls", "dictionary_from_document", "published_catalogue",
           "trusted_prefixes", "write_catalogue"]
