"""Edges of the Bitstring Status List that decide verdicts: one bit at a time, exact size bounds,
equality, and a decompression bound that holds while inflating (not after)."""
from __future__ import annotations

import base64
import gzip
import tracemalloc
import zlib

import pytest

from ecvet_credentials.core.errors import LimitExceededError, StatusListError
from ecvet_credentials.status.bitstring import DEFAULT_MAX_BYTES, MIN_BITS, BitstringStatusList


def _b64u(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("cleared", range(8))
def test_clearing_one_bit_keeps_every_neighbour_in_its_byte(cleared):
    # A reinstatement must never reinstate the other credentials that share the byte.
    bits = BitstringStatusList()
    for i in range(8, 16):
        bits.set(i)
    bits.set(8 + cleared, False)
    assert [bits.get(i) for i in range(8, 16)] == [i != cleared for i in range(8)]
    assert bits.to_bytes()[1] == 0xFF & ~(0x80 >> cleared)
    assert bits.set_indexes() == [i for i in range(8, 16) if i != 8 + cleared]


def test_setting_a_bit_twice_and_clearing_a_clear_bit_change_nothing_else():
    bits = BitstringStatusList()
    bits.set(3)
    bits.set(3)
    bits.set(4, False)
    assert bits.set_indexes() == [3]
    bits.set(3, False)
    assert bits.set_indexes() == [] and bits == BitstringStatusList()


def test_default_value_of_set_is_true():
    bits = BitstringStatusList()
    bits.set(5)
    assert bits.get(5) is True and bits.get(4) is False


def test_equality_compares_every_bit_and_the_size():
    a, b = BitstringStatusList(), BitstringStatusList()
    assert a == b
    a.set(131071)
    assert a != b
    b.set(131071)
    assert a == b
    assert BitstringStatusList(MIN_BITS) != BitstringStatusList(MIN_BITS + 8)
    assert a != a.to_bytes() and a != "list"


def test_minimum_size_boundary_is_exact():
    assert BitstringStatusList(MIN_BITS).size == 131072 == MIN_BITS
    assert len(BitstringStatusList(MIN_BITS + 8)) == MIN_BITS + 8
    with pytest.raises(StatusListError) as err:
        BitstringStatusList(MIN_BITS - 8)
    assert err.value.code == "STATUS_LIST_TOO_SHORT"
    assert str(err.value) == "status list has 131064 entries; the spec requires at least 131072"
    with pytest.raises(StatusListError):
        BitstringStatusList(data=bytes(MIN_BITS // 8 - 1))
    assert BitstringStatusList(data=bytes(MIN_BITS // 8)).size == MIN_BITS
    assert BitstringStatusList(16, min_bits=16).size == 16
    assert BitstringStatusList(8, min_bits=0).size == 8  # the smallest list, where the caller allows it


@pytest.mark.parametrize("size", [0, -8, 131073, 7])
def test_size_must_be_a_positive_multiple_of_eight(size):
    with pytest.raises(ValueError):
        BitstringStatusList(size, min_bits=0)


def test_first_and_last_index_are_inside_and_size_is_outside():
    bits = BitstringStatusList()
    bits.set(0)
    bits.set(MIN_BITS - 1)
    assert bits.get(0) and bits.get(MIN_BITS - 1)
    for bad in (MIN_BITS, -1, MIN_BITS + 8):
        with pytest.raises(StatusListError) as err:
            bits.get(bad)
        assert err.value.code == "STATUS_INDEX_OUT_OF_RANGE"
    with pytest.raises(TypeError):
        bits.get(True)
    with pytest.raises(TypeError):
        bits.set(1.0)


def test_decode_round_trips_exactly_at_the_byte_limit():
    bits = BitstringStatusList(MIN_BITS)
    bits.set(77)
    exact = MIN_BITS // 8
    assert BitstringStatusList.decode(bits.encode(), max_bytes=exact) == bits
    with pytest.raises(LimitExceededError):
        BitstringStatusList.decode(bits.encode(), max_bytes=exact - 1)


def test_overlong_encoded_list_is_refused_before_base64_decoding():
    # Longer than any gzip of max_bytes could be: refused by length alone, even if not valid base64.
    body = "u" + "!" * ((1024 + 1024) * 4 // 3 + 8)
    with pytest.raises(LimitExceededError):
        BitstringStatusList.decode(body, max_bytes=1024)


def test_the_bound_holds_during_inflation_not_after():
    # 256 MiB of zeros in ~256 KiB of gzip: inflating it whole would allocate 256 MiB.
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    raw = b"".join(compressor.compress(chunk) for _ in range(256)) + compressor.flush()
    encoded = _b64u(raw)
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceededError):
            BitstringStatusList.decode(encoded)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * DEFAULT_MAX_BYTES, f"peak {peak} bytes: the bomb was inflated past the bound"


def test_empty_gzip_member_is_too_short():
    with pytest.raises(StatusListError) as err:
        BitstringStatusList.decode(_b64u(gzip.compress(b"", mtime=0)), min_bits=0)
    assert err.value.code == "STATUS_LIST_TOO_SHORT"


def test_encode_is_deterministic_and_gzip_level_6():
    bits = BitstringStatusList()
    bits.set(42)
    first = bits.encode()
    assert first == bits.encode()
    raw = base64.urlsafe_b64decode(first[1:] + "=" * (-len(first[1:]) % 4))
    assert raw[:4] == b"\x1f\x8b\x08\x00" and raw[4:8] == b"\x00\x00\x00\x00"  # gzip, no mtime
    assert raw == gzip.compress(bits.to_bytes(), compresslevel=6, mtime=0)


def test_the_length_guard_sits_exactly_at_its_bound():
    # (max_bytes + 1024) * 4 // 3 + 4 characters: the base64 of max_bytes of gzip plus its overhead
    bound = (1024 + 1024) * 4 // 3 + 4
    with pytest.raises(StatusListError):  # at the bound: read, and refused for what it is (not gzip)
        BitstringStatusList.decode("u" + "A" * bound, max_bytes=1024)
    with pytest.raises(LimitExceededError):
        BitstringStatusList.decode("u" + "A" * (bound + 1), max_bytes=1024)
