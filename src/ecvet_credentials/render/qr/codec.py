"""Credential bytes <-> QR texts: pick the dictionary, compress, choose single / chunks / link, and back."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Callable, Iterable

from ecvet_credentials.core.errors import InputError, QrPayloadError
from ecvet_credentials.i18n import _
from ecvet_credentials.jsonld.limits import parse_json
from ecvet_credentials.render.qr import dictionaries
from ecvet_credentials.render.qr.capacity import check_ecc, qr_version, segment_mode
from ecvet_credentials.render.qr.payload import (
    MAX_CHUNKS,
    MAX_OUTPUT,
    PREFIX,
    DictSpec,
    Parsed,
    chunk_texts,
    compress,
    inflate,
    link_digest,
    link_text,
    parse,
    single_text,
)

DICTIONARY_MODES = ("auto", "catalogue", "builtin", "none")


@dataclass(frozen=True)
class QrSegment:
    text: str
    version: int
    mode: str  # QR segment mode: "alphanumeric" (payloads) or "byte" (a link with lower-case URL)

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class QrEncoding:
    mode: str                 # "single", "chunked" or "link"
    ecc: str
    dictionary: str           # human label, e.g. "built-in v1 + unit catalogue ABCD..."
    credential_bytes: int
    compressed_bytes: int
    segments: tuple[QrSegment, ...]
    url: str | None = None    # link mode: where the credential must be published

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.segments]

    @property
    def versions(self) -> list[int]:
        return [s.version for s in self.segments]

    @property
    def chars(self) -> int:
        return sum(s.chars for s in self.segments)


def catalogue_digest(agreement: dict) -> str:
    """The 13-character id under which QR headers name this agreement's unit catalogue."""
    return dictionaries.short_digest(dictionaries.catalogue(agreement))


def _spec_for(dictionary: str, agreement: dict | None, version: int) -> tuple[DictSpec, bytes | None]:
    if dictionary not in DICTIONARY_MODES:
        raise ValueError(f"'dictionary' must be one of {DICTIONARY_MODES}, not {dictionary!r}")
    if version not in dictionaries.BUILTIN_VERSIONS:
        raise ValueError(f"'builtin' must be one of {dictionaries.BUILTIN_VERSIONS}, not {version!r}")
    if dictionary == "none":
        return DictSpec(None), None
    if dictionary == "builtin" or (dictionary == "auto" and agreement is None):
        return DictSpec(version), dictionaries.preset(version, None)
    if agreement is None:
        raise ValueError("dictionary='catalogue' needs the Learning Agreement (agreement=...)")
    cat = dictionaries.catalogue(agreement)
    return DictSpec(version, dictionaries.short_digest(cat)), dictionaries.preset(version, cat)


