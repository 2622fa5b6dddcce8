"""QR sizes for a signed Personal Transcript of 1 to 12 units, in both modes (a table, no timing):

- self-contained (the default): built-in dictionary only, any verifier reads the code(s);
- catalogue: built-in + the Learning Agreement's unit texts, one smaller code that only a reader holding
  that agreement (the home institution) can decode.

Run: .venv/bin/python bench/bench_qr_sizes.py   (also part of `make bench`)
Each unit has a title and 5 learning-outcome sentences (tests/test_qr_payload.py builders); the credential
is signed (eddsa-rdfc-2022) and compacted, as every QR code is made. ECC M, codes up to version 25.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]

from test_qr_payload import LA_ID, PT_ID, units_transcript  # noqa: E402

from ecvet_credentials.crypto.keys import KeyPair  # noqa: E402
from ecvet_credentials.model import build_agreement_credential, build_transcript_credential  # noqa: E402
from ecvet_credentials.proofs import sign  # noqa: E402
from ecvet_credentials.render.qr import decode_texts, encode_credential  # noqa: E402

MODES = (("self-contained", "builtin"), ("catalogue", "catalogue"))
MAX_VERSION = 25


def transcript(n: int) -> tuple[bytes, dict]:
    """A signed n-unit transcript (compact JSON bytes) and its Learning Agreement."""
    key = KeyPair.from_private_bytes("Ed25519", bytes(range(32)))
    pt, la = units_transcript(n)
    signed = sign(build_transcript_credential(pt, credential_id=PT_ID, valid_from="2026-11-20T12:00:00Z"), key,
                  created="2026-11-20T12:00:00Z")
    la_doc = build_agreement_credential(la, credential_id=LA_ID, valid_from="2026-09-10T09:00:00Z")
    return json.dumps(signed, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), la_doc


def rows():
    for n in range(1, 13):
        data, la = transcript(n)
        for label, mode in MODES:
            enc = encode_credential(data, agreement=la, dictionary=mode, max_version=MAX_VERSION, max_codes=16)
            one = encode_credential(data, agreement=la, dictionary=mode, max_version=40, max_codes=16)
            assert decode_texts(enc.texts, agreement=la if mode == "catalogue" else None) == data
            yield {"units": n, "mode": label, "json": len(data), "deflate": enc.compressed_bytes, "chars": enc.chars,
                   "codes": len(enc.texts), "versions": "/".join(map(str, enc.versions)),
                   "single": one.versions[0] if one.mode == "single" else None}


def main() -> None:
    print(f"## QR sizes, 1-12 units (ECC M, codes up to version {MAX_VERSION})\n")
    print("| units | mode | JSON bytes | DEFLATE bytes | QR characters | codes (v<=25) | versions | one code would be |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows():
        single = f"v{r['single']}" if r["single"] else "> v40"
        print(f"| {r['units']} | {r['mode']} | {r['json']:,} | {r['deflate']:,} | {r['chars']:,} | {r['codes']} | "
              f"{r['versions']} | {single} |")


if __name__ == "__main__":
    main()
