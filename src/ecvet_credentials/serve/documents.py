"""Uploaded bytes to documents: JSON as it is, QR photos decoded together (with the Learning Agreement's
unit catalogue when given), our printable HTML and PDF read for the credential they carry
(render.extract). Raises InputError (a 400) for anything unreadable."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, parse_json
from ecvet_credentials.render.qr.images import is_image


def parse_object(data: bytes | str, *, name: str, max_bytes: int) -> dict[str, Any]:
    value = parse_json(data, limits=replace(DEFAULT_LIMITS, max_bytes=max_bytes), source=name)
    if not isinstance(value, dict):
        raise InputError(_("{name} holds no JSON object; a credential is a JSON object.").format(name=name))
    return value


def _qr_module():
    from ecvet_credentials.render import qr  # deferred: the image decoders load only when a photo comes

    return qr


def _image_texts(data: bytes, *, name: str) -> list[str]:
    texts = _qr_module().read_texts(data, name=name)
    if not texts:
        raise InputError(_("No QR code was found in {name}; photograph the code flat, sharp and filling at least a third of the picture.").format(name=name), code="QR_NOT_FOUND")
    return texts


def _decode_texts(texts: list[str], *, agreement: dict | None) -> bytes:
    return _qr_module().decode_texts(texts, agreement=agreement)


def _is_qr_text(text: str) -> bool:
    return text.startswith("EC") and ":" in text[:8]


def _split_qr_texts(text: str) -> list[str]:
    """One QR text a line (or whitespace before the next EC<version>: prefix): a Base45 text has spaces
    inside, so splitting at every space would cut it."""
    return [t for t in re.split(r"\r?\n|[ \t]+(?=EC\d+:)", text) if t.strip()]


def document_from_upload(data: bytes, *, name: str, agreement: dict | None, max_bytes: int) -> dict[str, Any]:
    return document_from_parts([data], None, agreement=agreement, max_bytes=max_bytes, names=[name])


def document_from_parts(files: list[bytes], text: str | None, *, agreement: dict | None, max_bytes: int,
                        names: list[str] | None = None) -> dict[str, Any]:
    """One credential from everything given at once: files (photos of QR codes, credential JSON, our
    printable HTML or PDF) and pasted text (JSON, or QR texts one per line). The QR codes found anywhere
    are put together, in any order, so a credential in two codes may come as two photos, one photo of
    both, or two pasted texts."""
    from ecvet_credentials.render.extract import read_document

    documents: list[dict] = []
    texts: list[str] = []
    for i, data in enumerate(files):
        name = names[i] if names else (_("file {n}").format(n=i + 1) if len(files) > 1 else _("the file"))
        found = read_document(data, name=name)
        if found is not None:
            if found.credential is not None:
                documents.append(parse_object(found.credential, name=name, max_bytes=max_bytes))
            else:
                texts += found.qr_texts
        elif is_image(data):
            texts += _image_texts(data, name=name)
        else:
            documents.append(parse_object(data, name=name, max_bytes=max_bytes))
    if text is not None and text.strip():
        stripped = text.strip()
        if _is_qr_text(stripped):
            texts += _split_qr_texts(stripped)
        else:
            documents.append(parse_object(stripped, name=_("the pasted text"), max_bytes=max_bytes))
    if texts:
        documents.append(parse_object(_decode_texts(texts, agreement=agreement),
                                      name=_("the QR codes"), max_bytes=max_bytes))
    if not documents:
        raise InputError(_("Nothing to check: give a file, a photo or the pasted credential."))
    if len(documents) > 1:
        raise InputError(_("These hold {n} separate credentials: check one at a time (the codes of one credential may come in several files).").format(n=len(documents)), code="MANY_CREDENTIALS")
    return documents[0]