def encode_credential(credential_bytes: bytes, *, agreement: dict | None = None, max_version: int = 25,
                      ecc: str = "M", url_base: str | None = None, dictionary: str = "builtin",
                      max_codes: int = 16, contact_details: bool = False,
                      builtin: int = dictionaries.BUILTIN_VERSION) -> QrEncoding:
    """QR texts carrying exactly `credential_bytes` (the signed JSON as it is; nothing is re-serialized).

    Self-contained by default (`dictionary="builtin"`): any verifier reads the code with nothing else.
    `dictionary="catalogue"` adds the unit texts of `agreement` to the dictionary (smaller codes, which only
    a reader holding the same Learning Agreement can decode: for documents meant for the home institution);
    "auto" is "catalogue" when an agreement is given, "none" plain DEFLATE. `builtin`: the built-in
    dictionary's version (the newest by default; the header names it, so older codes keep decoding).

    One code if it fits in `max_version` at `ecc`; otherwise a link (when `url_base` is given) or
    2..`max_codes` chunk codes. QrPayloadError(QR_TOO_LARGE) when nothing fits.

    A credential carrying a learner's or guardian's postal address or telephone is personal data that
    anyone scanning the code would read: it is encoded only with `contact_details=True`; otherwise as a
    link (with `url_base`: the code holds a URL and digest, not the data) or QrPayloadError(QR_CONTACT_DETAILS).
    """
    if not isinstance(credential_bytes, (bytes, bytearray)):
        raise TypeError("'credential_bytes' must be bytes")
    if not 1 <= max_version <= 40:
        raise ValueError("'max_version' must be between 1 and 40")
    if not 2 <= max_codes <= MAX_CHUNKS:
        raise ValueError(f"'max_codes' must be between 2 and {MAX_CHUNKS}")
    check_ecc(ecc)
    data = bytes(credential_bytes)
    if len(data) > MAX_OUTPUT:
        raise QrPayloadError(f"the credential is {len(data)} bytes; QR payloads are limited to {MAX_OUTPUT} bytes",
                             code="QR_TOO_LARGE")
    contact_link = not contact_details and carries_contact_details(data)
    if contact_link and not url_base:
        raise QrPayloadError(_("the credential carries the learner's or guardian's address or telephone, which QR "
                               "codes leave out unless asked: give a URL for a link code (--url-base), or put "
                               "them in the code on purpose (--with-contact-details)"), code="QR_CONTACT_DETAILS")
    spec, zdict = _spec_for(dictionary, agreement, builtin)
    packed = compress(data, zdict)
    if inflate(packed, zdict) != data:  # never print a code we could not read back
        raise RuntimeError("QR payload round trip failed")

    def done(mode, texts, url=None):
        segs = tuple(QrSegment(t, qr_version(t, ecc), segment_mode(t)) for t in texts)
        return QrEncoding(mode, ecc, spec.label, len(data), len(packed), segs, url)

    text = single_text(spec, packed)
    version = qr_version(text, ecc)
    if version is not None and version <= max_version and not contact_link:
        return done("single", [text])
    if url_base:
        if not url_base.startswith(("https://", "http://")):
            raise ValueError("'url_base' must be an http(s) URL")
        link, url = link_text(data, url_base)
        if (qr_version(link, ecc) or 99) > max_version:
            raise QrPayloadError(f"the link does not fit in a version {max_version} QR code", code="QR_TOO_LARGE")
        return done("link", [link], url)
    for count in range(2, max_codes + 1):
        try:
            texts = chunk_texts(spec, packed, count)
        except ValueError:
            break
        if all((qr_version(t, ecc) or 99) <= max_version for t in texts):
            return done("chunked", texts)
    raise QrPayloadError(f"the credential ({len(data)} bytes, {len(packed)} compressed) does not fit in "
                         f"{max_codes} QR codes of version {max_version} at ECC {ecc}; use a URL (--url-base) "
                         f"or a higher --max-version", code="QR_TOO_LARGE")


def carries_contact_details(data: bytes) -> bool:
    """Whether credential bytes hold a contact point with an address or telephone (model.contact)."""
    from ecvet_credentials.model.contact import has_contact_details

    if b'"phoneNumber"' not in data and b'"fullAddress"' not in data:  # cheap: most credentials have neither
        return False
    try:
        return has_contact_details(parse_json(data, source=_("the credential")))
    except Exception:  # noqa: BLE001 - not JSON: nothing to find (the payload carries any bytes)
        return False


def _zdict(spec: DictSpec | None, agreement: dict | None,
           catalogue: Callable[[str], bytes | None] | None = None) -> bytes | None:
    if spec is None or spec.builtin is None:  # None: only link codes (L) have no dictionary, and they never get here
        return None
    cat = None
    if spec.catalogue and agreement is None and catalogue is not None:
        found = catalogue(spec.catalogue)  # fetched by digest from an allowed host; re-checked here
        if found is not None and dictionaries.short_digest(found) == spec.catalogue:
            return dictionaries.preset(spec.builtin, found)
    if spec.catalogue:
        if agreement is None:
            raise QrPayloadError(_(
                "This QR code was made smaller with the list of units of a Learning Agreement (unit catalogue "
                "{digest}), so it can only be read together with that agreement. Ask the learner or the issuer "
                "for the Learning Agreement file and give it too (--agreement LA.json; on the verification page, "
                "the agreement field), or for the self-contained code of this credential.").format(
                    digest=spec.catalogue), code="QR_DICTIONARY_MISSING")
        cat = dictionaries.catalogue(agreement)
        have = dictionaries.short_digest(cat)
        if have != spec.catalogue:
            raise QrPayloadError(_(
                "This QR code needs the unit catalogue {digest} of a Learning Agreement, but the agreement given "
                "has catalogue {have}: it is another agreement, or a changed copy. Give the Learning Agreement "
                "this credential was made under.").format(digest=spec.catalogue, have=have),
                code="QR_DICTIONARY_MISMATCH")
    return dictionaries.preset(spec.builtin, cat)


