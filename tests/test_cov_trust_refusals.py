"""Trust paths the other trust tests leave out: a key's multibase of the wrong type, signing something that
is no registry, a signed registry with an @context, a damaged subscriptions file or accepted copy, a
candidate that is no registry or has no edition, an accepted copy whose registry no longer parses (the
default ttl), and an agency answering something that is not JSON (a real server on 127.0.0.1)."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.core.timeutil import iso
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.net import Fetcher
from ecvet_credentials.trust import subscriptions as subs
from ecvet_credentials.trust.editing import add_institution, institution_entry, new_registry
from ecvet_credentials.trust.registry import parse_trust_registry
from ecvet_credentials.trust.signing import check_anchor_proof, sign_trust_registry

from test_trust_setup import T0, signed_edition
from http_helpers import loopback_http

URL = "https://agency.example/registry.json"


@pytest.fixture(scope="module")
def anchor():
    return KeyPair.generate("Ed25519")


def _registry() -> dict:
    data, _ = add_institution(new_registry("R"), institution_entry("did:key:z6MkA0", name="A", country="DE",
                                                                   roles=["host"], status_prefixes=[]))
    return data


def _accepted_file(home, url):
    return subs._accepted_path(home, url)


# --- the registry file and its signature ----------------------------------------------------------
def test_a_keys_multibase_that_is_not_a_string_is_refused_with_its_path():
    data = _registry()
    data["institutions"][0]["keys"] = [{"id": "did:key:z6MkA0#k", "publicKeyMultibase": 42}]
    with pytest.raises(InputError) as err:
        parse_trust_registry(data)
    assert err.value.code == "TRUST_REGISTRY_INVALID"
    assert "institutions[0].keys[0].publicKeyMultibase: must be a string" in str(err.value)
    data["institutions"][0]["keys"][0]["publicKeyMultibase"] = "z6MkA0"  # a string is read
    [key] = parse_trust_registry(data).institution("did:key:z6MkA0").keys
    assert (key.id, key.public_key_multibase) == ("did:key:z6MkA0#k", "z6MkA0")


def test_only_a_json_object_is_signed_as_a_registry(anchor):
    for not_an_object in ([_registry()], "registry", None):
        with pytest.raises(InputError) as err:
            sign_trust_registry(not_an_object, anchor)
        assert err.value.code == "TRUST_REGISTRY_INVALID" and "JSON object" in str(err.value)


def test_a_signed_registry_with_an_at_context_is_refused_before_its_proof_is_read(anchor):
    signed = signed_edition(anchor, 1)
    assert check_anchor_proof(signed, anchor.did) is None
    with_context = {**signed, "@context": ["https://www.w3.org/ns/credentials/v2"]}
    assert check_anchor_proof(with_context, anchor.did) == (
        "the registry carries an @context; a signed registry is plain JSON (JCS)")


# --- the subscriptions' own files -----------------------------------------------------------------
@pytest.mark.parametrize("content", ['["https://agency.example/registry.json"]', '{"subscriptions": "all"}'])
def test_a_subscriptions_file_of_another_shape_is_refused(tmp_path, content):
    path = subs._subs_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(content)
    with pytest.raises(InputError, match="is not a subscriptions file; remove it and subscribe again"):
        subs.subscriptions(tmp_path)


def test_a_damaged_accepted_copy_counts_as_none(tmp_path, anchor):
    registry = signed_edition(anchor, 1)
    good = {"url": URL, "anchor": anchor.did, "fetchedAt": iso(T0), "version": 1, "registry": registry}
    path = _accepted_file(tmp_path, URL)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(good))
    assert subs.accepted(tmp_path, URL).version == 1  # the intact copy is read: the damage below is what counts
    for damaged in ([good], {**good, "fetchedAt": "yesterday"}, {**good, "url": "https://other.example/r.json"},
                    {**good, "registry": [registry]}):
        path.write_text(json.dumps(damaged))
        assert subs.accepted(tmp_path, URL) is None, damaged


def test_an_accepted_copy_whose_registry_no_longer_parses_keeps_the_default_ttl(tmp_path, anchor):
    """Its own ttl cannot be read, so the default (one day) decides whether it is fetched again."""
    path = _accepted_file(tmp_path, URL)
    path.parent.mkdir(parents=True)
    broken = {"name": "R", "ttl": "1h", "version": 1}  # an object, but no 'institutions': not a registry
    path.write_text(json.dumps({"url": URL, "anchor": anchor.did, "fetchedAt": iso(T0), "version": 1,
                                "registry": broken}))
    subs._save_subscriptions(tmp_path, [subs.Subscription(URL, anchor.did, iso(T0))])
    asked: list[str] = []

    class Offline(Fetcher):
        def get(self, url, **kw):  # any request is a failure here, and recorded
            asked.append(url)
            raise AssertionError("not to be fetched")

    # two hours old: past the broken copy's own "1h", within the default day, so still fresh
    [result] = subs.refresh(tmp_path, fetcher=Offline(), now=T0 + timedelta(hours=2))
    assert (result.outcome, asked) == ("fresh", [])
    assert subs._ttl(subs.accepted(tmp_path, URL)) == subs.DEFAULT_TTL


# --- candidates ------------------------------------------------------------------------------------
def test_a_candidate_that_is_no_registry_or_has_no_edition_is_refused(anchor):
    why = subs.check_candidate({"name": "R"}, anchor.did, None, T0, source=URL)
    assert why.startswith("not a trust registry: ") and "'institutions' list" in why
    unnumbered = {k: v for k, v in _registry().items() if k != "version"}
    signed = sign_trust_registry(unnumbered, anchor, created="2026-11-30T00:00:00Z")
    assert subs.check_candidate(signed, anchor.did, None, T0, source=URL) == (
        "the registry has no 'version' (its edition number), so a rollback could not be detected")
    assert subs.check_candidate(signed_edition(anchor, 1), anchor.did, None, T0, source=URL) is None


@pytest.fixture
def agency():
    """An agency's web server on 127.0.0.1 that answers GET /registry.json with `body` (bytes)."""
    state = {"body": b"", "hits": 0}

    def respond(path, headers):
        state["hits"] += 1
        return 200, {"Content-Type": "application/json"}, state["body"]

    with loopback_http(respond) as base:
        state["url"] = f"{base}/registry.json"
        yield state

def test_an_agency_answering_no_json_is_refused_and_nothing_is_followed(tmp_path, anchor, agency):
    fetcher = Fetcher(allow_http_loopback=True)
    agency["body"] = b"<html>maintenance</html>"
    with pytest.raises(subs.SubscriptionError) as err:
        subs.subscribe(tmp_path, agency["url"], anchor.did, fetcher=fetcher, now=T0)
    assert str(err.value).startswith(agency["url"] + ": ") and "not valid JSON" in str(err.value)
    assert agency["hits"] == 1 and subs.subscriptions(tmp_path) == [] and subs.accepted(tmp_path, agency["url"]) is None
    agency["body"] = json.dumps(signed_edition(anchor, 1)).encode()  # the same server, now with a registry
    assert subs.subscribe(tmp_path, agency["url"], anchor.did, fetcher=fetcher, now=T0).version == 1
    assert [s.url for s in subs.subscriptions(tmp_path)] == [agency["url"]]
