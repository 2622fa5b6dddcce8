"""Subscribed registries, rule by rule: what each refresh reports per subscription, the ttl bound, the age
note of a copy, unsubscribing, the bounded subscriptions file; and merging several registries."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.net import Fetcher
from ecvet_credentials.net.fetcher import describe_age
from ecvet_credentials.trust import subscriptions as subs
from ecvet_credentials.trust.editing import remove_institution
from ecvet_credentials.trust.registry import TrustRegistry, merge_registries, parse_trust_registry

from test_trust_setup import T0, signed_edition

URL_A = "https://agency-a.example/registry.json"
URL_B = "https://agency-b.example/registry.json"


def _age(**kw) -> str:
    return describe_age(timedelta(**kw))


@pytest.fixture(scope="module")
def anchor():
    return KeyPair.generate("Ed25519")


class Agencies:
    """Two agencies' web servers as one mock transport, by host; a host with no body fails the request."""

    def __init__(self):
        self.bodies: dict[str, bytes | None] = {}
        self.requests: list[str] = []

    def fetcher(self):
        def handler(request):
            self.requests.append(request.url.host)
            body = self.bodies.get(request.url.host)
            if body is None:
                return httpx.Response(503)
            return httpx.Response(200, content=body)
        return Fetcher(transport=httpx.MockTransport(handler))

    def serve(self, url, doc):
        self.bodies[httpx.URL(url).host] = json.dumps(doc).encode()


def _two_subscriptions(tmp_path, anchor, ttl="1d"):
    agencies = Agencies()
    agencies.serve(URL_A, signed_edition(anchor, 1, ttl=ttl))
    agencies.serve(URL_B, signed_edition(anchor, 1, names=("B",), ttl=ttl))
    for url in (URL_A, URL_B):
        subs.subscribe(tmp_path, url, anchor.did, fetcher=agencies.fetcher(), now=T0)
    return agencies


def test_each_refresh_result_names_its_subscription_and_copy(tmp_path, anchor):
    agencies = _two_subscriptions(tmp_path, anchor)
    # A is refused (an older edition), B cannot be fetched: both keep their accepted copies, each says so
    agencies.serve(URL_A, signed_edition(anchor, 0))
    agencies.bodies["agency-b.example"] = None
    results = subs.refresh(tmp_path, fetcher=agencies.fetcher(), now=T0 + timedelta(hours=1), force=True)
    assert [(r.url, r.outcome) for r in results] == [(URL_A, "refused"), (URL_B, "failed")]
    assert [r.accepted.version for r in results] == [1, 1]
    assert [r.accepted.url for r in results] == [URL_A, URL_B]
    assert all(r.message.startswith("kept the accepted copy: ") for r in results)
    # the other way round: the first fails, the second is refused, then both update
    agencies.bodies["agency-a.example"] = None
    agencies.serve(URL_B, signed_edition(anchor, 0, names=("B",)))
    results = subs.refresh(tmp_path, fetcher=agencies.fetcher(), now=T0 + timedelta(hours=2), force=True)
    assert [(r.url, r.outcome) for r in results] == [(URL_A, "failed"), (URL_B, "refused")]
    agencies.serve(URL_A, signed_edition(anchor, 2))
    agencies.serve(URL_B, signed_edition(anchor, 3, names=("B",)))
    results = subs.refresh(tmp_path, fetcher=agencies.fetcher(), now=T0 + timedelta(hours=3), force=True)
    assert [(r.url, r.outcome, r.message, r.accepted.version) for r in results] == [
        (URL_A, "updated", "edition 2", 2), (URL_B, "updated", "edition 3", 3)]
    results = subs.refresh(tmp_path, fetcher=agencies.fetcher(), now=T0 + timedelta(hours=4), force=True)
    assert [(r.url, r.outcome, r.accepted.version) for r in results] == [(URL_A, "unchanged", 2), (URL_B, "unchanged", 3)]


