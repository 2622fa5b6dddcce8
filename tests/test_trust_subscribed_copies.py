"""Subscriptions, the files they keep and the bounds they hold: what a subscription and its accepted copy
record, which stored copies are ignored, the size bounds of a download and of a stored copy, and the
boundary of a registry's validUntil."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.core.timeutil import iso
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.net import Fetcher, FetchError
from ecvet_credentials.trust import subscriptions as subs

from test_trust_setup import T0, signed_edition

URL = "https://agency.example/registry.json"
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def anchor():
    return KeyPair.generate("Ed25519")


class Agency:
    """The agency's server as a mock transport: serves `body`, remembers each request's headers."""

    def __init__(self, body: bytes = b""):
        self.body = body
        self.headers: list[httpx.Headers] = []

    def transport(self):
        def handler(request):
            self.headers.append(request.headers)
            return httpx.Response(200, content=self.body)
        return httpx.MockTransport(handler)

    def fetcher(self, **kw):
        return Fetcher(transport=self.transport(), **kw)


def _padded(doc: dict, size: int) -> bytes:
    """`doc` as JSON padded with spaces to exactly `size` bytes (the proof covers the data, not the spacing)."""
    body = json.dumps(doc).encode()
    return body + b" " * (size - len(body))


def test_a_subscription_records_its_anchor_time_and_copy(tmp_path, anchor):
    doc = signed_edition(anchor, 2, names=("Köln",))
    agency = Agency(json.dumps(doc).encode())
    acc = subs.subscribe(tmp_path, URL, anchor.did, fetcher=agency.fetcher(), now=T0)
    assert (acc.url, acc.anchor, acc.fetched_at, acc.version, acc.data) == (URL, anchor.did, T0, 2, doc)
    assert subs.accepted(tmp_path, URL) == acc  # read back from disk: the same
    assert subs.subscriptions(tmp_path) == [subs.Subscription(URL, anchor.did, iso(T0))]
    assert agency.headers[0]["accept"] == "application/json"
    # both files are for people too: indented, names as written
    text = (tmp_path / "trust" / "subscriptions.json").read_text()
    assert f'\n  "subscriptions": [\n    {{\n      "url": "{URL}",' in text
    assert "Köln" in subs._accepted_path(tmp_path, URL).read_text(encoding="utf-8")
    # subscribing again to the same URL replaces the subscription, it does not add a second one
    subs.subscribe(tmp_path, URL, anchor.did, fetcher=agency.fetcher(), now=T0 + timedelta(hours=1))
    assert subs.subscriptions(tmp_path) == [subs.Subscription(URL, anchor.did, iso(T0 + timedelta(hours=1)))]


def test_the_fetch_is_recorded_at_the_callers_time(tmp_path, anchor):
    """A verifier checking "as of" a time passes it on: the fetcher's cache records that time, not its clock."""
    agency = Agency(json.dumps(signed_edition(anchor, 1)).encode())
    later = datetime(2031, 1, 1, tzinfo=timezone.utc)
    fetcher = agency.fetcher(cache_dir=tmp_path / "cache", clock=lambda: later)
    subs.subscribe(tmp_path, URL, anchor.did, fetcher=fetcher, now=T0)
    assert fetcher.cached(URL).fetched_at == T0


def test_subscriptions_file_entries_that_are_not_subscriptions_are_skipped(tmp_path):
    path = tmp_path / "trust" / "subscriptions.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"subscriptions": [
        {"url": URL, "anchor": "did:key:z6MkA"}, "junk", {"url": URL}, {"url": 5, "anchor": "did:key:z6MkB"}]}))
    assert subs.subscriptions(tmp_path) == [subs.Subscription(URL, "did:key:z6MkA", "")]


def _stored(tmp_path, key, changes=None):
    subs.subscribe(tmp_path, URL, key.did, fetcher=Agency(json.dumps(signed_edition(key, 1)).encode()).fetcher(), now=T0)
    path = subs._accepted_path(tmp_path, URL)
    entry = json.loads(path.read_text())
    for key, value in (changes or {}).items():
        if value is None:
            del entry[key]
        else:
            entry[key] = value
    path.write_text(json.dumps(entry))
    return subs.accepted(tmp_path, URL)


@pytest.mark.parametrize("changes", [{"url": "https://other.example/registry.json"}, {"fetchedAt": None},
                                     {"fetchedAt": "yesterday"}, {"registry": ["not", "a", "registry"]}])
def test_a_stored_copy_for_another_url_without_a_time_or_without_a_registry_is_ignored(tmp_path, anchor, changes):
    assert _stored(tmp_path, anchor, changes) is None


def test_a_stored_copy_that_is_not_an_object_is_ignored_and_one_without_anchor_reads(tmp_path, anchor):
    assert _stored(tmp_path, anchor, {"anchor": None}).anchor == ""
    subs._accepted_path(tmp_path, URL).write_text("[1, 2]")
    assert subs.accepted(tmp_path, URL) is None


def test_a_stored_copy_is_read_up_to_twice_the_download_bound(tmp_path, anchor):
    """The copy is the registry (at most 4 MiB) re-serialized with its envelope: 8 MiB at most."""
    acc = _stored(tmp_path, anchor)
    path = subs._accepted_path(tmp_path, URL)
    path.write_bytes(_padded({"url": URL, "anchor": acc.anchor, "fetchedAt": iso(T0), "registry": acc.data}, 8 * MIB))
    assert subs.accepted(tmp_path, URL).data == acc.data
    with path.open("ab") as f:
        f.write(b" ")
    with pytest.raises(InputError) as info:
        subs.accepted(tmp_path, URL)
    assert str(path) in str(info.value)


def test_a_download_is_bounded_at_4_mib(tmp_path, anchor, monkeypatch):
    doc = signed_edition(anchor, 1)
    agency = Agency(_padded(doc, 4 * MIB))
    assert subs.subscribe(tmp_path, URL, anchor.did, fetcher=agency.fetcher(), now=T0).data == doc
    agency.body += b" "
    with pytest.raises(subs.SubscriptionError) as info:   # a fetcher allowing more: the parse bound holds
        subs.subscribe(tmp_path, URL, anchor.did, fetcher=agency.fetcher(), now=T0)
    assert f"{URL}: {URL} is 4,194,305 bytes" in str(info.value)
    # without a fetcher of the caller's, the one made here stops reading past the bound
    monkeypatch.setattr(subs, "Fetcher", lambda **kw: Fetcher(transport=agency.transport(), **kw))
    with pytest.raises(FetchError) as info:
        subs.subscribe(tmp_path, URL, anchor.did, now=T0)
    assert info.value.code == "FETCH_TOO_LARGE"


def test_a_refused_download_names_where_it_came_from(tmp_path, anchor):
    agency = Agency(json.dumps({"institutions": "none"}).encode())
    with pytest.raises(subs.SubscriptionError) as info:
        subs.subscribe(tmp_path, URL, anchor.did, fetcher=agency.fetcher(), now=T0)
    assert f"not a trust registry: {URL}: (top level): " in str(info.value)


def test_a_registry_valid_until_exactly_now_is_accepted(tmp_path, anchor):
    doc = signed_edition(anchor, 1, validUntil=iso(T0))
    agency = Agency(json.dumps(doc).encode())
    assert subs.subscribe(tmp_path, URL, anchor.did, fetcher=agency.fetcher(), now=T0).version == 1
    with pytest.raises(subs.SubscriptionError, match="expired"):
        subs.subscribe(tmp_path / "later", URL, anchor.did, fetcher=agency.fetcher(), now=T0 + timedelta(seconds=1))
