"""The one fetcher: allow-list before any connection, https only, same-host redirects, byte bound,
ETag revalidation, a disk cache with age, offline mode."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from ecvet_credentials.net import FetchError, FetchRefused, Fetcher, describe_age

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


def make(handler, tmp_path, **kw):
    seen: list[httpx.Request] = []

    def record(request):
        seen.append(request)
        return handler(request)

    clock = Clock()
    kw.setdefault("allowed_hosts", ["school.example"])
    fetcher = Fetcher(cache_dir=tmp_path / "cache", transport=httpx.MockTransport(record), clock=clock, **kw)
    return fetcher, seen, clock


def ok(body=b'{"a": 1}', **headers):
    return lambda request: httpx.Response(200, content=body, headers=headers)


@pytest.mark.parametrize("url", [
    "https://evil.example/x.json",
    "https://school.example.evil.example/x",
    "https://127.0.0.1/x",
    "http://school.example/x",        # allowed host, but not https
    "ftp://school.example/x",
    "https://user:pw@school.example/x",
    "file:///etc/passwd",
])
def test_refused_urls_are_never_requested(tmp_path, url):
    fetcher, seen, _ = make(ok(), tmp_path)
    with pytest.raises(FetchRefused):
        fetcher.get(url)
    assert seen == [] and fetcher.requested == []


def test_per_call_allow_list_narrows_the_default(tmp_path):
    fetcher, seen, _ = make(ok(), tmp_path, allowed_hosts=["school.example", "other.example"])
    with pytest.raises(FetchRefused):
        fetcher.get("https://other.example/x", allowed_hosts=["school.example"])
    assert seen == []
    assert fetcher.get("https://school.example/x", allowed_hosts=["school.example"]).body == b'{"a": 1}'


def test_http_only_to_loopback_and_only_when_allowed(tmp_path):
    fetcher, seen, _ = make(ok(), tmp_path, allowed_hosts=["127.0.0.1", "school.example"], allow_http_loopback=True)
    assert fetcher.get("http://127.0.0.1:8443/x").origin == "network"
    with pytest.raises(FetchRefused):
        fetcher.get("http://school.example/x")
    assert len(seen) == 1


def test_redirect_to_another_host_is_refused_before_following(tmp_path):
    def handler(request):
        if request.url.host == "school.example":
            return httpx.Response(302, headers={"Location": "https://internal.example/secret"})
        return httpx.Response(200, content=b"secret")

    fetcher, seen, _ = make(handler, tmp_path, allowed_hosts=["school.example", "internal.example"])
    with pytest.raises(FetchRefused, match="another host"):
        fetcher.get("https://school.example/x")
    assert [r.url.host for r in seen] == ["school.example"]


def test_same_host_redirect_is_followed_and_bounded(tmp_path):
    def handler(request):
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/new"})
        if request.url.path == "/loop":
            return httpx.Response(302, headers={"Location": "/loop"})
        return httpx.Response(200, content=b"new")

    fetcher, seen, _ = make(handler, tmp_path)
    assert fetcher.get("https://school.example/old").body == b"new"
    with pytest.raises(FetchError, match="redirects"):
        fetcher.get("https://school.example/loop")
    assert len(seen) == 2 + 4


def test_body_is_bounded_while_streaming_even_without_content_length(tmp_path):
    def handler(request):
        return httpx.Response(200, content=iter([b"x" * 600, b"x" * 600]))  # streamed: no Content-Length

    fetcher, _, _ = make(handler, tmp_path, max_bytes=1000)
    with pytest.raises(FetchError, match="larger than") as info:
        fetcher.get("https://school.example/big")
    assert info.value.code == "FETCH_TOO_LARGE"
    assert fetcher.cached("https://school.example/big") is None


def test_etag_revalidation_and_cache_age(tmp_path):
    calls = []

    def handler(request):
        calls.append(dict(request.headers))
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, content=b"list-v1", headers={"ETag": '"v1"', "Last-Modified": "Sun, 01 Mar 2026 11:00:00 GMT"})

    fetcher, _, clock = make(handler, tmp_path)
    first = fetcher.get("https://school.example/s/1")
    assert (first.body, first.origin, first.fetched_at) == (b"list-v1", "network", T0)
    # Within max_age: served from cache, no request.
    clock.now = T0 + timedelta(minutes=5)
    assert fetcher.get("https://school.example/s/1", max_age=timedelta(hours=1)).fetched_at == T0
    assert len(calls) == 1
    # Past max_age: a conditional request, 304, the copy is confirmed as of now.
    clock.now = T0 + timedelta(hours=2)
    again = fetcher.get("https://school.example/s/1", max_age=timedelta(hours=1))
    assert calls[1]["if-none-match"] == '"v1"' and calls[1]["if-modified-since"].startswith("Sun, 01 Mar")
    assert (again.body, again.fetched_at) == (b"list-v1", T0 + timedelta(hours=2))
    # A new process (fresh Fetcher, same cache dir), offline: the disk copy with its age.
    offline = Fetcher(cache_dir=tmp_path / "cache", allowed_hosts=["school.example"], offline=True,
                      clock=lambda: T0 + timedelta(hours=5), transport=httpx.MockTransport(lambda r: 1 / 0))
    got = offline.get("https://school.example/s/1")
    assert got.origin == "cache" and got.body == b"list-v1"
    assert got.age(T0 + timedelta(hours=5)) == timedelta(hours=3) and "3 hours old" in got.note
    assert offline.requested == []


def test_offline_without_copy_and_network_failure_with_stale_copy(tmp_path):
    state = {"up": True}

    def handler(request):
        if not state["up"]:
            raise httpx.ConnectError("connection refused")
        return httpx.Response(200, content=b"v1")

    fetcher, _, clock = make(handler, tmp_path)
    with pytest.raises(FetchError, match="offline"):
        Fetcher(cache_dir=tmp_path / "cache", allowed_hosts=["school.example"], offline=True).get(
            "https://school.example/none")
    fetcher.get("https://school.example/a")
    state["up"] = False
    clock.now = T0 + timedelta(days=3)
    stale = fetcher.get("https://school.example/a", max_age=timedelta(hours=1))
    assert stale.origin == "cache" and "3 days old" in stale.note and "refresh failed" in stale.note
    with pytest.raises(FetchError, match="connection refused"):
        fetcher.get("https://school.example/b")


def test_http_error_status_is_a_fetch_error(tmp_path):
    fetcher, _, _ = make(lambda r: httpx.Response(404), tmp_path)
    with pytest.raises(FetchError, match="HTTP 404") as info:
        fetcher.get("https://school.example/missing")
    assert not isinstance(info.value, FetchRefused)


def test_edited_cache_entry_is_ignored(tmp_path):
    fetcher, _, _ = make(ok(b"genuine"), tmp_path)
    fetcher.get("https://school.example/a")
    body = next((tmp_path / "cache").glob("*.body"))
    body.write_bytes(b"tampered")
    fresh = Fetcher(cache_dir=tmp_path / "cache", allowed_hosts=["school.example"], offline=True)
    with pytest.raises(FetchError):
        fresh.get("https://school.example/a")


@pytest.mark.parametrize("seconds,text", [(-5, "0 seconds"), (1, "1 second"), (119, "119 seconds"), (120, "2 minutes"),
                                          (3600, "60 minutes"), (7200, "2 hours"), (3 * 3600 + 59, "3 hours"),
                                          (86400 + 3600, "25 hours"), (2 * 86400, "2 days"), (86400 * 3 - 1, "2 days")])
def test_describe_age(seconds, text):
    assert describe_age(timedelta(seconds=seconds)) == text


@pytest.mark.parametrize("lang,ages", [
    ("de", {timedelta(seconds=1): "1 Sekunde", timedelta(minutes=5): "5 Minuten", timedelta(hours=2): "2 Stunden",
            timedelta(days=2): "2 Tage", timedelta(days=5): "5 Tage"}),
    # Polish has three forms: one, few (2-4, 22-24, not 12-14), many
    ("pl", {timedelta(seconds=1): "1 sekunda", timedelta(minutes=3): "3 minuty", timedelta(minutes=5): "5 minut",
            timedelta(hours=2): "2 godziny", timedelta(hours=5): "5 godzin", timedelta(hours=12): "12 godzin",
            timedelta(hours=22): "22 godziny", timedelta(days=2): "2 dni", timedelta(days=5): "5 dni"}),
])
def test_describe_age_in_german_and_polish(lang, ages):
    from ecvet_credentials.i18n import use_language

    with use_language(lang):
        assert {age: describe_age(age) for age in ages} == ages


@pytest.mark.parametrize("lang,forms", [("de", ["1 Tag", "2 Tage", "5 Tage"]), ("pl", ["1 dzień", "2 dni", "5 dni"])])
def test_the_day_in_each_plural_form(lang, forms):
    """describe_age never says '1 day' (below 2 days it counts hours): its catalogue entry is read directly."""
    from ecvet_credentials.i18n import ngettext, use_language

    with use_language(lang):
        assert [ngettext("{n} day", "{n} days", n).format(n=n) for n in (1, 2, 5)] == forms


def test_a_cached_copy_note_is_in_the_language_of_the_run(tmp_path):
    from ecvet_credentials.i18n import use_language

    fetcher, _, clock = make(ok(b"v1"), tmp_path)
    fetcher.get("https://school.example/a")
    offline = Fetcher(cache_dir=tmp_path / "cache", allowed_hosts=["school.example"], offline=True,
                      clock=lambda: T0 + timedelta(days=5))
    with use_language("pl"):
        assert offline.get("https://school.example/a").note == "offline: kopia z pamięci podręcznej, wiek: 5 dni"


def test_a_server_that_drips_is_cut_off_by_the_total_bound(tmp_path):
    ticks = iter(range(0, 10_000, 7))   # each read "takes" 7 s on the injected clock

    def handler(request):
        return httpx.Response(200, content=iter([b"x"] * 100))

    fetcher, _, _ = make(handler, tmp_path, total_seconds=30, monotonic=lambda: next(ticks))
    with pytest.raises(FetchError, match="longer than 30 s") as info:
        fetcher.get("https://school.example/slow")
    assert info.value.code == "FETCH_TIMEOUT" and fetcher.cached("https://school.example/slow") is None
