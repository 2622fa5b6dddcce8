"""QR sizes for a signed Personal Transcript of 1 to 12 units, in both modes (a table, no timing):

- self-contained (the default): built-in dictionary only, any verifier reads the code(s);
- catalogue: built-in + the Learning Agreement's unit texts, one smaller code that only a reader holding
  that agreement (the home institution) can decode.

Run: .venv/bin/python bench/bench_qr_sizes.py   (also part of `make bench`)
     .venv/bin/python bench/bench_qr_sizes.py --compare 3,12   (built-in dictionary v1 against v2 only)
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


def compare(units) -> None:
    """The same signed transcripts compressed with the built-in dictionary v1 (context v1 documents) and v2."""
    print(f"## Built-in dictionary v1 against v2 (ECC M, codes up to version {MAX_VERSION})\n")
    print("| units | mode | JSON bytes | v1: DEFLATE bytes, chars, codes (versions) | v2: DEFLATE bytes, chars, codes (versions) |")
    print("|---|---|---|---|---|")
    for n in units:
        data, la = transcript(n)
        for label, mode in MODES:
            cells = []
            for version in (1, 2):
                enc = encode_credential(data, agreement=la, dictionary=mode, max_version=MAX_VERSION, max_codes=16,
                                        builtin=version)
                assert decode_texts(enc.texts, agreement=la if mode == "catalogue" else None) == data
                cells.append(f"{enc.compressed_bytes:,}, {enc.chars:,}, {len(enc.texts)} ({'/'.join(map(str, enc.versions))})")
            print(f"| {n} | {label} | {len(data):,} | {cells[0]} | {cells[1]} |")
    for label, data in documents():
        cells = []
        for version in (1, 2):
            enc = encode_credential(data, max_version=MAX_VERSION, max_codes=16, builtin=version, contact_details=True)
            cells.append(f"{enc.compressed_bytes:,}, {enc.chars:,}, {len(enc.texts)} ({'/'.join(map(str, enc.versions))})")
        print(f"| {label} | self-contained | {len(data):,} | {cells[0]} | {cells[1]} |")


def documents():
    """Context v2 documents with the cycle's new parts, unsigned (same for both dictionaries): the manual's
    full transcript (assessment sheet, further assessments, signatories, enclosures, the learner's contact
    details), the example Learning Agreement and MoU."""
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_agreement_credential, build_mou_credential

    cid = PT_ID
    for label, path, build in (("manual transcript", ROOT / "tests/data/templates/transcript.yaml", build_transcript_credential),
                               ("example LA", ROOT / "examples/learning-agreement.yaml", build_agreement_credential),
                               ("example MoU", ROOT / "examples/mou.yaml", build_mou_credential)):
        doc = build(load(path).model, credential_id=cid, valid_from="2026-11-20T12:00:00Z")
        yield label, json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--compare":
        compare([int(n) for n in sys.argv[2].split(",")])
        return
    print(f"## QR sizes, 1-12 units (ECC M, codes up to version {MAX_VERSION})\n")
    print("| units | mode | JSON bytes | DEFLATE bytes | QR characters | codes (v<=25) | versions | one code would be |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows():
        single = f"v{r['single']}" if r["single"] else "> v40"
        print(f"| {r['units']} | {r['mode']} | {r['json']:,} | {r['deflate']:,} | {r['chars']:,} | {r['codes']} | "
              f"{r['versions']} | {single} |")


if __name__ == "__main__":
    main()
