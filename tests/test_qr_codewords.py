"""render.qr.codewords gives qrcode's own codewords (data, padding, Reed-Solomon), byte for byte, for
every version and error correction level, in both segment modes the project writes."""
from __future__ import annotations

import random

import pytest
from qrcode import constants, exceptions, util

from ecvet_credentials.render.qr.codewords import create_data

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
LEVELS = [constants.ERROR_CORRECT_L, constants.ERROR_CORRECT_M, constants.ERROR_CORRECT_Q, constants.ERROR_CORRECT_H]


def _capacity_bytes(version: int, level: int) -> int:
    from qrcode import base

    return sum(b.data_count for b in base.rs_blocks(version, level))


@pytest.mark.parametrize("level", LEVELS)
def test_same_codewords_as_qrcode_for_every_version(level):
    rng = random.Random(level)
    for version in range(1, 41):
        room = _capacity_bytes(version, level) - 4  # mode, length and terminator bits
        for mode in (util.MODE_ALPHA_NUM, util.MODE_8BIT_BYTE):
            longest = room * 8 // 11 * 2 if mode == util.MODE_ALPHA_NUM else room
            for size in {1, max(1, longest // 3), longest}:
                if mode == util.MODE_ALPHA_NUM:
                    text = "".join(rng.choice(ALNUM) for _ in range(size))
                    data = util.QRData(text, mode=mode)
                else:
                    data = util.QRData(bytes(rng.randrange(256) for _ in range(size)), mode=mode)
                expected = util.create_data(version, level, [data])
                assert create_data(version, level, [data]) == expected, (version, level, mode, size)


def test_too_much_data_is_refused_as_qrcode_refuses_it():
    data = util.QRData("A" * 30, mode=util.MODE_ALPHA_NUM)
    with pytest.raises(exceptions.DataOverflowError) as ours:
        create_data(1, constants.ERROR_CORRECT_H, [data])
    with pytest.raises(exceptions.DataOverflowError) as theirs:
        util.create_data(1, constants.ERROR_CORRECT_H, [data])
    assert str(ours.value) == str(theirs.value)
