"""Guards that decide verdicts and that no other test executed: a pinned context that changed on disk,
a check that cannot complete, and the issuer-role rule of the trust check."""
from __future__ import annotations

import json
import shutil

import pytest

from ecvet_credentials.core.errors import EcvetError, UnknownContextError
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.core.paths import data_dir
from ecvet_credentials.verify import pipeline
from ecvet_credentials.verify.report import Outcome

V2 = "https://www.w3.org/ns/credentials/v2"


def test_a_context_changed_on_disk_is_refused_by_its_pin(tmp_path):
    root = tmp_path / "contexts"
    shutil.copytree(data_dir("contexts"), root)
    index = json.loads((root / "index.json").read_text())
    entry = index["contexts"][V2]
    path = root / entry["file"]
    doc = json.loads(path.read_text())
    doc["@context"]["injected"] = "https://attacker.example/term"   # one more term, same URL
    path.write_text(json.dumps(doc))
    registry = ContextRegistry(root)
    with pytest.raises(UnknownContextError) as err:
        registry.get(V2)
    assert err.value.code == "CONTEXT_PIN_MISMATCH" and err.value.details == {"url": V2}
    # the untouched registry still serves it
    assert ContextRegistry().get(V2).sha256 == entry["sha256"]


def test_an_unknown_context_is_refused_and_named():
    with pytest.raises(UnknownContextError) as err:
        ContextRegistry().get("https://attacker.example/ctx")
    assert err.value.details == {"url": "https://attacker.example/ctx"}


def test_a_check_that_cannot_complete_is_failed_not_passed(monkeypatch):
    def broken(ctx, report):
        raise EcvetError("the schema store is unreadable", code="SCHEMA_UNAVAILABLE")

    monkeypatch.setitem(pipeline.CHECKS, "schema", broken)
    doc = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": "did:example:x",
           "credentialSubject": {"id": "did:example:y"}}
    report = pipeline.verify_credential(doc)
    schema = report.get("schema")
    assert schema.outcome is Outcome.FAILED and schema.code == "SCHEMA_UNAVAILABLE"
    assert "unreadable" in schema.message
    assert report.verified is False
    # the checks after it still ran (one broken check does not hide the others)
    assert report.get("proof") is not None


def test_a_programmer_error_in_a_check_raises(monkeypatch):
    def buggy(ctx, report):
        raise KeyError("bug")

    monkeypatch.setitem(pipeline.CHECKS, "schema", buggy)
    with pytest.raises(KeyError):
        pipeline.verify_credential({"@context": [V2], "type": ["VerifiableCredential"]})
