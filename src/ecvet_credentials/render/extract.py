"""The signed credential inside our printable documents, found where the document carries it; the one
reader for `ecvet verify`, `wallet import`, `ecvet render` and the verification page:

- HTML: the `<script type="application/vc+ld+json" id="credential">` element holding the exact signed
  JSON (written by `script_block`); else the QR code texts in `data-qr-text` attributes (older pages).
- PDF: the embedded file named `credential.json` (the PDF/A-3 associated file written by render/pdf.py,
  or an entry of the EmbeddedFiles name tree).

    found = read_document(data)            # Found(kind, credential=bytes|None, qr_texts=[...]) or None
    raw = credential_bytes(data, name=...) # the credential's JSON bytes (QR texts decoded), or None

Pure reading, bounded: the input size, the embedded file's size after decompression (inflated here, with a
limit), the number of QR texts. The caller parses the bytes with the one bounded JSON parse
(`jsonld.limits.parse_json`). Raises InputError for a PDF or HTML page that carries no credential.
"""
from __future__ import annotations

import io
import logging
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS

CREDENTIAL_TYPE = "application/vc+ld+json"
CREDENTIAL_ID = "credential"
EMBEDDED_NAME = "credential.json"
MAX_QR_TEXTS = 32
MAX_DOCUMENT_BYTES = 50_000_000   # a printable PDF with a logo is ~100 KB; anything this big is not ours
MAX_EMBEDDED_FILES = 100


@dataclass
class Found:
    kind: str                                   # "html" or "pdf"
    credential: bytes | None = None             # the exact signed JSON
    qr_texts: list[str] = field(default_factory=list)


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def is_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"\xef\xbb\xbf") and b"<html" in head)


def read_document(data: bytes, *, name: str = "the file", max_bytes: int | None = None) -> Found | None:
    """The credential inside a printable HTML page or PDF; None when `data` is neither."""
    limit = max_bytes if max_bytes is not None else DEFAULT_LIMITS.max_bytes
    if (is_pdf(data) or is_html(data)) and len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{name} is {len(data):,} bytes; a printable document is far smaller.", code="LIMIT_EXCEEDED")
    if is_pdf(data):
        return Found("pdf", credential=_from_pdf(data, name, limit))
    if is_html(data):
        return _from_html(data, name, limit)
    return None


def credential_bytes(data: bytes, *, name: str = "the file", agreement: dict | None = None, agreement_path=None,
                     max_bytes: int | None = None) -> bytes | None:
    """The credential's JSON bytes in a printable HTML page or PDF (an older page's QR texts decoded, with
    the agreement's unit catalogue when given, or read from `agreement_path` only then); None when `data`
    is neither kind of document."""
    found = read_document(data, name=name, max_bytes=max_bytes)
    if found is None:
        return None
    if found.credential is not None:
        return found.credential
    from ecvet_credentials.render.qr import decode_texts, load_agreement

    if agreement is None and agreement_path is not None:
        agreement = load_agreement(agreement_path)
    return decode_texts(found.qr_texts, agreement=agreement)


def script_block(credential_json: bytes) -> str:
    """The HTML data block carrying the credential (the writer's half). Inside <script> nothing is
    unescaped, so '<', '>' and '&' become JSON escapes: the same JSON value, and no '</script>' can close
    the block early."""
    text = credential_json.decode("utf-8")
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="{CREDENTIAL_TYPE}" id="{CREDENTIAL_ID}">{text}</script>'


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_credential = False
        self.credential: list[str] | None = None
        self.qr_texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") == CREDENTIAL_TYPE and a.get("id") == CREDENTIAL_ID and self.credential is None:
            self.in_credential, self.credential = True, []
        elif "data-qr-text" in a and len(self.qr_texts) < MAX_QR_TEXTS and a["data-qr-text"]:
            self.qr_texts.append(a["data-qr-text"])

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_credential = False

    def handle_data(self, data):
        if self.in_credential and self.credential is not None:
            self.credential.append(data)