def test_a_copy_exactly_ttl_old_is_still_fresh(tmp_path, anchor):
    agencies = _two_subscriptions(tmp_path, anchor, ttl="12h")
    results = subs.refresh(tmp_path, fetcher=agencies.fetcher(), now=T0 + timedelta(hours=12))
    assert [(r.url, r.outcome) for r in results] == [(URL_A, "fresh"), (URL_B, "fresh")]
    assert [r.accepted.version for r in results] == [1, 1] and agencies.requests == ["agency-a.example",
                                                                                     "agency-b.example"]
    assert results[0].message == f"copy is {_age(hours=12)} old"
    later = subs.refresh(tmp_path, fetcher=agencies.fetcher(), now=T0 + timedelta(hours=12, seconds=1))
    assert [r.outcome for r in later] == ["unchanged", "unchanged"] and len(agencies.requests) == 4


def test_load_subscribed_refreshes_when_online_and_says_how_old_the_copy_is(tmp_path, anchor):
    agencies = _two_subscriptions(tmp_path, anchor, ttl="12h")
    agencies.serve(URL_A, signed_edition(anchor, 2, names=("A", "C"), ttl="12h"))
    agencies.bodies["agency-b.example"] = None
    later = T0 + timedelta(hours=13)
    # online (the default): past the ttl, A is refreshed to edition 2; B's refresh fails
    regs = subs.load_subscribed(tmp_path, fetcher=agencies.fetcher(), now=later)
    assert [len(r.institutions) for r in regs] == [2, 1] and agencies.requests[-2:] == ["agency-a.example",
                                                                                        "agency-b.example"]
    assert [(r.source, r.anchor, r.signed_by) for r in regs] == [(URL_A, anchor.did, anchor.did),
                                                                 (URL_B, anchor.did, anchor.did)]
    assert regs[0].age_note == f"subscribed copy of agency-a.example, {_age()} old"
    assert regs[1].age_note == f"subscribed copy of agency-b.example, {_age(hours=13)} old, refresh failed"
    # offline: nothing is requested, a copy past its ttl says it was not refreshed
    asked = len(agencies.requests)
    regs = subs.load_subscribed(tmp_path, offline=True, fetcher=agencies.fetcher(), now=later + timedelta(hours=1))
    assert len(agencies.requests) == asked
    assert regs[0].age_note == f"subscribed copy of agency-a.example, {_age(hours=1)} old"
    assert regs[1].age_note == f"subscribed copy of agency-b.example, {_age(hours=14)} old, not refreshed: offline"


def test_a_copy_exactly_ttl_old_is_not_stale_in_the_age_note(tmp_path, anchor):
    _two_subscriptions(tmp_path, anchor, ttl="12h")
    regs = subs.load_subscribed(tmp_path, offline=True, now=T0 + timedelta(hours=12))
    assert regs[0].age_note == f"subscribed copy of agency-a.example, {_age(hours=12)} old"


def test_a_subscription_without_an_accepted_copy_is_skipped_not_the_rest(tmp_path, anchor):
    _two_subscriptions(tmp_path, anchor)
    subs._accepted_path(tmp_path, URL_A).unlink()
    regs = subs.load_subscribed(tmp_path, offline=True, now=T0)
    assert [r.source for r in regs] == [URL_B]


def test_nothing_subscribed_is_no_registry(tmp_path):
    assert subs.load_subscribed(tmp_path, offline=True, now=T0) == []
    assert subs.refresh(tmp_path, now=T0) == []


def test_accepted_copies_are_stored_under_the_digest_of_their_url(tmp_path, anchor):
    """The on-disk name is part of the format: a copy saved by one version is found by the next."""
    _two_subscriptions(tmp_path, anchor)
    names = sorted(p.name for p in (tmp_path / "trust" / "accepted").iterdir())
    assert names == sorted(hashlib.sha256(u.encode()).hexdigest()[:40] + ".json" for u in (URL_A, URL_B))


def test_unsubscribe_forgets_the_subscription_and_its_copy(tmp_path, anchor):
    _two_subscriptions(tmp_path, anchor)
    assert subs.unsubscribe(tmp_path, URL_A) is True
    assert [s.url for s in subs.subscriptions(tmp_path)] == [URL_B]
    assert subs.accepted(tmp_path, URL_A) is None and subs.accepted(tmp_path, URL_B) is not None
    assert subs.unsubscribe(tmp_path, URL_A) is False
    assert [s.url for s in subs.subscriptions(tmp_path)] == [URL_B]
    subs._accepted_path(tmp_path, URL_B).unlink()  # a copy already gone is no error
    assert subs.unsubscribe(tmp_path, URL_B) is True and subs.subscriptions(tmp_path) == []


