"""QR rendering libraries side by side: qrcode (ISO mask scoring in Python) against segno, same text,
same version, same ECC and mode, same PNG size; judged by the phone-photo round trip of the QR tests
(zxing-cpp reading a blurred, rotated, noisy, low-contrast JPEG).

Run: .venv/bin/python bench/bench_qr_libs.py [--quick]
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from ecvet_credentials.render.qr import encode_credential, read_texts  # noqa: E402
from ecvet_credentials.render.qr.capacity import qr_version, segment_mode  # noqa: E402
from test_qr_payload import samples  # noqa: E402


def qrcode_png(text: str) -> bytes:
    """qrcode alone: its make() draws and scores the symbol under all 8 masks."""
    import qrcode
    from PIL import Image
    from qrcode.util import MODE_ALPHA_NUM, MODE_8BIT_BYTE, QRData

    mode = MODE_ALPHA_NUM if segment_mode(text) == "alphanumeric" else MODE_8BIT_BYTE
    qr = qrcode.QRCode(version=qr_version(text, "M"), error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(QRData(text if mode == MODE_ALPHA_NUM else text.encode(), mode=mode))
    qr.make(fit=False)
    m = qr.get_matrix()
    n = len(m)
    raw = b"".join(bytes(0 if dark else 255 for dark in row) for row in m)
    img = Image.frombytes("L", (n, n), raw).resize((n * 5, n * 5), Image.Resampling.NEAREST).convert("1")
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(300, 300))
    return buf.getvalue()


def project_png(text: str) -> bytes:
    """This project: qrcode's symbol, its mask choice made once on integer rows (qr/masks.py)."""
    from ecvet_credentials.render.qr.images import png_bytes

    return png_bytes(text)


def segno_png(text: str) -> bytes:
    import segno

    mode = "alphanumeric" if segment_mode(text) == "alphanumeric" else "byte"
    qr = segno.make_qr(text, error="m", version=qr_version(text, "M"), mode=mode, boost_error=False)
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=5, border=4, dpi=300)
    return buf.getvalue()


def photo_round_trips(png: bytes, text: str, variants: int) -> int:
    from test_qr_images import photo

    ok = 0
    for i in range(variants):
        jpg = photo(png, angle=-6.0 + 12.0 * i / max(1, variants - 1), blur=0.8 + 0.1 * (i % 4), seed=i)
        try:
            ok += read_texts(jpg, name="photo.jpg") == [text]
        except Exception:  # noqa: BLE001 - an unreadable photo is a failed round trip
            pass
    return ok


def main(quick: bool = False) -> None:
    s = samples()
    texts = encode_credential(s["pt"], agreement=s["la"]).texts + encode_credential(s["big"], max_version=25).texts
    rounds, variants = (3, 4) if quick else (10, 12)
    print(f"## QR PNG rendering: {len(texts)} codes (v{min(qr_version(t, 'M') for t in texts)}-"
          f"v{max(qr_version(t, 'M') for t in texts)}), {rounds} rounds, {variants} photos per code\n")
    print("| library | ms per PNG | ratio to qrcode | photo round trips |\n|---|---|---|---|")
    base = None
    for name, render in (("qrcode", qrcode_png), ("segno", segno_png),
                         ("qrcode + masks.py (used)", project_png)):
        render(texts[0])
        start = time.perf_counter()
        for _ in range(rounds):
            pngs = [render(t) for t in texts]
        ms = 1000 * (time.perf_counter() - start) / (rounds * len(texts))
        base = base or ms
        read = sum(photo_round_trips(png, t, variants) for png, t in zip(pngs, texts))
        print(f"| {name} | {ms:.1f} | {ms / base:.2f} | {read}/{variants * len(texts)} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    main(parser.parse_args().quick)
