"""QR images: PNG/SVG rendering and reading back from degraded 'phone photos' (Pillow versions of the
degradations in research/qr_measure.py: scale to 600 px wide, rotation, blur, noise, JPEG)."""
from __future__ import annotations

import io
import random
import struct
import xml.etree.ElementTree as ET
import zlib

import pytest
from PIL import Image, ImageFilter

from ecvet_credentials.core.errors import QrPayloadError
from ecvet_credentials.render.qr import decode_images_to_bytes, encode_credential, read_texts
from ecvet_credentials.render.qr.images import png_bytes, svg_text

from test_qr_payload import samples



def photo(png: bytes, *, width=600, angle=5.0, blur=1.0, noise=8, quality=75, seed=1) -> bytes:
    img = Image.open(io.BytesIO(png)).convert("L")
    img = img.resize((width, round(img.height * width / img.width)), Image.Resampling.LANCZOS)
    pad = width // 4
    canvas = Image.new("L", (width + 2 * pad, img.height + 2 * pad), 235)
    canvas.paste(img, (pad, pad))
    canvas = canvas.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=235)
    canvas = canvas.filter(ImageFilter.GaussianBlur(blur))
    canvas = canvas.point(lambda v: 45 + v * 160 // 255)  # low contrast, as in qr_measure.py
    random.seed(seed)
    grain = Image.effect_noise(canvas.size, noise)  # Gaussian noise around 128
    canvas = Image.blend(canvas, grain, 0.15)
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=quality)
    return out.getvalue()


@pytest.fixture(scope="module")
def single():
    s = samples()
    enc = encode_credential(s["pt"], agreement=s["la"], dictionary="catalogue")
    return s, enc, png_bytes(enc.texts[0])


def test_png_is_print_sized(single):
    _, enc, png = single
    img = Image.open(io.BytesIO(png))
    modules = 17 + 4 * enc.versions[0] + 8
    assert img.size == (5 * modules, 5 * modules) and round(img.info["dpi"][0]) == 300


def test_clean_png_round_trip(single, tmp_path):
    s, enc, png = single
    la = tmp_path / "la.json"
    import json
    la.write_text(json.dumps(s["la"]))
    assert read_texts(png) == enc.texts
    assert decode_images_to_bytes([png], name="t.png", agreement_path=la) == s["pt"]


def test_phone_photo_round_trip(single):
    s, enc, png = single
    jpg = photo(png)
    assert jpg[:3] == b"\xff\xd8\xff"
    assert read_texts(jpg, name="photo.jpg") == enc.texts
    from ecvet_credentials.render.qr import decode_texts
    assert decode_texts(read_texts(jpg), agreement=s["la"]) == s["pt"]


def test_chunked_photos_in_any_order():
    big = samples()["big"]
    enc = encode_credential(big)
    photos = [photo(png_bytes(t), angle=-4.0 + i, seed=i) for i, t in enumerate(enc.texts)]
    assert decode_images_to_bytes(photos[::-1], name="photos") == big
    with pytest.raises(QrPayloadError) as e:
        decode_images_to_bytes(photos[1:], name="photos")
    assert e.value.code == "QR_CHUNKS_INCOMPLETE"


def test_svg_is_valid_and_sized_in_mm(single):
    _, enc, _ = single
    svg = svg_text(enc.texts[0])
    root = ET.fromstring(svg)
    modules = 17 + 4 * enc.versions[0] + 8
    assert root.get("viewBox") == f"0 0 {modules} {modules}" and root.get("width").endswith("mm")
    assert 40 < float(root.get("width")[:-2]) < 60


def _png_with_size(w, h) -> bytes:
    """A PNG whose header claims w x h pixels (a pixel bomb) with almost no data."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("data,code", [
    (b"GIF89a....", "QR_PAYLOAD_INVALID"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "QR_PAYLOAD_INVALID"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 100, "QR_PAYLOAD_INVALID"),
    (_png_with_size(100_000, 100_000), "LIMIT_EXCEEDED"),
    (_png_with_size(50, 50), "QR_PAYLOAD_INVALID"),  # truncated pixel data
])
def test_unreadable_images(data, code):
    with pytest.raises(QrPayloadError) as e:
        decode_images_to_bytes([data], name="x.png")
    assert e.value.code == code and "x.png" in str(e.value)


def test_image_without_qr_code():
    blank = io.BytesIO()
    Image.new("L", (300, 300), 255).save(blank, format="PNG")
    with pytest.raises(QrPayloadError) as e:
        decode_images_to_bytes([blank.getvalue()], name="blank.png")
    assert e.value.code == "QR_NOT_FOUND"
