"""qr/masks.py picks the mask qrcode itself picks: every penalty equals qrcode.util.lost_point on the
same layout, for symbols of many versions, so the PNGs stay identical."""
from __future__ import annotations

import random
import string

import pytest
import qrcode
from qrcode import util

from ecvet_credentials.render.qr.masks import _layout, best_mask, penalty

ALNUM = string.digits + string.ascii_uppercase + " $%*+-./:"


def symbol(text: str, version: int) -> qrcode.QRCode:
    qr = qrcode.QRCode(version=version, error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(util.QRData(text, mode=util.MODE_ALPHA_NUM))
    return qr


@pytest.mark.parametrize("version", [1, 2, 6, 7, 10, 17, 25])
def test_penalties_and_choice_equal_qrcodes(version):
    rng = random.Random(version)
    for trial in range(3):
        capacity = {1: 20, 2: 38, 6: 122, 7: 154, 10: 213, 17: 482, 25: 970}[version]
        text = "".join(rng.choice(ALNUM) for _ in range(rng.randint(capacity // 2, capacity)))
        qr = symbol(text, version)
        n, _, _ = _layout(version)
        for pattern in range(8):
            qr.makeImpl(True, pattern)
            rows = [sum(1 << c for c, dark in enumerate(row) if dark) for row in qr.modules]
            assert penalty(rows, n) == util.lost_point(qr.modules), (version, trial, pattern)
        expected = symbol(text, version).best_mask_pattern()
        assert best_mask(symbol(text, version)) == expected


def test_png_is_unchanged_by_the_fast_choice():
    from ecvet_credentials.render.qr.images import matrix

    text = "HC1:" + "".join(random.Random(7).choice(ALNUM) for _ in range(600))
    qr = qrcode.QRCode(version=None, error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(util.QRData(text, mode=util.MODE_ALPHA_NUM))
    qr.make(fit=True)  # qrcode alone: all eight layouts drawn and scored
    assert matrix(text) == qr.get_matrix()


@pytest.mark.parametrize("level", [qrcode.constants.ERROR_CORRECT_M, qrcode.constants.ERROR_CORRECT_L])
def test_the_symbol_is_qrcodes_for_every_version(level):
    """The data laid out without qrcode's map_data: the same symbol as qr.make(), format and version
    information included, for every version."""
    from ecvet_credentials.render.qr.masks import make_with_best_mask

    rng = random.Random(level)
    for version in range(1, 41):
        text = "".join(rng.choice(ALNUM) for _ in range((version * 4 + 17) ** 2 // 30))

        def fresh(version: int, text: str) -> qrcode.QRCode:
            qr = qrcode.QRCode(version=version, error_correction=level, border=4)
            qr.add_data(util.QRData(text, mode=util.MODE_ALPHA_NUM))
            return qr

        expected = fresh(version, text)
        expected.make(fit=False)
        ours = fresh(version, text)
        make_with_best_mask(ours)
        assert ours.get_matrix() == expected.get_matrix(), version
