"""Bitstring Status List: bit order, encodedList, spec examples, decoding bounds."""
from __future__ import annotations

import base64
import gzip
import json
import zlib

import pytest

from ecvet_credentials.core.errors import LimitExceededError, StatusListError
from ecvet_credentials.status import BitstringStatusList, status_entries
from ecvet_credentials.status.entries import parse_status_entry

SPEC_EMPTY = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def _b64u(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_empty_list_encodes_to_spec_example():
    assert BitstringStatusList().encode() == SPEC_EMPTY


def test_bit_zero_is_msb_of_first_byte():
    bits = BitstringStatusList()
    bits.set(0)
    bits.set(9)
    bits.set(131071)
    raw = bits.to_bytes()
    assert raw[0] == 0x80 and raw[1] == 0x40 and raw[-1] == 0x01
    assert bits.get(0) and bits.get(9) and bits.get(131071) and not bits.get(1)
    assert bits.set_indexes() == [0, 9, 131071]
    bits.set(9, False)
    assert not bits.get(9) and raw[1] == 0x40  # to_bytes is a copy


def test_round_trip_with_bits_set():
    bits = BitstringStatusList(262144)
    for i in (0, 7, 8, 94567, 262143):
        bits.set(i)
    again = BitstringStatusList.decode(bits.encode())
    assert again == bits and again.size == 262144


def test_index_out_of_range():
    bits = BitstringStatusList()
    with pytest.raises(StatusListError) as err:
        bits.get(131072)
    assert err.value.code == "STATUS_INDEX_OUT_OF_RANGE"
    with pytest.raises(StatusListError):
        bits.set(-1)


def test_too_short_refused_on_build_and_decode():
    with pytest.raises(StatusListError) as err:
        BitstringStatusList(8)
    assert err.value.code == "STATUS_LIST_TOO_SHORT"
    short = _b64u(gzip.compress(bytes(1024), mtime=0))
    with pytest.raises(StatusListError) as err:
        BitstringStatusList.decode(short)
    assert err.value.code == "STATUS_LIST_TOO_SHORT"
    assert BitstringStatusList.decode(short, min_bits=8).size == 8192


def test_gzip_bomb_is_refused_without_inflating_it():
    # 64 MiB of zeros compresses to ~64 KiB; the decoder must stop at its bound.
    raw = gzip.compress(bytes(64 * 1024 * 1024), compresslevel=9, mtime=0)
    with pytest.raises(LimitExceededError):
        BitstringStatusList.decode(_b64u(raw))
    # and a lower caller-chosen bound applies too
    with pytest.raises(LimitExceededError):
        BitstringStatusList.decode(BitstringStatusList(262144).encode(), max_bytes=16384)


@pytest.mark.parametrize(
    "encoded",
    [
        "H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",  # no multibase prefix
        "u!!!notbase64",
        _b64u(b"not gzip at all"),
        _b64u(gzip.compress(bytes(16384), mtime=0)[:-6]),  # truncated
        _b64u(gzip.compress(bytes(16384), mtime=0) + b"junk"),  # trailing data
        _b64u(zlib.compress(bytes(16384))),  # zlib, not gzip
        "u",
        None,
    ],
)
def test_malformed_encodings_are_clear_errors(encoded):
    with pytest.raises(StatusListError):
        BitstringStatusList.decode(encoded)


def test_spec_examples_decode_and_reencode(shared_dir):
    folder = shared_dir / "vectors/vc-bitstring-status-list/examples"
    lists = 0
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text())
        subject = doc.get("credentialSubject", {})
        if "encodedList" in subject:
            lists += 1
            bits = BitstringStatusList.decode(subject["encodedList"])
            assert bits.size == 131072 and bits.set_indexes() == []
            assert bits.encode() == subject["encodedList"], path.name
        for raw in doc.get("credentialStatus", []) if isinstance(doc.get("credentialStatus"), list) else [
            doc.get("credentialStatus")
        ] if doc.get("credentialStatus") else []:
            entry = parse_status_entry(raw)
            assert entry.list_url == raw["statusListCredential"] and str(entry.index) == raw["statusListIndex"]
    assert lists == 2


def test_status_entries_shape_matches_spec_example(shared_dir):
    example = json.loads(
        (shared_dir / "vectors/vc-bitstring-status-list/examples/"
         "example-1-example-statuslistcredential-using-simple-entries.json").read_text()
    )
    built = status_entries(
        {"revocation": "https://example.com/credentials/status/3",
         "suspension": "https://example.com/credentials/status/4"},
        {"revocation": 94567, "suspension": 23452},
        example["id"],
    )
    assert built == example["credentialStatus"]


def test_status_entries_validates_input():
    urls = {"revocation": "https://x/status/1", "suspension": "https://x/status/2"}
    with pytest.raises(ValueError):
        status_entries(urls, {"revocation": 1}, "urn:uuid:x")
    with pytest.raises(ValueError):
        status_entries(urls, {"revocation": -1, "suspension": 2}, "urn:uuid:x")
    with pytest.raises(ValueError):
        status_entries({**urls, "revocation": "https://x/s#frag"}, {"revocation": 1, "suspension": 2}, "urn:uuid:x")


@pytest.mark.parametrize(
    "patch",
    [
        {"statusListIndex": 5},
        {"statusListIndex": "-5"},
        {"statusListIndex": "05"},
        {"statusListIndex": "1" * 40},
        {"statusPurpose": "message"},
        {"type": "StatusList2021Entry"},
        {"statusListCredential": "not a url"},
        {"statusSize": 2},
    ],
)
def test_parse_status_entry_rejects(patch):
    good = status_entries(
        {"revocation": "https://x/status/1", "suspension": "https://x/status/2"},
        {"revocation": 1, "suspension": 2}, "urn:uuid:x",
    )[0]
    assert parse_status_entry(good).index == 1
    with pytest.raises(StatusListError) as err:
        parse_status_entry({**good, **patch})
    assert err.value.code == "STATUS_ENTRY_INVALID"


def test_round_trip_property():
    import hypothesis
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=60, deadline=None)
    @hypothesis.given(st.sets(st.integers(0, 131071), max_size=200), st.sampled_from([131072, 262144]))
    def check(indexes, size):
        bits = BitstringStatusList(size)
        for i in indexes:
            bits.set(i)
        again = BitstringStatusList.decode(bits.encode())
        assert again.set_indexes() == sorted(indexes) and again.size == size

    check()