def _reassemble(chunks: list[Parsed]) -> tuple[DictSpec | None, bytes]:
    ids = {c.id for c in chunks}
    if len(ids) > 1:
        raise QrPayloadError(f"the QR codes belong to {len(ids)} different credentials ({', '.join(sorted(ids))}); "
                             f"scan the codes of one credential only", code="QR_CHUNKS_MISMATCH")
    if len({c.count for c in chunks}) > 1 or len({c.dict for c in chunks}) > 1:
        raise QrPayloadError("the QR codes of credential %s disagree on their part count or dictionary"
                             % chunks[0].id, code="QR_CHUNKS_MISMATCH")
    count = chunks[0].count
    parts: dict[int, bytes] = {}
    for c in chunks:
        if parts.setdefault(c.index, c.data) != c.data:
            raise QrPayloadError(f"two different QR codes claim to be part {c.index} of credential {c.id}",
                                 code="QR_CHUNKS_MISMATCH")
    missing = [i for i in range(1, count + 1) if i not in parts]
    if missing:
        raise QrPayloadError(f"QR code set {chunks[0].id} is incomplete: part(s) {', '.join(map(str, missing))} "
                             f"of {count} missing", code="QR_CHUNKS_INCOMPLETE")
    data = b"".join(parts[i] for i in range(1, count + 1))
    if dictionaries.short_digest(data) != chunks[0].id:
        raise QrPayloadError(f"the reassembled QR codes do not match their id {chunks[0].id} "
                             f"(a part from another credential, or a forged part)", code="QR_CHUNKS_MISMATCH")
    return chunks[0].dict, data


def decode_texts(texts: Iterable[str], *, agreement: dict | None = None,
                 fetch: Callable[[str], bytes] | None = None,
                 catalogue: Callable[[str], bytes | None] | None = None) -> bytes:
    """The credential bytes carried by the QR texts of one credential (in any order; other QR codes ignored).

    Link codes need `fetch(url) -> bytes` (nothing is fetched otherwise); the bytes must match the digest.
    Codes made with a unit catalogue need `agreement`, or `catalogue(digest) -> dictionary bytes | None`
    (see `qr.catalogue_fetch.catalogue_source`); bytes that do not match the digest are not used.
    """
    ours, others = [], 0
    for text in dict.fromkeys(texts):  # the same code scanned twice is fine
        if isinstance(text, str) and text[:2] == "EC" and ":" in text[:8]:
            ours.append(parse(text))
        else:
            others += 1
    if not ours:
        raise QrPayloadError("no ECVET credential QR code found" + (f" (among {others} other QR codes; ours start with {PREFIX})"
                                                                     if others else ""), code="QR_NOT_FOUND")
    kinds = {p.kind for p in ours}
    if len(kinds) > 1 or (kinds != {"C"} and len(ours) > 1):
        raise QrPayloadError(f"the QR codes hold {len(ours)} different credentials or kinds; scan one credential",
                             code="QR_CHUNKS_MISMATCH")
    first = ours[0]
    if first.kind == "L":
        if fetch is None:
            raise QrPayloadError(f"this QR code holds a link, not the credential: download {first.url} and check "
                                 f"that its SHA-256 is {link_hex(first.digest)}", code="QR_LINK_ONLY")
        data = fetch(first.url)
        if link_digest(data) != first.digest:
            raise QrPayloadError(f"the document at {first.url} does not match the digest in the QR code",
                                 code="QR_CHUNKS_MISMATCH")
        return data
    spec, packed = (first.dict, first.data) if first.kind == "S" else _reassemble(ours)
    out = inflate(packed, _zdict(spec, agreement, catalogue))
    try:  # the one bounded parse: a crafted payload may nest 10,000 levels deep
        doc = parse_json(out, source=_("the QR payload"))
    except InputError:
        doc = None
    if not isinstance(doc, dict):
        raise QrPayloadError("the QR payload does not decode to a JSON object (damaged code or wrong dictionary)")
    return out


def link_hex(digest_b32: str) -> str:
    return base64.b32decode(digest_b32 + "====").hex()


__all__ = ["PREFIX", "QrEncoding", "QrSegment", "catalogue_digest", "decode_texts", "encode_credential", "link_hex"]
