"""QR payload sizes per compression mode, and encode + PNG time per credential.

Run: .venv/bin/python bench/bench_qr.py [--quick]
Credentials: the real ECVET builders' transcript (tests/model_samples.py: 3 units, 15 outcomes, signed)
and a 10-unit transcript (50 outcomes), compact JSON, as in tests/test_qr_payload.py.
Target: a cohort of 1,000 transcripts with their QR PNGs in < 60 s on 2 cores, i.e. <= 60 ms per
credential on one core (rounds interleaved by bench/harness.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from harness import Bench  # noqa: E402

from ecvet_credentials.render.qr import decode_texts, encode_credential, read_texts  # noqa: E402
from ecvet_credentials.render.qr.images import png_bytes  # noqa: E402
from test_qr_payload import samples  # noqa: E402

MODES = [("plain DEFLATE (no dictionary)", "none"), ("built-in dictionary v1", "builtin"),
         ("built-in + LA unit catalogue", "catalogue")]


def size_table(s) -> str:
    rows = ["| credential | JSON bytes | mode | DEFLATE bytes | % | QR chars | single-code version (M) | "
            "at max v25 (M) |", "|---|---|---|---|---|---|---|---|"]
    for label, data, la in (("3 units / 15 outcomes", s["pt"], s["la"]),
                            ("10 units / 50 outcomes", s["big"], s["big_la"])):
        for name, mode in MODES:
            agreement = la if mode == "catalogue" else None
            one = encode_credential(data, agreement=agreement, dictionary=mode, max_version=40, max_codes=64)
            fit = encode_credential(data, agreement=agreement, dictionary=mode, max_version=25, max_codes=64)
            single = str(one.versions[0]) if one.mode == "single" else "> 40"
            at25 = ("1 code, v%d" % fit.versions[0] if fit.mode == "single"
                    else "%d codes, v%s" % (len(fit.segments), max(fit.versions)))
            rows.append(f"| {label} | {len(data)} | {name} | {one.compressed_bytes} | "
                        f"{100 * one.compressed_bytes / len(data):.0f} % | {one.chars} | {single} | {at25} |")
    return "\n".join(rows)


def main(quick: bool = False) -> None:
    s = samples()
    print("## Sizes (ECC M, alphanumeric mode)\n")
    print(size_table(s))
    pt, la = s["pt"], s["la"]
    enc = encode_credential(pt, agreement=la)
    png = png_bytes(enc.texts[0])
    b = Bench(rounds=5 if quick else 11, target_seconds=1.0 if quick else 3.0)
    b.add("encode (catalogue dict)", lambda: encode_credential(pt, agreement=la), "builds the LA catalogue too")
    b.add("encode + PNG (ISO mask choice)", lambda: png_bytes(encode_credential(pt, agreement=la).texts[0]),
          f"v{enc.versions[0]}, 5 px/module")
    b.add("encode + PNG (fixed mask 0)",
          lambda: png_bytes(encode_credential(pt, agreement=la).texts[0], mask_pattern=0), "skips mask scoring")
    b.add("decode text -> bytes", lambda: decode_texts(enc.texts, agreement=la))
    b.add("read PNG (zxing-cpp)", lambda: read_texts(png))
    b.run()
    print()
    print(b.table("encode (catalogue dict)", title="Time per credential (one core)"))
    per = b.median("encode + PNG (ISO mask choice)")
    print(f"\ncohort of 1,000 transcripts, encode + PNG: {per * 1000:.1f} s on one core, "
          f"~{per * 500:.1f} s on 2 cores (target 60 s; {per * 1e3:.1f} ms each, target <= 60 ms)")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
