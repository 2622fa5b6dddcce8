"""The whole signed credential in QR codes, verified offline (payload spec: docs/qr-payload.md).

    enc = encode_credential(signed_bytes, agreement=la_doc)      # texts, versions, sizes, mode
    render_png(enc.texts[0], "transcript.png")
    decode_images_to_bytes([png_bytes], name="transcript.png", agreement_path="la.json") == signed_bytes
"""
from __future__ import annotations

from ecvet_credentials.core.errors import QrPayloadError
from ecvet_credentials.i18n import _
from ecvet_credentials.render.qr.codec import QrEncoding, QrSegment, catalogue_digest, decode_texts, encode_credential
from ecvet_credentials.render.qr.images import is_image, read_texts, render_png, render_svg
from ecvet_credentials.render.qr.payload import MAX_OUTPUT, PREFIX

MAX_AGREEMENT_BYTES = 1024 * 1024


def load_agreement(path) -> dict:
    """A Learning Agreement JSON file (signed or not), parsed under the project's input limits."""
    from ecvet_credentials.core.files import read_bounded
    from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, parse_json

    data = read_bounded(path, max_bytes=MAX_AGREEMENT_BYTES, source=_("{path} (Learning Agreement)").format(path=path),
                        error=QrPayloadError)
    doc = parse_json(data, limits=DEFAULT_LIMITS, source=str(path))
    if not isinstance(doc, dict):
        raise QrPayloadError(f"{path} is not a JSON object (a Learning Agreement credential)")
    return doc


def decode_images_to_bytes(images: list[bytes], *, name: str, agreement_path=None, fetch=None, catalogue=None) -> bytes:
    """The credential JSON bytes carried by the QR codes in these images (raw PNG/JPEG file bytes).

    Codes of a chunked credential may be spread over several images, in any order. `agreement_path`
    is needed when the codes were made with the unit catalogue of a Learning Agreement, unless
    `catalogue(digest)` finds it published (`catalogue_fetch.catalogue_source`).
    """
    texts = []
    for i, data in enumerate(images):
        label = name if len(images) == 1 else f"{name} (image {i + 1})"
        texts += read_texts(data, name=label)
    if not texts:
        raise QrPayloadError(f"no QR code found in {name}; photograph the code flat, sharp and filling "
                             f"at least a third of the picture", code="QR_NOT_FOUND")
    agreement = load_agreement(agreement_path) if agreement_path is not None else None
    return decode_texts(texts, agreement=agreement, fetch=fetch, catalogue=catalogue)


__all__ = ["MAX_OUTPUT", "PREFIX", "QrEncoding", "QrSegment", "catalogue_digest", "decode_images_to_bytes",
           "decode_texts", "encode_credential", "is_image", "load_agreement", "read_texts", "render_png",
           "render_svg"]
