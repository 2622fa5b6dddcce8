"""POST /ecvet/recognize takes what `ecvet recognize` takes: the MoU credential, the validation and the
unit-by-unit decisions, decided by the same library calls (a loopback server, tests/serve_helpers.py)."""
from __future__ import annotations

import copy
import json

import pytest

from serve_helpers import KEYS, assert_problem, running_server

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def cycle(demo_dir, tmp_path):
    """The demo's MoU, agreement and transcript, and a trust registry without partnerships: only the MoU
    credential in the request can show that host and home are partners, and that the authority is competent."""
    docs = {n: json.loads((demo_dir / f"{n}.json").read_text()) for n in ("mou", "learning-agreement", "transcript")}
    registry = json.loads((KEYS / "trust-registry.json").read_text())
    registry["partnerships"] = []
    (tmp_path / "trust.json").write_text(json.dumps(registry))
    return docs, tmp_path / "trust.json"


def test_a_competent_authority_recognises_with_the_mou_validation_and_decisions(cycle, demo_dir, tmp_path):
    from ecvet_credentials.model import recognition_from_credential

    docs, trust = cycle
    body = {"transcript": docs["transcript"], "agreement": docs["learning-agreement"], "responsible": "Elena Ferri",
            "role": "Regional ECVET officer",
            "validation": {"by": "Paolo Conti", "method": "portfolio review", "date": "2026-11-25"},
            "decisions": {"ENO-U1": {"consequences": ["exempt from the hot-kitchen module exam"],
                                     "countsFor": "IeFP-RIST module 3"},
                          "ENO-U3": {"recognised": False, "reason": "already acquired at home"}}}
    with running_server(tmp_path / "srv", key="authority", trust_registry=trust,
                        status_directory=demo_dir / "status") as srv, srv.client() as c:
        # without the MoU the authority is nobody's competent authority (and no partnership is established)
        no_mou = assert_problem(c.post("/ecvet/recognize", json=body, headers=srv.auth), 422)
        assert no_mou["code"] == "NOT_HOME_INSTITUTION"
        # an MoU that not every partner signed: verified like the CLI's --mou, and refused with the reason
        unsigned = copy.deepcopy(docs["mou"])
        unsigned["proof"] = unsigned["proof"][:1]
        refused = assert_problem(c.post("/ecvet/recognize", json=dict(body, mou=unsigned), headers=srv.auth), 422)
        assert [r["check"] for r in refused["reasons"]] == ["agreement-match"]
        assert "The MoU is not signed by every" in refused["detail"]
        r = c.post("/ecvet/recognize", json=dict(body, mou=docs["mou"]), headers=srv.auth)
        assert r.status_code == 201, r.text
        rec = recognition_from_credential(r.json()["verifiableCredential"])
    assert rec.home.id == KEYS_DID["authority"]
    units = {u.code: u for u in rec.units}
    assert units["ENO-U1"].recognised and units["ENO-U1"].consequences == ("exempt from the hot-kitchen module exam",)
    assert units["ENO-U1"].counts_for == "IeFP-RIST module 3"
    assert not units["ENO-U3"].recognised and units["ENO-U3"].reason == "already acquired at home"
    v = units["ENO-U1"].validation
    assert (v.person.name, v.method, str(v.date)) == ("Paolo Conti", "portfolio review", "2026-11-25")
    assert rec.responsible.name == "Elena Ferri"


@pytest.mark.parametrize("decisions, code", [
    ({"ENO-U3": {"recognised": False}}, "BAD_DECISION"),                          # refused without a reason
    ({"ENO-U3": {"recognised": True, "reason": "why?"}}, None),                    # a reason for a recognised unit
    ({"ENO-U1": {"countsFor": ""}}, "BAD_DECISION"),
    ({"ENO-U1": {"consequences": "not a list"}}, None),
    ({"ENO-U1": {"recognized": True}}, None),                                      # unknown key
    ({"NOPE": {"recognised": True}}, "UNKNOWN_UNIT"),                              # no such unit in the transcript
])
def test_bad_decisions_are_400_with_the_reason(cycle, demo_dir, tmp_path, decisions, code):
    docs, trust = cycle
    body = {"transcript": docs["transcript"], "agreement": docs["learning-agreement"], "mou": docs["mou"],
            "decisions": decisions}
    with running_server(tmp_path / "srv", key="home", trust_registry=trust,
                        status_directory=demo_dir / "status") as srv, srv.client() as c:
        problem = assert_problem(c.post("/ecvet/recognize", json=body, headers=srv.auth), 400)
    if code is not None:
        assert problem["code"] == code


def _did(name: str) -> str:
    from ecvet_credentials.crypto.keys import load_key_file
    from serve_helpers import PASSPHRASE

    return load_key_file(KEYS / f"{name}.key", passphrase=PASSPHRASE).did


KEYS_DID = {"authority": _did("authority")}
