"""The one reader of a credential carried inside a printable document, for every input path
(`ecvet verify`, `wallet import`, `ecvet render`, the verification page):

- a PDF written by `render_pdf`: the associated file `credential.json` (PDF/A-3, AFRelationship Source);
- an HTML page written by `render_printable`: `<script type="application/vc+ld+json" id="credential">`.

`credential_bytes(data)` gives the exact embedded JSON bytes, or None when `data` is neither kind of
document (the caller then tries JSON or a QR image). A document of that kind without a readable credential
raises InputError. The bytes are bounded here (decompression included); the caller parses them with the
project's one bounded JSON parse (`jsonld.limits.parse_json`). `script_block` is the writer's half.
"""
from __future__ import annotations

import io
import logging
import re
import zlib

from ..errors import InputError
from ..jsonld.limits import DEFAULT_LIMITS

ATTACHMENT_NAME = "credential.json"
SCRIPT_TYPE = "application/vc+ld+json"
SCRIPT_ID = "credential"
MAX_DOCUMENT_BYTES = 50_000_000  # a printable PDF with a logo is ~100 KB; anything this big is not ours
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)
# the writer emits exactly this shape; a page that was edited into another shape is not read
_SCRIPT = re.compile(r'<script type="application/vc\+ld\+json" id="credential">(.*?)</script>', re.DOTALL)


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def is_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:1024]))


def credential_bytes(data: bytes, *, name: str = "the document", max_bytes: int | None = None) -> bytes | None:
    """The credential JSON embedded in a printable PDF or HTML page; None when `data` is neither."""
    limit = max_bytes if max_bytes is not None else DEFAULT_LIMITS.max_bytes
    if is_pdf(data):
        return _from_pdf(data, name, limit)
    if is_html(data):
        return _from_html(data, name, limit)
    return None


def script_block(credential_json: bytes) -> str:
    """The HTML data block carrying the credential. Inside <script> nothing is unescaped, so '<', '>'
    and '&' become JSON escapes (same JSON value, and no '</script>' can close the block early)."""
    text = credential_json.decode("utf-8")
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="{SCRIPT_TYPE}" id="{SCRIPT_ID}">{text}</script>'


def _from_html(data: bytes, name: str, limit: int) -> bytes:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{name} is {len(data):,} bytes; a printable page is far smaller.", code="LIMIT_EXCEEDED")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{name} is an HTML page that is not UTF-8; it is not a printable credential page.") from None
    found = _SCRIPT.findall(text)
    if len(found) != 1:
        raise InputError(f"{name} is an HTML page without exactly one embedded credential "
                         f'(<script type="{SCRIPT_TYPE}" id="{SCRIPT_ID}">); open the QR code or the credential file instead.',
                         code="NO_EMBEDDED_CREDENTIAL")
    body = found[0].encode("utf-8")
    if len(body) > limit:
        raise InputError(f"{name}: the embedded credential is larger than {limit:,} bytes.", code="LIMIT_EXCEEDED")
    return body


def _from_pdf(data: bytes, name: str, limit: int) -> bytes:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
        from pypdf.generic import ArrayObject, DictionaryObject
    except ImportError:
        raise InputError(f"{name} is a PDF; reading PDFs needs pypdf (pip install 'ecvet-credentials[pdf]').") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{name} is {len(data):,} bytes; a printable PDF is far smaller.", code="LIMIT_EXCEEDED")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair warnings are not ours to print
    try:
        root = PdfReader(io.BytesIO(data), strict=False).trailer["/Root"].get_object()
        specs = [s.get_object() for s in (root.get("/AF") or ArrayObject())]
        specs += _name_tree_specs(root)
        for spec in specs:
            if isinstance(spec, DictionaryObject) and str(spec.get("/UF") or spec.get("/F") or "") == ATTACHMENT_NAME:
                return _stream_bytes(spec["/EF"]["/F"].get_object(), name, limit)
    except InputError:
        raise
    except (PyPdfError, KeyError, TypeError, ValueError, AttributeError, RecursionError, zlib.error) as exc:
        raise InputError(f"{name} is a PDF that cannot be read ({type(exc).__name__}: {exc}).") from None
    raise InputError(f"{name} is a PDF without an embedded {ATTACHMENT_NAME}; it was not written by ecvet render "
                     "--format pdf. Scan its QR code instead (ecvet verify on an image of the page).",
                     code="NO_EMBEDDED_CREDENTIAL")


def _name_tree_specs(root) -> list:
    """File specifications in the EmbeddedFiles name tree (first level only: ours is flat)."""
    names = root.get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
    flat = tree.get_object().get("/Names") if tree is not None else None
    if flat is None:
        return []
    flat = flat.get_object()
    return [flat[i].get_object() for i in range(1, min(len(flat), 200), 2)]


def _stream_bytes(stream, name: str, limit: int) -> bytes:
    """The embedded file, decompressed here with a bound (no filter or FlateDecode only)."""
    filters = stream.get("/Filter")
    filters = [str(f) for f in (filters if isinstance(filters, list) else [filters] if filters else [])]
    raw = stream._data  # the encoded bytes: decoding is ours, so it is bounded
    if filters == []:
        body = bytes(raw)
    elif filters == ["/FlateDecode"] and not stream.get("/DecodeParms"):
        inflater = zlib.decompressobj()
        body = inflater.decompress(raw, limit + 1)
        if len(body) > limit or inflater.unconsumed_tail:
            raise InputError(f"{name}: the embedded credential is larger than {limit:,} bytes.", code="LIMIT_EXCEEDED")
    else:
        raise InputError(f"{name}: the embedded {ATTACHMENT_NAME} uses an encoding ({', '.join(filters)}) "
                         "that ecvet render never writes.")
    if len(body) > limit:
        raise InputError(f"{name}: the embedded credential is larger than {limit:,} bytes.", code="LIMIT_EXCEEDED")
    return body
