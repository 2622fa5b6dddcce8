"""The codewords of a QR symbol (data, padding and Reed-Solomon error correction), as qrcode's
`util.create_data` gives them, computed faster.

qrcode writes the bit stream one bit per Python call and divides polynomials by building a new
`Polynomial` object per step (about a third of a PNG's CPU). Here the bits go into one integer and
the error correction words come from the usual shift-register division over GF(256) with qrcode's own
log/antilog tables: the same remainder, so the same bytes (tests/test_qr_codewords.py compares them
with qrcode's for every version and error correction level).
"""
from __future__ import annotations

from functools import lru_cache

from qrcode import LUT, base, exceptions, util

_EXP = base.EXP_TABLE[:255] * 2  # the 255 powers of 2, twice: no "% 255" for a sum of two logarithms


class _Bits:
    """qrcode's BitBuffer interface (put, put_bit, len), held as one integer."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        self.value = (self.value << length) | (num & ((1 << length) - 1))
        self.length += length

    def put_bit(self, bit: bool) -> None:
        self.value = (self.value << 1) | (1 if bit else 0)
        self.length += 1

    def __len__(self) -> int:
        return self.length


@lru_cache(maxsize=None)
def _generator_logs(ec_count: int) -> tuple[int, ...]:
    """log of each coefficient after the leading 1 of the generator polynomial of `ec_count` words."""
    if ec_count in LUT.rsPoly_LUT:
        poly = list(LUT.rsPoly_LUT[ec_count])
    else:
        product = base.Polynomial([1], 0)
        for i in range(ec_count):
            product = product * base.Polynomial([1, base.gexp(i)], 0)
        poly = list(product)
    return tuple(base.glog(c) for c in poly[1:])


def _ec_words(data: list[int], ec_count: int) -> list[int]:
    """The remainder of data(x) * x^ec_count divided by the generator (a shift register)."""
    logs = _generator_logs(ec_count)
    log_table, exp = base.LOG_TABLE, _EXP
    remainder = [0] * ec_count
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = remainder[1:]
        remainder.append(0)
        if factor:
            lf = log_table[factor]
            remainder = [r ^ exp[lf + g] for r, g in zip(remainder, logs)]
    return remainder


def create_data(version: int, error_correction: int, data_list: list[util.QRData]) -> list[int]:
    """What qrcode.util.create_data returns (the same checks and exception, the same codewords)."""
    bits = _Bits()
    for data in data_list:
        bits.put(data.mode, 4)
        bits.put(len(data), util.length_in_bits(data.mode, version))
        data.write(bits)
    blocks = base.rs_blocks(version, error_correction)
    bit_limit = sum(block.data_count * 8 for block in blocks)
    if bits.length > bit_limit:
        raise exceptions.DataOverflowError(
            "Code length overflow. Data size (%s) > size available (%s)" % (bits.length, bit_limit))
    bits.put(0, min(bit_limit - bits.length, 4))  # terminator
    bits.put(0, -bits.length % 8)                  # to a whole byte
    stream = list(bits.value.to_bytes(bits.length // 8, "big"))
    stream += [util.PAD0 if i % 2 == 0 else util.PAD1 for i in range((bit_limit - bits.length) // 8)]
    dcdata: list[list[int]] = []
    ecdata: list[list[int]] = []
    offset = 0
    for block in blocks:
        dc = stream[offset:offset + block.data_count]
        offset += block.data_count
        dcdata.append(dc)
        ecdata.append(_ec_words(dc, block.total_count - block.data_count))
    out: list[int] = []
    for words in (dcdata, ecdata):  # interleaved: the i-th word of every block in turn
        for i in range(max(len(w) for w in words)):
            out.extend(w[i] for w in words if i < len(w))
    return out
