"""Uploaded bytes to documents: JSON as it is, a QR photo decoded (with the Learning Agreement's unit
catalogue when given). Raises InputError (a 400) for anything unreadable."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import InputError
from ..jsonld.limits import DEFAULT_LIMITS, parse_json
from ..qr.images import is_image

def parse_object(data: bytes | str, *, name: str, max_bytes: int) -> dict[str, Any]:
    value = parse_json(data, limits=replace(DEFAULT_LIMITS, max_bytes=max_bytes), source=name)
    if not isinstance(value, dict):
        raise InputError(f"{name} holds no JSON object; a credential is a JSON object.")
    return value


def decode_qr(data: bytes, *, name: str, agreement: dict | None) -> bytes:
    """The credential bytes carried by the QR code(s) in one image."""
    try:
        from ..qr import decode_texts, read_texts
    except ImportError:
        raise InputError("Reading QR codes is not available on this server.") from None
    texts = read_texts(data, name=name)
    if not texts:
        raise InputError(f"No QR code was found in {name}; photograph the code flat, sharp and filling at least "
                         "a third of the picture.", code="QR_NOT_FOUND")
    return decode_texts(texts, agreement=agreement)


def document_from_upload(data: bytes, *, name: str, agreement: dict | None, max_bytes: int) -> dict[str, Any]:
    if is_image(data):
        data = decode_qr(data, name=name, agreement=agreement)
    else:
        from ..render.extract import credential_bytes

        data = credential_bytes(data, name=name, max_bytes=max_bytes) or data  # a printed PDF or HTML page
    return parse_object(data, name=name, max_bytes=max_bytes)


def document_from_text(text: str, *, agreement: dict | None, max_bytes: int) -> dict[str, Any]:
    """Pasted text: the credential JSON, or the text of its QR code (starts with EC<version>:)."""
    stripped = text.strip()
    if stripped.startswith("EC") and ":" in stripped[:8]:
        from ..qr import decode_texts

        return parse_object(decode_texts(stripped.split(), agreement=agreement), name="the QR text", max_bytes=max_bytes)
    return parse_object(stripped, name="the pasted text", max_bytes=max_bytes)
