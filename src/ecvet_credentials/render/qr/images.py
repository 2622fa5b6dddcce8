"""Render QR texts as PNG/SVG and read QR texts back from PNG/JPEG photos (zxing-cpp).

Print size: 5 px per module at 300 dpi = 0.42 mm per module, inside the 0.4-0.5 mm that phone cameras
read at hand distance (qr-anchors.md §5): a version 25 code with its 4-module quiet zone is 53 mm wide.
SVG carries the same 0.42 mm module in its width/height. ECC M and a 4-module quiet zone by default.
"""
from __future__ import annotations

import io
import threading
from pathlib import Path

import qrcode
from qrcode.util import MODE_8BIT_BYTE, MODE_ALPHA_NUM, QRData

from ecvet_credentials.core.errors import QrPayloadError
from ecvet_credentials.core.files import MAX_PHOTO_BYTES, atomic_write_bytes
from ecvet_credentials.render.qr.capacity import check_ecc, qr_version, segment_mode
from ecvet_credentials.render.qr.codewords import create_data

QUIET_ZONE = 4
PNG_BOX_PX = 5
PNG_DPI = 300
SVG_MODULE_MM = 0.42
MAX_IMAGE_BYTES = MAX_PHOTO_BYTES
# A 24 MP phone photo. A 62 KB PNG can claim 49 MP (~200 MB once decoded): pixels, not bytes, bound memory.
MAX_IMAGE_PIXELS = 24_000_000
# Decodes at once in one process (each up to ~5 bytes a pixel with zxing's copy); others wait their turn.
MAX_CONCURRENT_DECODES = 2
DECODE_WAIT_SECONDS = 30.0
_DECODES = threading.BoundedSemaphore(MAX_CONCURRENT_DECODES)
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
# HEIC/HEIF (what iPhones save): an ISO-BMFF 'ftyp' box with one of these brands.
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def is_image(data: bytes) -> bool:
    """PNG, JPEG, WebP or HEIC/HEIF, by their first bytes."""
    return (data.startswith(IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
            or (data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS))


def _formats() -> list[str]:
    """Pillow formats read: HEIF when pillow-heif is installed (the qr-read extra)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return ["PNG", "JPEG", "WEBP"]
    register_heif_opener()
    return ["PNG", "JPEG", "WEBP", "HEIF"]


def matrix(text: str, *, ecc: str = "M", mask_pattern: int | None = None) -> list[list[bool]]:
    """Module matrix including the quiet zone. One segment, alphanumeric whenever the text allows it."""
    version = qr_version(text, ecc)
    if version is None:
        raise QrPayloadError(f"{len(text)} characters do not fit in any QR code at ECC {ecc}", code="QR_TOO_LARGE")
    mode = MODE_ALPHA_NUM if segment_mode(text) == "alphanumeric" else MODE_8BIT_BYTE
    qr = qrcode.QRCode(version=version, error_correction=check_ecc(ecc), border=QUIET_ZONE,
                       mask_pattern=mask_pattern)
    qr.add_data(QRData(text.encode("utf-8") if mode == MODE_8BIT_BYTE else text, mode=mode))
    qr.data_cache = create_data(version, qr.error_correction, qr.data_list)  # qrcode's codewords, faster
    if mask_pattern is None:  # qrcode's own choice of mask, found without drawing the symbol 9 times
        from ecvet_credentials.render.qr.masks import make_with_best_mask

        make_with_best_mask(qr)
    else:
        qr.make(fit=False)
    return qr.get_matrix()


def png_bytes(text: str, *, ecc: str = "M", box_px: int = PNG_BOX_PX, dpi: int = PNG_DPI,
              mask_pattern: int | None = None) -> bytes:
    from PIL import Image

    m = matrix(text, ecc=ecc, mask_pattern=mask_pattern)
    n = len(m)
    raw = b"".join(bytes(0 if dark else 255 for dark in row) for row in m)
    img = Image.frombytes("L", (n, n), raw).resize((n * box_px, n * box_px), Image.Resampling.NEAREST).convert("1")
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def sheet_png_bytes(texts: list[str], *, ecc: str = "M", box_px: int = PNG_BOX_PX, dpi: int = PNG_DPI) -> bytes:
    """Every code of a set side by side in one PNG (each with its quiet zone), so one file or one photo
    carries the whole credential; readers take the codes in any order."""
    from PIL import Image

    codes = [Image.open(io.BytesIO(png_bytes(t, ecc=ecc, box_px=box_px, dpi=dpi))) for t in texts]
    gap = QUIET_ZONE * box_px
    sheet = Image.new("1", (sum(c.width for c in codes) + gap * (len(codes) - 1), max(c.height for c in codes)), 1)
    x = 0
    for code in codes:
        sheet.paste(code, (x, 0))
        x += code.width + gap
    buf = io.BytesIO()
    sheet.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def svg_text(text: str, *, ecc: str = "M", module_mm: float = SVG_MODULE_MM) -> str:
    m = matrix(text, ecc=ecc)
    n = len(m)
    path = []
    for y, row in enumerate(m):  # one rectangle per horizontal run of dark modules
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                path.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    size = f"{n * module_mm:.2f}mm"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {n} {n}" '
            f'shape-rendering="crispEdges"><rect width="{n}" height="{n}" fill="#fff"/>'
            f'<path fill="#000" d="{"".join(path)}"/></svg>\n')


def render_png(text: str, path, *, ecc: str = "M", box_px: int = PNG_BOX_PX, dpi: int = PNG_DPI,
               mask_pattern: int | None = None) -> int | None:
    """Write a PNG of the QR code; returns its version. A fixed mask_pattern (0-7) skips the ISO mask
    scoring, ~4x faster (bench/bench_qr.py) at the cost of a possibly less even module pattern."""
    atomic_write_bytes(Path(path), png_bytes(text, ecc=ecc, box_px=box_px, dpi=dpi, mask_pattern=mask_pattern))
    return qr_version(text, ecc)


def render_svg(text: str, path, *, ecc: str = "M", module_mm: float = SVG_MODULE_MM) -> int | None:
    """Write an SVG of the QR code (printed size in mm); returns its version."""
    atomic_write_bytes(Path(path), svg_text(text, ecc=ecc, module_mm=module_mm).encode("ascii"))
    return qr_version(text, ecc)


def read_texts(data: bytes, *, name: str = "image") -> list[str]:
    """Every QR code text found in a PNG/JPEG/WebP/HEIC photo (file bytes). QrPayloadError if unreadable."""
    try:
        import zxingcpp  # noqa: F401 - checked here, used by _decode
    except ImportError:
        raise QrPayloadError("reading QR images needs zxing-cpp: pip install 'ecvet-credentials[qr-read]'",
                             code="QR_READER_MISSING") from None
    if not is_image(data):
        raise QrPayloadError(f"{name} is not a PNG, JPEG, WebP or HEIC image")
    if len(data) > MAX_IMAGE_BYTES:
        raise QrPayloadError(f"{name} is larger than {MAX_IMAGE_BYTES // 2**20} MB", code="LIMIT_EXCEEDED")
    if not _DECODES.acquire(timeout=DECODE_WAIT_SECONDS):
        raise QrPayloadError(f"too many images are being read right now; send {name} again in a minute",
                             code="QR_BUSY")
    try:
        return _decode(data, name)
    finally:
        _DECODES.release()


def _decode(data: bytes, name: str) -> list[str]:
    import zxingcpp
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        img: Image.Image = Image.open(io.BytesIO(data), formats=_formats())
        if img.width * img.height > MAX_IMAGE_PIXELS:  # checked before decoding the pixels
            raise QrPayloadError(f"{name} has too many pixels ({img.width}x{img.height}, more than "
                                 f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels); send a smaller photo",
                                 code="LIMIT_EXCEEDED")
        img = ImageOps.exif_transpose(img).convert("L")
    except QrPayloadError:
        raise
    except Image.DecompressionBombError:
        raise QrPayloadError(f"{name} has too many pixels", code="LIMIT_EXCEEDED") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise QrPayloadError(f"{name} is not a readable PNG, JPEG, WebP or HEIC image ({exc.__class__.__name__})") from None
    fmt = zxingcpp.BarcodeFormat.QRCode
    found = zxingcpp.read_barcodes(img, formats=fmt)  # type: ignore[arg-type]  # one format is a set of one
    if not found:  # dim or washed-out photos: stretch the contrast and try once more
        found = zxingcpp.read_barcodes(ImageOps.autocontrast(img, cutoff=1), formats=fmt)  # type: ignore[arg-type]
    return [r.text for r in found if r.valid]
