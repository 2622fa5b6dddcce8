"""QR text format `EC1:` (spec: docs/qr-payload.md): header, DEFLATE with preset dictionaries, Base45, chunks.

    single:  EC1:S.<dict>.<base45>
    chunk:   EC1:C.<dict>.<id>.<index>.<count>.<base45 of a slice>
    link:    EC1:L.<sha256 base32>.<url>
    <dict>:  "0" none | "1" built-in v1 | "1K" + 13-char catalogue digest (built-in v1 + catalogue)

Everything before the Base45 part uses only QR alphanumeric characters, so a whole code stays in
alphanumeric mode (5.5 bits per character). Decoding is bounded: at most MAX_TEXT characters per code,
MAX_CHUNKS codes, MAX_OUTPUT bytes of inflated output.
"""
from __future__ import annotations

import base64
import hashlib
import re
import zlib
from dataclasses import dataclass

from ecvet_credentials.core.errors import QrPayloadError
from ecvet_credentials.render.qr import dictionaries
from ecvet_credentials.render.qr.base45 import ALPHABET, b45decode, b45encode

PREFIX = "EC1:"
MAX_OUTPUT = 256 * 1024   # inflated credential bytes; a 10-unit transcript is ~25 KB
MAX_TEXT = 7089           # the most characters any QR code can hold (version 40-L, numeric)
MAX_CHUNKS = 64
_ALNUM = frozenset(ALPHABET)
_DICT_RE = re.compile(r"^(0|[1-9][0-9]?)(?:K([A-Z2-7]{13}))?$")
_DIGEST_RE = re.compile(r"^[A-Z2-7]{13}$")


@dataclass(frozen=True)
class DictSpec:
    """Which preset dictionary a payload needs: built-in version (None = no dictionary) and catalogue digest."""

    builtin: int | None
    catalogue: str | None = None

    @property
    def token(self) -> str:
        head = "0" if self.builtin is None else str(self.builtin)
        return head + (f"K{self.catalogue}" if self.catalogue else "")

    @property
    def label(self) -> str:
        if self.builtin is None:
            return "none (plain DEFLATE)"
        return f"built-in v{self.builtin}" + (f" + unit catalogue {self.catalogue}" if self.catalogue else "")

    @classmethod
    def parse(cls, token: str) -> DictSpec:
        m = _DICT_RE.match(token)
        if not m:
            raise QrPayloadError(f"QR header names an invalid dictionary {token[:20]!r}")
        version = int(m.group(1))
        if version == 0 and m.group(2):
            raise QrPayloadError("QR header names a catalogue without the built-in dictionary")
        return cls(None if version == 0 else version, m.group(2))


@dataclass(frozen=True)
class Parsed:
    kind: str                  # "S" single, "C" chunk, "L" link
    dict: DictSpec | None = None
    data: bytes = b""          # compressed bytes (S) or this slice of them (C)
    id: str = ""               # chunk set id: short digest of the whole compressed stream
    index: int = 0
    count: int = 0
    digest: str = ""           # L: base32 SHA-256 of the credential bytes
    url: str = ""


def compress(data: bytes, zdict: bytes | None) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zdict=zdict) if zdict else zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return c.compress(data) + c.flush()


def inflate(data: bytes, zdict: bytes | None, *, limit: int = MAX_OUTPUT) -> bytes:
    """Raw inflate that refuses to produce more than `limit` bytes (decompression bombs) or a broken stream."""
    d = zlib.decompressobj(-15, **({"zdict": zdict} if zdict else {}))
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise QrPayloadError(f"QR payload is not valid DEFLATE data ({exc}); wrong dictionary or damaged code?") \
            from None
    if len(out) > limit or d.unconsumed_tail:
        raise QrPayloadError(f"QR payload expands past {limit // 1024} KB: refused", code="QR_TOO_LARGE")
    if not d.eof:
        raise QrPayloadError("QR payload is truncated (the DEFLATE stream does not end)")
    if d.unused_data:
        raise QrPayloadError("QR payload has trailing bytes after the DEFLATE stream")
    return out


def link_digest(credential: bytes) -> str:
    return base64.b32encode(hashlib.sha256(credential).digest()).decode("ascii").rstrip("=")


def single_text(spec: DictSpec, data: bytes) -> str:
    return f"{PREFIX}S.{spec.token}.{b45encode(data)}"


def chunk_texts(spec: DictSpec, data: bytes, count: int) -> list[str]:
    """Split the compressed stream into `count` slices of near-equal size (balanced codes print alike)."""
    cid = dictionaries.short_digest(data)
    size = -(-len(data) // count)
    size += size % 2  # even slices: Base45 packs 2 bytes into 3 characters with no short group
    parts = [data[i * size:(i + 1) * size] for i in range(count)]
    if not all(parts):
        raise ValueError("too many chunks for this payload")
    return [f"{PREFIX}C.{spec.token}.{cid}.{i + 1}.{count}.{b45encode(p)}" for i, p in enumerate(parts)]


def link_text(credential: bytes, url_base: str) -> tuple[str, str]:
    """(QR text, URL): the credential is published at url_base/<digest>.json and checked by its SHA-256."""
    digest = link_digest(credential)
    url = f"{url_base.rstrip('/')}/{digest.lower()}.json"
    return f"{PREFIX}L.{digest}.{url}", url


def parse(text: str) -> Parsed:
    """Parse and check one QR text (header only; no decompression)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise QrPayloadError("QR text is too long to come from a QR code")
    if not text.startswith(PREFIX):
        m = re.match(r"^EC([0-9A-Z]+):", text)
        if m:
            raise QrPayloadError(f"QR payload version EC{m.group(1)} is not supported by this verifier "
                                 f"(it reads {PREFIX[:-1]}); update ecvet-credentials", code="QR_UNKNOWN_VERSION")
        raise QrPayloadError(f"not an ECVET credential QR code (expected the prefix {PREFIX!r}, got {text[:12]!r})")
    body = text[len(PREFIX):]
    kind = body[:2]
    if kind == "S.":
        token, sep, b45 = body[2:].partition(".")
        if not sep or not b45:
            raise QrPayloadError("QR header is incomplete (single code)")
        return Parsed("S", DictSpec.parse(token), b45decode(b45))
    if kind == "C.":
        fields = body[2:].split(".", 4)
        if len(fields) != 5 or not fields[4]:
            raise QrPayloadError("QR header is incomplete (chunk)")
        token, cid, index, count, b45 = fields
        if not _DIGEST_RE.match(cid) or not (index.isdigit() and count.isdigit() and len(index + count) <= 6):
            raise QrPayloadError("QR chunk header is invalid (id, index or count)")
        i, n = int(index), int(count)
        if not (2 <= n <= MAX_CHUNKS and 1 <= i <= n):
            raise QrPayloadError(f"QR chunk header is invalid: part {i} of {n} (at most {MAX_CHUNKS} parts)")
        return Parsed("C", DictSpec.parse(token), b45decode(b45), id=cid, index=i, count=n)
    if kind == "L.":
        digest, sep, url = body[2:].partition(".")
        if not sep or not re.match(r"^[A-Z2-7]{52}$", digest) or not url.startswith(("https://", "http://")):
            raise QrPayloadError("QR link header is invalid (digest or URL)")
        return Parsed("L", digest=digest, url=url)
    raise QrPayloadError(f"QR payload kind {kind[:1]!r} is unknown (expected S, C or L)", code="QR_UNKNOWN_VERSION")


def is_alphanumeric(text: str) -> bool:
    return all(c in _ALNUM for c in text)
