"""QR payload format EC1: Base45, DEFLATE with preset dictionaries, single / chunked / link, hostile input.

The credentials are the real ECVET builders' output (tests/model_samples.py: 3 units, 15 learning outcomes),
signed with a fixed Ed25519 key; `samples()` is shared with test_qr_images.py and test_qr_cli.py.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import random
import zlib
from pathlib import Path

import pytest

from ecvet_credentials.core.errors import InputError, QrPayloadError
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.model import (
    LearningOutcome,
    UnitOfLearningOutcomes,
    UnitResult,
    build_agreement_credential,
    build_transcript_credential,
)
from ecvet_credentials.proofs import sign, verify_proofs
from ecvet_credentials.render.qr import catalogue_digest, decode_texts, encode_credential
from ecvet_credentials.render.qr import dictionaries
from ecvet_credentials.render.qr.base45 import b45decode, b45encode
from ecvet_credentials.render.qr.payload import MAX_OUTPUT, compress, single_text, DictSpec

import model_samples as m

PT_ID = "urn:uuid:9b2c41d0-7e3a-4f6b-8a1d-5c0e2f9b7a63"
LA_ID = "urn:uuid:3f1e6a1c-8b2d-4c55-9f00-1a2b3c4d5e6f"
VERBS = ["Plans", "Prepares", "Checks", "Documents", "Explains", "Applies", "Repairs", "Measures", "Installs",
         "Tests"]
OBJECTS = ["the weekly maintenance of the workshop machines", "safety checks before starting a job",
           "customer orders with the team leader", "materials and tools for the task",
           "the results in the quality log"]


def _compact(doc) -> bytes:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def units_transcript(n: int = 10):
    """An n-unit transcript model and its agreement (5 outcome sentences a unit; 10 units are too big for
    one version-25 code). Also used by bench/bench_qr_sizes.py."""
    results = []
    for i in range(n):
        unit = UnitOfLearningOutcomes(
            f"MEC-U{i + 1}", {"en": f"Unit {i + 1}: {VERBS[i % 10].lower()} mechanical systems in production"},
            [LearningOutcome({"en": f"{VERBS[(i + k) % 10]} {OBJECTS[k]} (unit {i + 1}, outcome {k + 1})"})
             for k in range(5)], 3, 4)
        ref = m.pt.units[0].assessment
        results.append(UnitResult(unit, 3, dataclasses.replace(ref, date="2026-11-1%d" % (i % 4 + 6))))
    la = dataclasses.replace(m.la, units=tuple(r.unit for r in results))
    return dataclasses.replace(m.pt, units=tuple(results)), la


@functools.lru_cache(maxsize=None)
def samples() -> dict:
    key = KeyPair.from_private_bytes("Ed25519", bytes(range(32)))
    pt = sign(build_transcript_credential(m.pt, credential_id=PT_ID, valid_from="2026-11-20T12:00:00Z"), key,
              created="2026-11-20T12:00:00Z")
    la = sign(build_agreement_credential(m.la, credential_id=LA_ID, valid_from="2026-09-10T09:00:00Z"), key,
              created="2026-09-10T09:00:00Z")
    big_pt, big_la = units_transcript(10)
    big = build_transcript_credential(big_pt, credential_id=PT_ID, valid_from="2026-11-20T12:00:00Z")
    big_la = build_agreement_credential(big_la, credential_id=LA_ID, valid_from="2026-09-10T09:00:00Z")
    return {"pt": _compact(pt), "la": la, "big": _compact(big), "big_la": big_la, "key": key}


# --- Base45 (RFC 9285 §4.3 examples) ------------------------------------------------------------------------------
@pytest.mark.parametrize("raw,text", [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"),
                                      (b"ietf!", "QED8WEX0"), (b"", "")])
def test_base45_rfc_examples(raw, text):
    assert b45encode(raw) == text and b45decode(text) == raw


@pytest.mark.parametrize("bad", ["GGW", "abc", "BB8A", "BB8#", "ZZ"])
def test_base45_refuses_invalid(bad):
    with pytest.raises(QrPayloadError):
        b45decode(bad)


def test_base45_random_round_trip():
    rng = random.Random(7)
    for n in range(0, 60):
        data = rng.randbytes(n)
        assert b45decode(b45encode(data)) == data


# --- dictionaries ---------------------------------------------------------------------------------------------------
def test_builtin_dictionary_is_pinned_and_fits_the_window():
    for version in (1, 2):
        d = dictionaries.builtin(version)
        assert 5000 < len(d) < dictionaries.WINDOW
        assert b"https://www.w3.org/ns/credentials/v2" in d and b"eddsa-rdfc-2022" in d and b"LearningOutcome" in d
    v2 = dictionaries.builtin(2)
    assert b"https://w3id.org/ecvet-credentials/v2" in v2 and b'"SkillsAssessmentSheet"' in v2 and b'"phoneNumber":' in v2
    assert b".example" not in v2  # the samples' own URLs (homepages, enclosures) are blanked; vocabulary only


FIXED = Path(__file__).parent / "data" / "qr"


def test_codes_made_with_the_v1_dictionary_still_decode():
    """A code printed before v2 (header `1`, frozen in tests/data/qr) reads back byte for byte, and its
    signature still verifies."""
    data = (FIXED / "transcript-3-units.json").read_bytes()
    old = (FIXED / "transcript-3-units.v1-code.txt").read_text().strip()
    assert old.startswith("EC1:S.1.")
    assert decode_texts([old]) == data
    assert verify_proofs(json.loads(data)).verified
    again = encode_credential(data, builtin=1, max_version=40)  # v1 can still be asked for, and is unchanged
    assert again.texts == [old]


def test_v2_dictionary_makes_smaller_codes_of_v2_documents():
    """Byte counts for the fixed signed 3-unit transcript (context v2): v2 compresses it to fewer bytes and
    characters than v1, and new codes name v2 in their header."""
    data = (FIXED / "transcript-3-units.json").read_bytes()
    v1 = encode_credential(data, builtin=1, max_version=40)
    v2 = encode_credential(data, max_version=40)
    assert v2.texts[0].startswith("EC1:S.2.") and decode_texts(v2.texts) == data
    assert (v1.compressed_bytes, v1.chars) == (1297, 1954)
    assert (v2.compressed_bytes, v2.chars) == (1289, 1942)
    mou = json.dumps(build_mou(), separators=(",", ":")).encode("utf-8")  # the cycle's new parts gain most
    assert encode_credential(mou, max_version=40).compressed_bytes < encode_credential(mou, builtin=1, max_version=40).compressed_bytes - 100


def build_mou() -> dict:
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_mou_credential

    return build_mou_credential(load(Path(__file__).resolve().parents[1] / "examples" / "mou.yaml").model,
                                credential_id=PT_ID, valid_from="2026-01-10T00:00:00Z")


def test_catalogue_is_deterministic_and_puts_prose_last():
    la = samples()["la"]
    shuffled = json.loads(json.dumps(la, sort_keys=True))  # same data, other key order
    assert dictionaries.catalogue(la) == dictionaries.catalogue(shuffled)
    cat = dictionaries.catalogue(la).decode()
    assert cat.rindex("Prepares the bill and handles cash and card payment") > cat.rindex("ENO-U3")
    assert len(catalogue_digest(la)) == 13


# --- the typical transcript -----------------------------------------------------------------------------------------
def test_transcript_fits_one_v25_code_with_catalogue_and_v33_without():
    s = samples()
    assert 8000 < len(s["pt"]) < 11000  # the real builders' 3-unit, 15-outcome transcript (compact JSON)
    with_cat = encode_credential(s["pt"], agreement=s["la"], dictionary="catalogue")
    assert with_cat.mode == "single" and with_cat.versions[0] <= 25 and with_cat.ecc == "M"
    assert with_cat.texts[0].startswith("EC1:S.2K" + catalogue_digest(s["la"]) + ".")
    assert all(seg.mode == "alphanumeric" for seg in with_cat.segments)
    builtin = encode_credential(s["pt"], max_version=33)
    assert builtin.mode == "single" and builtin.versions[0] <= 33
    plain = encode_credential(s["pt"], dictionary="none", max_version=40)
    assert plain.compressed_bytes > builtin.compressed_bytes > with_cat.compressed_bytes


def test_round_trip_is_byte_exact_and_the_proof_still_verifies():
    s = samples()
    enc = encode_credential(s["pt"], agreement=s["la"], dictionary="catalogue")
    out = decode_texts(enc.texts, agreement=s["la"])
    assert out == s["pt"]
    assert verify_proofs(json.loads(out)).verified


def test_exact_bytes_are_kept_even_when_pretty_printed():
    s = samples()
    pretty = json.dumps(json.loads(s["pt"]), indent=2).encode() + b"\n"
    enc = encode_credential(pretty, agreement=s["la"], dictionary="catalogue", max_version=40)
    assert decode_texts(enc.texts, agreement=s["la"]) == pretty


def test_ten_units_fall_back_to_chunks_decoded_in_any_order():
    big = samples()["big"]
    enc = encode_credential(big)
    assert enc.mode == "chunked" and len(enc.segments) >= 2 and max(enc.versions) <= 25
    texts = enc.texts[::-1] + [enc.texts[0]]  # any order, a part scanned twice
    assert decode_texts(texts) == big
    assert decode_texts(["https://example.org/unrelated"] + enc.texts) == big  # other QR codes ignored


def test_ten_units_fall_back_to_a_link_with_url_base():
    big = samples()["big"]
    enc = encode_credential(big, url_base="https://school.example/qr/")
    assert enc.mode == "link" and enc.url.startswith("https://school.example/qr/") and enc.versions[0] <= 10
    assert decode_texts(enc.texts, fetch=lambda url: big if url == enc.url else b"") == big
    with pytest.raises(QrPayloadError) as e:
        decode_texts(enc.texts)
    assert e.value.code == "QR_LINK_ONLY" and enc.url in str(e.value)
    with pytest.raises(QrPayloadError):
        decode_texts(enc.texts, fetch=lambda url: big + b" ")


def test_too_big_for_the_code_budget():
    with pytest.raises(QrPayloadError) as e:
        encode_credential(samples()["big"], max_version=10, max_codes=2)
    assert e.value.code == "QR_TOO_LARGE" and isinstance(e.value, InputError)


# --- hostile payloads -------------------------------------------------------------------------------------------
def _code(texts, **kw):
    with pytest.raises(QrPayloadError) as e:
        decode_texts(texts, **kw)
    assert isinstance(e.value, InputError) and str(e.value)
    return e.value


def test_decompression_bomb_is_refused_quickly():
    bomb = single_text(DictSpec(1), compress(b"[" + b"0," * 5_000_000 + b"0]", dictionaries.builtin(1)))
    assert len(bomb) < 30000
    err = _code([bomb[:7089]]) if len(bomb) > 7089 else _code([bomb])
    assert err.code in ("QR_TOO_LARGE", "QR_PAYLOAD_INVALID")
    small_bomb = single_text(DictSpec(None), compress(b" " * (MAX_OUTPUT + 1), None))
    assert len(small_bomb) < 7089
    assert _code([small_bomb]).code == "QR_TOO_LARGE"


def test_header_errors():
    s = samples()
    text = encode_credential(s["pt"], agreement=s["la"], dictionary="catalogue").texts[0]
    assert _code(["HC1:" + text[4:]]).code == "QR_NOT_FOUND"   # not ours: ignored, so nothing found
    assert _code(["ECX" + text[3:]]).code == "QR_UNKNOWN_VERSION"
    assert "start with EC1:" in str(_code(["EC1-" + text[4:], "EC1-"]))
    assert _code(["EC2:" + text[4:]]).code == "QR_UNKNOWN_VERSION"
    assert _code(["EC1:X." + text[6:]]).code == "QR_UNKNOWN_VERSION"
    assert _code(["EC1:S.9." + text.split(".", 2)[2]]).code == "QR_UNKNOWN_VERSION"
    _code(["EC1:S.1"])                                         # no data
    _code(["EC1:S.0K" + "A" * 13 + ".BB8"])                     # catalogue without built-in
    _code([text[:-1]])                                         # truncated Base45 (3k+1) or stream
    _code([text[:-3]])                                         # truncated by a whole group
    _code([text[:30] + "a" + text[31:]])                       # lower case: not Base45
    _code([text[:30] + "#" + text[31:]])
    _code(["EC1:S.1." + b45encode(compress(b"[1,2,3]", dictionaries.builtin(1)))])  # JSON but not an object
    _code(["EC1:S.1." + b45encode(compress(b'{"a":1}', dictionaries.builtin(1)) + b"xx")])  # trailing bytes
    _code(["EC1:S.1." + "A" * 7100])                            # longer than any QR code


def test_missing_or_wrong_dictionary_is_named():
    s = samples()
    enc = encode_credential(s["pt"], agreement=s["la"], dictionary="catalogue")
    err = _code(enc.texts)
    assert err.code == "QR_DICTIONARY_MISSING"
    assert catalogue_digest(s["la"]) in str(err) and "--agreement" in str(err)
    other = json.loads(json.dumps(s["la"]))
    other["credentialSubject"]["familyName"] = "Bianchi"
    err = _code(enc.texts, agreement=other)
    assert err.code == "QR_DICTIONARY_MISMATCH" and catalogue_digest(other) in str(err)


def test_chunk_set_errors():
    s = samples()
    enc = encode_credential(s["big"])
    parts = enc.texts
    assert len(parts) >= 2
    assert _code(parts[1:]).code == "QR_CHUNKS_INCOMPLETE"
    # a part of another credential (same shape, other content) cannot be mixed in
    other = encode_credential(s["big"].replace(b"Giulia", b"Giorgia"))
    assert len(other.texts) == len(parts)
    assert _code([parts[0], other.texts[1]] + parts[2:]).code == "QR_CHUNKS_MISMATCH"
    # a forged part carrying the right id: the digest of the reassembled stream does not match
    fields = parts[1].split(".", 5)
    forged = ".".join(fields[:5] + [b45encode(bytes(len(b45decode(fields[5]))))])
    assert _code([parts[0], forged] + parts[2:]).code == "QR_CHUNKS_MISMATCH"
    # two different codes claiming the same index
    assert _code(parts + [forged]).code == "QR_CHUNKS_MISMATCH"
    # inconsistent count / bad index
    head = parts[0].split(".", 5)
    bad = ".".join(head[:4] + ["9"] + head[5:])
    _code([bad] + parts[1:])
    _code([".".join(head[:3] + ["0"] + head[4:])])
    _code([".".join(head[:3] + ["1", "99"] + head[5:])])        # more than 64 parts
    # a single code mixed with chunks
    single = encode_credential(s["pt"], agreement=s["la"], dictionary="catalogue").texts[0]
    _code([single] + parts, agreement=s["la"])


def test_random_garbage_only_raises_qr_errors():
    rng = random.Random(11)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    s = samples()
    real = encode_credential(s["pt"], max_version=33).texts[0]
    for i in range(300):
        if i % 3 == 0:
            text = "EC1:S.1." + "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 300)))
        elif i % 3 == 1:  # flip one character of a real code
            k = rng.randrange(8, len(real))
            text = real[:k] + rng.choice(alphabet) + real[k + 1:]
        else:
            text = "EC1:" + "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80)))
        try:
            out = decode_texts([text])
        except QrPayloadError:
            continue
        assert text == real or isinstance(json.loads(out), dict)


def test_zlib_level_stream_is_raw_deflate():
    """The data part is raw DEFLATE (no zlib header/Adler-32): inflate with wbits=-15 and the same zdict."""
    s = samples()
    text = encode_credential(s["pt"], max_version=33).texts[0]
    data = b45decode(text.split(".", 2)[2])
    d = zlib.decompressobj(-15, zdict=dictionaries.builtin(2))
    assert d.decompress(data) == s["pt"]


def test_codes_are_self_contained_unless_the_catalogue_is_asked_for():
    s = samples()
    default = encode_credential(s["pt"], agreement=s["la"])           # an agreement at hand is not used
    assert default.texts[0].startswith("EC1:") and "K" + catalogue_digest(s["la"]) not in default.texts[0]
    assert decode_texts(default.texts) == s["pt"]                       # read with nothing else
    assert default.mode == "chunked" and len(default.texts) == 2 and max(default.versions) <= 25
    home = encode_credential(s["pt"], agreement=s["la"], dictionary="catalogue")
    assert home.mode == "single" and home.chars < default.chars
    err = _code(home.texts)                                             # the catalogue code alone: plain words
    assert err.code == "QR_DICTIONARY_MISSING"
    assert "Learning Agreement" in str(err) and "self-contained code" in str(err) and "--agreement" in str(err)
