"""The signed credential inside our printable documents, found where the document carries it:

- HTML: the `<script type="application/vc+ld+json" id="credential">` element holding the exact signed
  JSON; else the QR code texts in `data-qr-text` attributes (pages printed before the element existed).
- PDF: the embedded file (PDF/A-3 associated file) named `credential.json`.

    found = read_document(data)    # Found(kind, credential=bytes|None, qr_texts=[...]) or None

Pure reading, bounded: the HTML parser stops at the first credential element, the PDF reader looks only at
the embedded files. Raises InputError for a PDF or HTML page that carries no credential.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..errors import InputError
from ..i18n import _

CREDENTIAL_TYPE = "application/vc+ld+json"
CREDENTIAL_ID = "credential"
EMBEDDED_NAME = "credential.json"
MAX_QR_TEXTS = 32


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


def read_document(data: bytes, *, name: str = "the file") -> Found | None:
    """The credential inside a printable HTML page or PDF; None when `data` is neither."""
    if is_pdf(data):
        return Found("pdf", credential=_from_pdf(data, name))
    if is_html(data):
        return _from_html(data, name)
    return None


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


def _from_html(data: bytes, name: str) -> Found:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(_("{name} is an HTML page that is not UTF-8: not one of our printable pages.").format(name=name)) from None
    reader = _Reader()
    reader.feed(text)
    reader.close()
    credential = "".join(reader.credential).strip().encode("utf-8") if reader.credential else None
    if not credential and not reader.qr_texts:
        raise InputError(_("{name} is an HTML page with no credential in it: give the printable page made by ecvet render, the credential file, or a photo of its QR code.").format(name=name), code="NO_CREDENTIAL")
    return Found("html", credential=credential or None, qr_texts=reader.qr_texts)


def _from_pdf(data: bytes, name: str) -> bytes:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise InputError(_("Reading PDF files needs pypdf: pip install pypdf.")) from None
    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
        found = attachments.get(EMBEDDED_NAME)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(_("{name} is not a readable PDF ({error}).").format(name=name, error=exc.__class__.__name__)) from None
    if not found:
        raise InputError(_("{name} is a PDF with no embedded {file}: give the PDF printed by ecvet render, the credential file, or a photo of its QR code.").format(name=name, file=EMBEDDED_NAME), code="NO_CREDENTIAL")
    return found[0]