def _from_html(data: bytes, name: str, limit: int) -> Found:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(_("{name} is an HTML page that is not UTF-8: not one of our printable pages.").format(name=name)) from None
    reader = _Reader()
    reader.feed(text)
    reader.close()
    credential = "".join(reader.credential).encode("utf-8") if reader.credential else None
    credential = credential if credential and credential.strip() else None  # exact bytes, or none at all
    if not credential and not reader.qr_texts:
        raise InputError(_("{name} is an HTML page with no credential in it: give the printable page made by ecvet render, the credential file, or a photo of its QR code.").format(name=name), code="NO_CREDENTIAL")
    if credential is not None and len(credential) > limit:
        raise InputError(f"{name}: the embedded credential is larger than {limit:,} bytes.", code="LIMIT_EXCEEDED")
    return Found("html", credential=credential or None, qr_texts=reader.qr_texts)


def _from_pdf(data: bytes, name: str, limit: int) -> bytes:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
        from pypdf.generic import DictionaryObject
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise InputError(_("Reading PDF files needs pypdf: pip install pypdf.")) from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair warnings are not ours to print
    try:
        root = PdfReader(io.BytesIO(data), strict=False).trailer["/Root"].get_object()
        for spec in _file_specs(root):
            if isinstance(spec, DictionaryObject) and str(spec.get("/UF") or spec.get("/F") or "") == EMBEDDED_NAME:
                files = spec["/EF"].get_object()
                if not isinstance(files, DictionaryObject):
                    raise InputError(f"{name}: the embedded {EMBEDDED_NAME} has no file stream.")
                return _stream_bytes(files["/F"].get_object(), name, limit)
    except InputError:
        raise
    except (PyPdfError, KeyError, TypeError, ValueError, AttributeError, OSError, RecursionError, zlib.error) as exc:
        raise InputError(_("{name} is not a readable PDF ({error}).").format(name=name, error=exc.__class__.__name__)) from None
    raise InputError(_("{name} is a PDF with no embedded {file}: give the PDF printed by ecvet render, the credential file, or a photo of its QR code.").format(name=name, file=EMBEDDED_NAME), code="NO_CREDENTIAL")


def _file_specs(root) -> list:
    """The document's associated files (/AF, PDF/A-3), then the EmbeddedFiles name tree's entries (its
    first level and kids one level down: ours and pypdf's are flat), bounded in number."""
    specs = [s.get_object() for s in list(root.get("/AF") or [])[:MAX_EMBEDDED_FILES]]
    names = root.get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
    nodes = [tree.get_object()] if tree is not None else []
    nodes += [k.get_object() for node in nodes for k in list(node.get("/Kids") or [])[:MAX_EMBEDDED_FILES]]
    for node in nodes:
        flat = node.get("/Names")
        flat = flat.get_object() if flat is not None else []
        specs += [flat[i].get_object() for i in range(1, min(len(flat), 2 * MAX_EMBEDDED_FILES), 2)]
    return specs


def _stream_bytes(stream, name: str, limit: int) -> bytes:
    """The embedded file, decoded here with a bound (no filter, or FlateDecode without predictors)."""
    filters = stream.get("/Filter")
    filters = [str(f) for f in (filters if isinstance(filters, list) else [filters] if filters else [])]
    raw = stream._data  # the encoded bytes: decoding is ours, so it is bounded
    if not filters:
        body = bytes(raw)
    elif filters == ["/FlateDecode"] and not stream.get("/DecodeParms"):
        inflater = zlib.decompressobj()
        body = inflater.decompress(raw, limit + 1)
    else:
        raise InputError(f"{name}: the embedded {EMBEDDED_NAME} uses an encoding ({', '.join(filters)}) "
                         "that ecvet render never writes.")
    if len(body) > limit:
        raise InputError(f"{name}: the embedded credential is larger than {limit:,} bytes.", code="LIMIT_EXCEEDED")
    return body
