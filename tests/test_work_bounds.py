"""Work without a bound (issue 12, class 5), the fast part: proofs per document, canonicalization
time per document, work stopped when its request gave up, image pixels. The server-side floods are
in test_serve_flood.py (slow)."""
from __future__ import annotations

import copy
import io
import json
import threading
from dataclasses import replace

import pytest

from ecvet_credentials.cli.main import cli
from ecvet_credentials.core.errors import LimitExceededError
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, Limits, cancel_on, check_cancelled
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign, verify_proofs
from ecvet_credentials.verify import verify_credential


@pytest.fixture(scope="module")
def pt(demo_dir):
    return json.loads((demo_dir / "transcript.json").read_text())


def junk_chain(pt: dict, n: int, *, chained: bool = True) -> dict:
    """`n` proofs by a resolvable did:key, each chained to the one before, with junk signatures:
    every link makes the verifier canonicalize the document plus the chain so far."""
    key = KeyPair.generate("Ed25519")
    doc = {k: copy.deepcopy(v) for k, v in pt.items() if k != "proof"}
    template = sign(doc, key, created="2026-11-20T15:00:00Z")["proof"]
    proofs = []
    for i in range(n):
        proof = dict(template, id=f"urn:uuid:00000000-0000-4000-8000-{i:012d}")
        if chained and i:
            proof["previousProof"] = proofs[-1]["id"]
        proofs.append(proof)
    doc["proof"] = proofs
    return doc


@pytest.mark.parametrize("n, chained", [(400, True), (17, True), (400, False), (10_000, False)])
def test_too_many_proofs_are_refused_unchecked(pt, n, chained):
    result = verify_proofs(junk_chain(pt, n, chained=chained))
    assert not result.verified and [r.code for r in result.results] == ["TOO_MANY_PROOFS"]
    report = verify_credential(junk_chain(pt, n, chained=chained), checks=["proof"])
    first = report.checks[0]  # refused at the input bounds, before the schema and proofs do any work
    assert first.id == "input" and first.outcome.value == "failed" and first.code == "TOO_MANY_PROOFS"
    assert not report.verified and [c.id for c in report.checks] == ["input"]


def test_up_to_the_limit_every_proof_is_checked(pt):
    result = verify_proofs(junk_chain(pt, DEFAULT_LIMITS.max_proofs))
    assert len(result.results) == DEFAULT_LIMITS.max_proofs
    assert {r.code for r in result.results} <= {"INVALID_SIGNATURE", "PREVIOUS_PROOF_MISSING"}


def test_cli_chained_junk_is_exit_1_with_a_named_check(runner, pt, tmp_path):
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(junk_chain(pt, 400)))
    result = runner.invoke(cli, ["verify", str(path), "--json", "--checks", "proof"])
    assert result.exit_code == 1
    checks = json.loads(result.output)["checks"]
    assert [(c["id"], c["code"]) for c in checks] == [("input", "TOO_MANY_PROOFS")]


def test_the_document_budget_covers_all_proofs_together(pt):
    """With a budget already spent, the remaining proofs are not checked (LIMIT_EXCEEDED), not run."""
    tiny = replace(DEFAULT_LIMITS, max_document_seconds=1e-9)
    result = verify_proofs(junk_chain(pt, 8), limits=tiny)
    assert [r.code for r in result.results] == ["LIMIT_EXCEEDED"] * 8


@pytest.mark.parametrize("where", ["proofs", "verify"])
def test_cancelled_work_stops(pt, where):
    stop = threading.Event()
    stop.set()
    with cancel_on(stop):
        if where == "proofs":
            result = verify_proofs(junk_chain(pt, 8))
            assert {r.code for r in result.results} == {"WORK_CANCELLED"}
        else:
            report = verify_credential(pt, checks=["proof"])
            assert not report.verified
            assert next(c for c in report.checks if c.id == "proof").code == "WORK_CANCELLED"
    check_cancelled()  # outside the block nothing is cancelled
    assert verify_proofs(pt).verified


def test_cancel_is_per_thread_context():
    stop = threading.Event()
    stop.set()
    seen = []
    with cancel_on(stop):
        thread = threading.Thread(target=lambda: seen.append(check_cancelled()))
        thread.start()
        thread.join(5)
        with pytest.raises(LimitExceededError) as info:
            check_cancelled()
    assert seen == [None] and info.value.code == "WORK_CANCELLED"


def test_limits_refuse_non_positive_bounds():
    for name in ("max_proofs", "max_document_seconds"):
        with pytest.raises(ValueError):
            Limits(**{name: 0})


# --- images: pixels, not bytes ----------------------------------------------------------------------
def _tiny_png(width: int, height: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (width, height), 1).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bomb():
    data = _tiny_png(7000, 7000)  # 49 MP in a few tens of KB
    assert len(data) < 200_000
    return data


def test_a_small_png_of_49_megapixels_is_refused_before_decoding(bomb):
    from ecvet_credentials.core.errors import QrPayloadError
    from ecvet_credentials.render.qr import read_texts

    with pytest.raises(QrPayloadError) as info:
        read_texts(bomb, name="bomb.png")
    assert info.value.code == "LIMIT_EXCEEDED" and "megapixels" in str(info.value)


def test_cli_big_image_is_exit_2(runner, bomb, tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb)
    result = runner.invoke(cli, ["verify", str(path)])
    assert result.exit_code == 2 and "megapixels" in result.output


def test_image_decodes_wait_their_turn(monkeypatch):
    """With every decoder slot taken, a decode waits, then gives up with QR_BUSY (no unbounded queue)."""
    from ecvet_credentials.core.errors import QrPayloadError
    from ecvet_credentials.render.qr import images

    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 0.05)
    taken = 0
    try:
        while images._DECODES.acquire(blocking=False):
            taken += 1
        assert taken == images.MAX_CONCURRENT_DECODES
        with pytest.raises(QrPayloadError) as info:
            images.read_texts(_tiny_png(40, 40))
        assert info.value.code == "QR_BUSY"
    finally:
        for _ in range(taken):
            images._DECODES.release()
    assert images.read_texts(_tiny_png(40, 40)) == []
