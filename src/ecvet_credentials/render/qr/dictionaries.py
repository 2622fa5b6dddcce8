"""Preset DEFLATE dictionaries: the frozen built-in vocabulary and a unit catalogue taken from a Learning Agreement.

A dictionary never travels in the QR code; the header names it (built-in version, catalogue digest) and
the verifier rebuilds the same bytes. So both must be reproducible byte for byte:
- built-in vN: `vocab-vN.json` shipped in this package, pinned by SHA-256 below (never edited once released);
  new codes use the newest (v2, made for context v2 documents); codes naming v1 still decode;
- catalogue: every string value under the LA's credentialSubject, walked with keys sorted (independent
  of how the LA file was serialized), de-duplicated, each written as a JSON string literal; strings
  without whitespace (codes, IRIs, ids) first and prose (titles, learning outcomes) last, because
  DEFLATE reaches near material more cheaply and the prose is where the big matches are.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
from importlib import resources

from ecvet_credentials.core.errors import QrPayloadError

BUILTIN_VERSION = 2
# SHA-256 of the built-in dictionary bytes, per version. A mismatch means the file was edited: refuse.
_BUILTIN_SHA256 = {1: "0bd58133ec50e196fcb5712206fdd9ce33961ee20a3a5a23d2bc02feed370f1f",
                   2: "64422214eebd454cd9e45e840c3bebab65f800fb787277be900f8a31351a9c8a"}
BUILTIN_VERSIONS = tuple(_BUILTIN_SHA256)
WINDOW = 32768  # raw DEFLATE (wbits=-15) only ever looks back 32 KB; anything earlier is dead weight


@functools.lru_cache(maxsize=None)
def builtin(version: int = BUILTIN_VERSION) -> bytes:
    if version not in _BUILTIN_SHA256:
        raise QrPayloadError(f"unknown built-in QR dictionary version {version}", code="QR_UNKNOWN_VERSION")
    doc = json.loads(resources.files(__package__).joinpath(f"vocab-v{version}.json").read_text("utf-8"))
    data = "".join(doc["fragments"]).encode("utf-8")
    if hashlib.sha256(data).hexdigest() != _BUILTIN_SHA256[version]:
        raise RuntimeError(f"vocab-v{version}.json was modified: it must never change once released")
    return data


def short_digest(data: bytes) -> str:
    """First 8 bytes of SHA-256, base32 without padding: 13 characters of the QR alphanumeric set."""
    return base64.b32encode(hashlib.sha256(data).digest()[:8]).decode("ascii").rstrip("=")


def catalogue(agreement: dict) -> bytes:
    """The unit-catalogue dictionary of a Learning Agreement credential (signed or not)."""
    return strings_dictionary(catalogue_strings(agreement))


def strings_dictionary(strings: list[str]) -> bytes:
    """A catalogue's strings written as the dictionary bytes (JSON string literals, end to end)."""
    return "".join(json.dumps(s, ensure_ascii=False) for s in strings).encode("utf-8")


def catalogue_strings(agreement: dict) -> list[str]:
    """The catalogue's strings in dictionary order (what an issuer publishes by digest)."""
    subject = agreement.get("credentialSubject") if isinstance(agreement, dict) else None
    if not isinstance(subject, (dict, list)):
        raise QrPayloadError("the Learning Agreement has no credentialSubject to build a unit catalogue from")
    strings: dict[str, None] = {}  # insertion-ordered set

    def walk(value, depth=0):
        if depth > 64:  # agreement files are parsed under limits already; this only guards direct API use
            raise QrPayloadError("the Learning Agreement is nested too deeply")
        if isinstance(value, dict):
            for key in sorted(value):
                walk(value[key], depth + 1)
        elif isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, str):
            strings.setdefault(value)

    walk(subject)
    words = [s for s in strings if not any(ch.isspace() for ch in s)]
    prose = [s for s in strings if any(ch.isspace() for ch in s)]
    return words + prose


def preset(builtin_version: int | None, catalogue_bytes: bytes | None) -> bytes | None:
    """The zdict actually used: built-in first, catalogue last, trimmed to the DEFLATE window."""
    parts = []
    if builtin_version is not None:
        parts.append(builtin(builtin_version))
    if catalogue_bytes:
        parts.append(catalogue_bytes)
    data = b"".join(parts)
    return data[-WINDOW:] if data else None