def test_the_subscriptions_file_is_bounded_and_named_in_errors(tmp_path):
    path = tmp_path / "trust" / "subscriptions.json"
    path.parent.mkdir(parents=True)
    entry = {"url": URL_A, "anchor": "did:key:z6MkA"}
    text = json.dumps({"subscriptions": [entry]})
    path.write_text(text + " " * (1024 * 1024 - len(text)))  # exactly 1 MiB: read
    assert [s.url for s in subs.subscriptions(tmp_path)] == [URL_A]
    path.write_text(text + " " * (1024 * 1024 + 1 - len(text)))  # one byte more: refused
    with pytest.raises(InputError) as info:
        subs.subscriptions(tmp_path)
    assert str(path) in str(info.value)
    for junk in ("[1, 2", "[1, 2]", '{"subscriptions": {}}'):
        path.write_text(junk)
        with pytest.raises(InputError) as info:
            subs.subscriptions(tmp_path)
        assert str(path) in str(info.value)


def test_removing_from_a_registry_without_institutions_is_an_input_error():
    with pytest.raises(InputError):
        remove_institution({"version": 1}, "did:key:z6MkA")


# --- merging several registries -----------------------------------------------------------------------------
A, B, C = "did:web:a.example", "did:web:b.example", "did:web:c.example"
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def _reg(name, dids, *, signed_by=None, untrusted=None, valid_until=None, age_note=None, partners=()):
    data = {"name": name, "institutions": [{"did": d, "name": f"{d} in {name}", "roles": ["host"]} for d in dids],
            "partnerships": [{"id": f"{name}-mou", "members": list(partners)}] if partners else []}
    if valid_until:
        data["validUntil"] = valid_until
    reg = parse_trust_registry(data, source=f"{name}.json")
    reg.signed_by, reg.untrusted, reg.age_note = signed_by, untrusted, age_note
    return reg


def test_merge_of_none_or_one_registry():
    assert merge_registries([]) is None
    only = _reg("one", [A], untrusted="bad proof")
    assert merge_registries([only]) is only  # kept as is: its refusal still shows


def test_merge_keeps_the_first_institution_and_every_partnership():
    first = _reg("first", [A, B], signed_by="did:key:anchor1", age_note="3 h old", partners=(A, B))
    second = _reg("second", [B, C], signed_by="did:key:anchor2", partners=(B, C))
    merged = merge_registries([first, second], now=NOW)
    assert isinstance(merged, TrustRegistry)
    assert (merged.name, merged.source) == ("first + second", "first.json, second.json")
    assert sorted(merged.institutions) == [A, B, C]
    assert merged.institution(B).name == f"{B} in first"
    assert [p.id for p in merged.partnerships] == ["first-mou", "second-mou"]
    assert merged.signed_by == "did:key:anchor1, did:key:anchor2"
    assert merged.age_note == "3 h old"
    unsigned = merge_registries([_reg("x", [A]), _reg("y", [B])], now=NOW)
    assert unsigned.signed_by is None and unsigned.age_note is None


def test_merge_leaves_out_untrusted_and_expired_registries():
    good = _reg("good", [A], signed_by="did:key:anchor")
    bad = _reg("bad", [B], untrusted="the proof does not verify")
    expired = _reg("old", [C], valid_until="2026-05-31T23:59:59Z")
    merged = merge_registries([bad, good, expired], now=NOW)
    assert sorted(merged.institutions) == [A] and merged.name == "good"
    # expiry counts only when a time is given, and a registry valid until exactly now still counts
    assert sorted(merge_registries([good, expired]).institutions) == [A, C]
    at_bound = _reg("bound", [C], valid_until="2026-06-01T00:00:00Z")
    assert sorted(merge_registries([good, at_bound], now=NOW).institutions) == [A, C]
    # nothing usable: the first registry, with its refusal, rather than an empty trust list
    assert merge_registries([bad, _reg("bad2", [C], untrusted="no")], now=NOW) is bad
