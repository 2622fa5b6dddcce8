"""The verifier's sources (verify/sources.py): the --trust value, the registry file checked against its
anchor, subscribed registries at the caller's time, the status folders (written for `make mutation`)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign
from verify_samples import NOW


def test_the_trust_option_is_the_word_example_or_a_file(tmp_path):
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.verify.sources import example_registry_path, resolve_trust_path

    assert resolve_trust_path(None) is None
    example = resolve_trust_path("example")
    assert example == example_registry_path() and example.is_file()
    assert example.parts[-2:] == ("keys-example", "trust-registry.json")
    registry = tmp_path / "registry.json"
    registry.write_text("{}")
    assert resolve_trust_path(str(registry)) == registry and resolve_trust_path(registry) == registry
    with pytest.raises(InputError, match=r"^--trust .*missing\.json: no such file"):
        resolve_trust_path(tmp_path / "missing.json")
    with pytest.raises(InputError):
        resolve_trust_path(tmp_path)  # a folder is no registry file


def test_the_verifier_setup_without_registry_reads_its_home(tmp_path):
    from datetime import timedelta

    from ecvet_credentials.verify.sources import verifier_setup

    home = tmp_path / "home"
    setup = verifier_setup(home, offline=True)
    assert setup.trust is None
    assert setup.options() == {"trust": None, "resolver": setup.resolver, "status_source": setup.status_source}
    source = setup.status_source
    assert source.fetcher is setup.fetcher and setup.resolver.documents == {}
    assert setup.fetcher.offline and source.offline and source.refresh_after == timedelta(0)
    assert setup.fetcher.cache.directory == home / "cache" / "http"
    assert source._own is None and source._presented is None
    (home / "status").mkdir(parents=True)
    online = verifier_setup(home)
    assert online.status_source._own.directory == home / "status" and not online.fetcher.offline


def test_status_lists_presented_beside_the_input_or_named(tmp_path):
    from ecvet_credentials.verify.sources import verifier_setup

    received = tmp_path / "received"
    (received / "status").mkdir(parents=True)
    beside = verifier_setup(tmp_path / "home", input_path=str(received / "cred.json"), offline=True)
    assert beside.status_source._presented.directory == (received / "status").resolve()
    assert verifier_setup(tmp_path / "home", input_path="-", offline=True).status_source._presented is None
    assert verifier_setup(tmp_path / "home", input_path=str(tmp_path / "cred.json"), offline=True).status_source._presented is None
    named = tmp_path / "lists"
    named.mkdir()
    chosen = verifier_setup(tmp_path / "home", status_dir=named, input_path=str(received / "cred.json"), offline=True)
    assert chosen.status_source._presented.directory == named


def test_a_registry_file_is_checked_against_the_anchor_with_the_given_did_documents(tmp_path):
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.trust.signing import sign_trust_registry
    from ecvet_credentials.verify.sources import example_registry_path, verifier_setup

    anchor = KeyPair.generate("Ed25519")
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps(sign_trust_registry(json.loads(example_registry_path().read_text()), anchor)))
    web = {"id": "did:web:school.example", "verificationMethod": []}
    setup = verifier_setup(tmp_path / "home", trust_path=registry, trust_anchor=anchor.did, did_documents=[web], offline=True)
    assert setup.trust.signed_by == anchor.did and not setup.trust.untrusted
    assert setup.resolver.documents["did:web:school.example"] == web
    stranger = verifier_setup(tmp_path / "home", trust_path=registry, trust_anchor=KeyPair.generate("Ed25519").did, offline=True)
    assert stranger.trust.untrusted and stranger.trust.signed_by is None
    example = verifier_setup(tmp_path / "home", trust_path="example", offline=True)
    assert example.trust.name.startswith("Example ECVET partnership registry") and example.trust.anchor is None
    with pytest.raises(InputError, match="--trust-anchor needs a --trust registry file"):
        verifier_setup(tmp_path / "home", trust_anchor=anchor.did, offline=True)


def test_a_registry_anchored_in_a_did_web_uses_the_did_documents_given(tmp_path):
    from ecvet_credentials.crypto.dids import did_web_document
    from ecvet_credentials.trust.signing import REGISTRY_SUITES
    from ecvet_credentials.verify.sources import example_registry_path, verifier_setup

    key = KeyPair.generate("Ed25519")
    document = did_web_document("did:web:authority.example", [{"key": key, "id": "k1"}])
    data = sign(json.loads(example_registry_path().read_text()), key, cryptosuite=REGISTRY_SUITES["Ed25519"],
                verification_method="did:web:authority.example#k1")
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps(data))
    setup = verifier_setup(tmp_path / "home", trust_path=registry, trust_anchor="did:web:authority.example",
                           did_documents=[document], offline=True)
    assert setup.trust.signed_by == "did:web:authority.example" and not setup.trust.untrusted


def test_without_a_registry_file_the_subscribed_registries_are_used_at_the_callers_time(tmp_path):
    import hashlib
    from datetime import timedelta

    from ecvet_credentials.trust.signing import sign_trust_registry
    from ecvet_credentials.verify.sources import example_registry_path, verifier_setup

    anchor = KeyPair.generate("Ed25519")
    url = "https://registry.example/trust.json"
    data = sign_trust_registry(json.loads(example_registry_path().read_text()), anchor)
    home = tmp_path / "home"
    (home / "trust" / "accepted").mkdir(parents=True)
    (home / "trust" / "subscriptions.json").write_text(json.dumps({"subscriptions": [{"url": url, "anchor": anchor.did}]}))
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
    (home / "trust" / "accepted" / f"{digest}.json").write_text(json.dumps(
        {"url": url, "anchor": anchor.did, "fetchedAt": "2026-06-01T09:00:00Z", "registry": data}))
    setup = verifier_setup(home, offline=True, now=NOW)
    assert setup.trust.signed_by == anchor.did and setup.trust.age_note == "subscribed copy of registry.example, 3 hours old"
    later = verifier_setup(home, offline=True, now=NOW + timedelta(days=3))
    assert later.trust.age_note.endswith("3 days old, not refreshed: offline")
    # a second subscription, whose registry stopped counting before NOW: left out of the merge
    expired = dict(json.loads(example_registry_path().read_text()), name="Old registry", validUntil="2026-05-01T00:00:00Z")
    old_url = "https://old.example/trust.json"
    (home / "trust" / "subscriptions.json").write_text(json.dumps({"subscriptions": [
        {"url": url, "anchor": anchor.did}, {"url": old_url, "anchor": anchor.did}]}))
    digest = hashlib.sha256(old_url.encode("utf-8")).hexdigest()[:40]
    (home / "trust" / "accepted" / f"{digest}.json").write_text(json.dumps(
        {"url": old_url, "anchor": anchor.did, "fetchedAt": "2026-04-01T09:00:00Z",
         "registry": sign_trust_registry(expired, anchor)}))
    assert verifier_setup(home, offline=True, now=NOW).trust.name == data["name"]
    assert verifier_setup(home, offline=True, now=datetime(2026, 4, 2, tzinfo=timezone.utc)).trust.name == f"{data['name']} + Old registry"


def test_standard_input_has_no_status_folder_beside_it(tmp_path, monkeypatch):
    from ecvet_credentials.verify.sources import verifier_setup

    (tmp_path / "status").mkdir()
    monkeypatch.chdir(tmp_path)
    assert verifier_setup(tmp_path / "home", input_path="-", offline=True).status_source._presented is None
    assert verifier_setup(tmp_path / "home", input_path="x.json", offline=True).status_source._presented is not None
