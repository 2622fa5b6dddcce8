"""Where a status list comes from, rule by rule: the trust registry's status URL prefixes, what is sent
to the issuer (Accept, conditional re-use of a cached copy under `refresh_after`, `max_age`), failed
fetches, one parse and one proof check per retrieved copy, the presenter's folder, the folder scan, and
the cache view's bounds. Loopback servers only; the proof check is a stand-in (logic, not crypto)."""
from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest

from ecvet_credentials.net.fetcher import HttpCache
from ecvet_credentials.status import StatusListSource, check_status
from ecvet_credentials.status.cache import StatusListCache
from ecvet_credentials.status.fetch import ACCEPT

from test_status_list_edges import T0, URL, credential, list_doc, verifier
from http_helpers import loopback_http


def check(source, url=URL, **kw):
    kw.setdefault("now", T0)
    kw.setdefault("verifier", verifier)
    [result] = check_status(credential(url=url), source, **kw)
    return result


@pytest.fixture
def server():
    """A loopback HTTP server: path -> (status, body); records each request's path and Accept header."""
    state: dict = {"routes": {}, "hits": [], "accept": []}

    def respond(path, headers):
        state["hits"].append(path)
        state["accept"].append(headers.get("Accept"))
        status, body = state["routes"].get(path, (404, b""))
        return status, {"Content-Type": "application/vc"}, body

    with loopback_http(respond) as base:
        state["base"] = base
        yield state

def serve(server, path="/lists/r", **kw):
    url = server["base"] + path
    server["routes"][path] = (200, json.dumps(list_doc(url, **kw)).encode())
    return url


# --- the trust registry's status URL prefixes ----------------------------------------------------------
def test_a_registry_prefix_allows_its_host_even_when_no_host_is_configured(tmp_path, server):
    url = serve(server)
    source = StatusListSource(cache_dir=tmp_path / "c", allow_http_loopback=True)  # no configured host
    prefixes = (server["base"] + "/lists",)
    assert source.refusal(url, prefixes) is None
    assert source.refusal(url, (server["base"] + "/lists/",)) is None  # a prefix may end with its slash
    result = check(source, url, allowed_prefixes=prefixes)
    assert (result.outcome, result.origin) == ("ok", "network")
    assert server["hits"] == ["/lists/r"]
    # without the registry's prefixes the source's own (empty) allow-list decides: nothing is sent
    assert "not allowed" in source.refusal(url)
    assert check(StatusListSource(allow_http_loopback=True), url).code == "STATUS_FETCH_REFUSED"
    assert server["hits"] == ["/lists/r"]


def test_a_url_outside_the_registry_prefixes_is_never_requested(tmp_path, server):
    url = serve(server, "/lists-evil/r")
    source = StatusListSource(cache_dir=tmp_path / "c", allowed_hosts=["127.0.0.1"], allow_http_loopback=True)
    prefixes = (server["base"] + "/lists",)
    assert source.refusal(url, prefixes).startswith(f"status list {url} is not under a status URL")
    result = check(source, url, allowed_prefixes=prefixes)
    assert (result.outcome, result.code) == ("unavailable", "STATUS_FETCH_REFUSED")
    assert server["hits"] == []


def test_under_a_registry_prefix_the_fetchers_own_rules_still_apply(tmp_path, server):
    """A prefix allows the host; it does not allow plain http (no loopback exception given here)."""
    url = serve(server)
    prefixes = (server["base"] + "/lists",)
    StatusListCache(tmp_path / "c").put(url, list_doc(url), T0 - timedelta(minutes=1))
    source = StatusListSource(cache_dir=tmp_path / "c")
    assert "is not https" in source.refusal(url, prefixes)
    result = check(source, url, allowed_prefixes=prefixes)  # refused: the cached copy is used, with why
    assert (result.outcome, result.origin) == ("ok", "cache")
    assert any("cached copy" in r and "is not https" in r for r in result.reasons)
    assert server["hits"] == []


# --- what is sent to the issuer ---------------------------------------------------------------------
def test_the_request_asks_for_a_verifiable_credential(tmp_path, server):
    url = serve(server)
    check(StatusListSource(allowed_hosts=["127.0.0.1"], allow_http_loopback=True), url)
    assert server["accept"] == [ACCEPT] and ACCEPT.startswith("application/vc,")


def test_refresh_after_reuses_a_copy_from_an_earlier_run_within_it(tmp_path, server):
    url = serve(server, ttl_ms=60_000)  # the list's own ttl (1 min) is shorter: refresh_after decides

    def source(refresh_after):
        return StatusListSource(cache_dir=tmp_path / "c", allowed_hosts=["127.0.0.1"], allow_http_loopback=True,
                                refresh_after=refresh_after)

    assert check(source(timedelta(hours=1)), url).origin == "network"
    later = check(source(timedelta(hours=1)), url, now=T0 + timedelta(minutes=30))
    assert (later.outcome, later.origin) == ("stale", "cache") and len(server["hits"]) == 1  # past its ttl
    assert check(source(timedelta(minutes=10)), url, now=T0 + timedelta(minutes=30)).origin == "network"
    assert len(server["hits"]) == 2


def test_a_list_fetched_during_the_run_is_reused_for_exactly_ten_minutes(tmp_path, server):
    url = serve(server)
    source = StatusListSource(cache_dir=tmp_path / "c", allowed_hosts=["127.0.0.1"], allow_http_loopback=True,
                              refresh_after=timedelta(0))
    check(source, url)
    assert check(source, url, now=T0 + timedelta(minutes=10)).origin == "network"
    assert len(server["hits"]) == 1
    check(source, url, now=T0 + timedelta(minutes=10, seconds=1))
    assert len(server["hits"]) == 2


def test_a_cached_copy_within_its_ttl_but_older_than_max_age_is_fetched_again(tmp_path, server):
    url = serve(server, ttl_ms=3600_000)

    def source():
        return StatusListSource(cache_dir=tmp_path / "c", allowed_hosts=["127.0.0.1"], allow_http_loopback=True)

    check(source(), url)
    assert check(source(), url, now=T0 + timedelta(minutes=30)).origin == "cache"  # within the ttl
    assert len(server["hits"]) == 1
    fresh = check(source(), url, now=T0 + timedelta(minutes=30), max_age=timedelta(minutes=10))
    assert (fresh.outcome, fresh.origin) == ("ok", "network") and len(server["hits"]) == 2


def test_a_cached_copy_that_is_not_json_is_fetched_again(tmp_path, server):
    url = serve(server, ttl_ms=3600_000)
    HttpCache(tmp_path / "c").put(url, b"<html>", T0 - timedelta(minutes=1))
    source = StatusListSource(cache_dir=tmp_path / "c", allowed_hosts=["127.0.0.1"], allow_http_loopback=True)
    assert (check(source, url).outcome, len(server["hits"])) == ("ok", 1)


# --- failed fetches -------------------------------------------------------------------------------
def test_a_failed_fetch_is_unavailable_with_its_own_code(server):
    url = server["base"] + "/lists/r"
    server["routes"]["/lists/r"] = (500, b"")
    result = check(StatusListSource(allowed_hosts=["127.0.0.1"], allow_http_loopback=True), url)
    assert (result.outcome, result.code) == ("unavailable", "STATUS_FETCH_FAILED")
    assert result.message.startswith(f"could not fetch status list {url}: ") and "HTTP 500" in result.message
    offline = check(StatusListSource(offline=True), url)
    assert (offline.outcome, offline.code) == ("unavailable", "STATUS_LIST_UNAVAILABLE")


def test_a_list_larger_than_the_limit_says_so(server):
    url = server["base"] + "/lists/r"
    server["routes"]["/lists/r"] = (200, b"{" + b" " * 5000 + b"}")
    result = check(StatusListSource(allowed_hosts=["127.0.0.1"], allow_http_loopback=True, max_bytes=1000), url)
    assert (result.outcome, result.code) == ("invalid", "LIMIT_EXCEEDED")
    assert url in result.message and "larger than 1,000 bytes" in result.message


# --- one parse and one proof check per retrieved copy ----------------------------------------------
def test_the_same_cached_copy_is_checked_once_and_a_new_copy_again(tmp_path):
    cache = StatusListCache(tmp_path / "c")
    cache.put(URL, list_doc(), T0 - timedelta(minutes=5))
    source, calls = StatusListSource(cache_dir=tmp_path / "c", offline=True), []

    def counting(doc):  # one verifier object: the proof check is kept per verifier
        calls.append(doc)
        return verifier(doc)

    first, second = check(source, verifier=counting), check(source, verifier=counting)
    assert (first.outcome, second.outcome) == ("ok", "ok") and len(calls) == 1
    assert any(r.startswith("offline: cached copy") for r in second.reasons)  # the note, on every use
    # a newer copy in the cache (the issuer revoked meanwhile) is read and checked afresh
    cache.put(URL, list_doc(bits=[10]), T0 - timedelta(minutes=1))
    assert check(source, verifier=counting).outcome == "revoked"
    assert len(calls) == 2


def test_a_cached_copy_that_is_not_json_is_invalid_and_named(tmp_path):
    HttpCache(tmp_path / "c").put(URL, b"<html>", T0 - timedelta(minutes=1))
    result = check(StatusListSource(cache_dir=tmp_path / "c", offline=True))
    assert (result.outcome, result.code) == ("invalid", "STATUS_LIST_NOT_JSON")
    assert URL in result.message


# --- the presenter's folder ---------------------------------------------------------------------------
def test_a_presented_list_of_the_same_date_as_the_cached_copy_does_not_replace_it(tmp_path):
    StatusListCache(tmp_path / "cache").put(URL, list_doc(), T0 - timedelta(minutes=1))
    presented = tmp_path / "presented"
    presented.mkdir()
    (presented / "list.json").write_text(json.dumps(list_doc(bits=[10])))  # same validFrom
    result = check(StatusListSource(cache_dir=tmp_path / "cache", presented=presented, offline=True))
    assert (result.outcome, result.origin) == ("ok", "cache")


# --- the folder scan ----------------------------------------------------------------------------------
def test_the_scan_skips_what_it_cannot_read_and_oversized_files(tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "a-dir.json").mkdir()  # not a file
    doc = list_doc()
    (folder / "b-big.json").write_text(json.dumps(doc) + " " * 3000)  # the same list, past the size cap
    (folder / "c-list.json").write_text(json.dumps(doc))
    result = check(StatusListSource(directory=folder, offline=True, max_bytes=2000))
    assert (result.outcome, result.origin) == ("ok", "directory")


def test_the_scan_finds_a_list_whose_type_is_a_single_string(tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    doc = list_doc()
    doc["type"] = "BitstringStatusListCredential"
    (folder / "list.json").write_text(json.dumps(doc))
    assert check(StatusListSource(directory=folder, offline=True)).outcome == "ok"


# --- the cache view's bounds --------------------------------------------------------------------------
def test_the_cache_view_keeps_its_size_cap(tmp_path):
    doc = list_doc()
    size = len(json.dumps(doc).encode())
    small = StatusListCache(tmp_path / "c", max_bytes=size - 1)
    small.put(URL, doc, T0)
    assert small.get(URL) is None  # refused, as the verifier's own read would be
    assert StatusListCache(tmp_path / "c", max_bytes=size).get(URL).document == doc


def test_a_list_past_the_generic_json_limit_comes_back_from_the_cache(tmp_path):
    big = list_doc()
    from ecvet_credentials.status import BitstringStatusList

    big["credentialSubject"]["encodedList"] = BitstringStatusList(data=os.urandom(2 * 1024 * 1024)).encode()
    assert len(json.dumps(big)) > 2_000_000  # past parse_json's default bound
    cache = StatusListCache(tmp_path / "c")
    cache.put(URL, big, T0)
    assert cache.get(URL).document == big
    # and the verifier reads it whole: a list of 16 M entries is a list, not an attack
    assert check(StatusListSource(cache_dir=tmp_path / "c", offline=True)).origin == "cache"


def test_the_cache_stores_text_as_utf8_and_says_it_holds_a_credential(tmp_path):
    doc = list_doc()
    doc["name"] = "Liste de révocation de l'Université de Liège " * 20
    size = len(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    cache = StatusListCache(tmp_path / "c", max_bytes=size)  # \u-escaped it would not fit
    cache.put(URL, doc, T0)
    assert cache.get(URL).document == doc
    seen = StatusListSource(cache_dir=tmp_path / "c", offline=True, max_bytes=size).fetcher.cached(URL)
    assert seen.content_type == "application/vc"


# --- a publish directory --------------------------------------------------------------------------
def publish_dir(tmp_path, doc=None):
    from ecvet_credentials.status import write_status_list

    write_status_list(tmp_path / "pub", "revocation-9", doc or list_doc())
    return tmp_path / "pub"


def test_an_oversized_or_unparsable_list_file_is_named_in_the_finding(tmp_path):
    d = publish_dir(tmp_path)
    path = d / "revocation-9.json"
    big = check(StatusListSource(directory=d, max_bytes=100))
    assert (big.outcome, big.code) == ("invalid", "LIMIT_EXCEEDED")
    assert str(path) in big.message and "100 bytes" in big.message
    path.write_text("{not json")
    broken = check(StatusListSource(directory=d))
    assert (broken.outcome, broken.code) == ("invalid", "STATUS_LIST_NOT_JSON")
    assert broken.message.startswith(f"status list {URL} is not JSON: status list {URL} is not valid JSON")
    path.unlink()
    path.mkdir()
    unreadable = check(StatusListSource(directory=d))
    assert unreadable.code == "NOT_A_REGULAR_FILE" and f"status list file {path}" in unreadable.message


def test_index_entries_of_the_wrong_shape_are_skipped(tmp_path):
    d = publish_dir(tmp_path)
    index = json.loads((d / "index.json").read_text())
    index["lists"]["https://status.example/lists/a"] = "revocation-9.json"
    index["lists"]["https://status.example/lists/b"] = {"purpose": "revocation"}
    (d / "index.json").write_text(json.dumps(index))
    assert check(StatusListSource(directory=d)).outcome == "ok"


def test_a_folder_is_read_again_only_when_it_changed(tmp_path, monkeypatch):
    from ecvet_credentials.status import fetch as status_fetch

    reads: list[str] = []

    def counted(real):
        def wrapper(path, *args, **kw):
            reads.append(str(path))
            return real(path, *args, **kw)
        return wrapper

    monkeypatch.setattr(status_fetch, "read_index", counted(status_fetch.read_index))
    monkeypatch.setattr(status_fetch, "read_bounded", counted(status_fetch.read_bounded))
    d = publish_dir(tmp_path)
    source = StatusListSource(directory=d)
    check(source)
    assert len(reads) == 2  # the index, then the list file
    check(source)
    assert len(reads) == 2
    folder = tmp_path / "scanned"
    folder.mkdir()
    (folder / "list.json").write_text(json.dumps(list_doc()))
    (folder / "other.json").write_text("{}")
    scanned = StatusListSource(directory=folder)
    check(scanned)
    first = len(reads)
    assert check(scanned).outcome == "ok" and len(reads) == first  # no second scan


# --- the list credential's shape, as check_status reads it -------------------------------------------
def cached(tmp_path, doc, fetched_at=T0 - timedelta(minutes=1)):
    StatusListCache(tmp_path / "c").put(URL, doc, fetched_at)
    return StatusListSource(cache_dir=tmp_path / "c", offline=True)


def test_one_list_serves_only_the_purposes_it_states(tmp_path):
    from ecvet_credentials.status import status_entries

    source = cached(tmp_path, list_doc())  # a revocation list
    entries = status_entries({"revocation": URL, "suspension": URL}, {"revocation": 10, "suspension": 11}, "urn:uuid:e")
    checks = check_status({"issuer": list_doc()["issuer"], "credentialStatus": entries}, source, now=T0,
                          verifier=verifier)
    assert [(c.outcome, c.code) for c in checks] == [("ok", "OK"), ("invalid", "STATUS_PURPOSE_MISMATCH")]
    assert "'revocation'" in checks[1].message and "'suspension'" in checks[1].message
    both = list_doc()
    both["credentialSubject"]["statusPurpose"] = ["revocation", "suspension"]
    checks = check_status({"issuer": both["issuer"], "credentialStatus": entries}, cached(tmp_path / "b", both),
                          now=T0, verifier=verifier)
    assert [c.outcome for c in checks] == ["ok", "ok"]


def test_a_list_without_a_type_or_a_purpose_is_invalid(tmp_path):
    untyped = list_doc()
    del untyped["type"]
    result = check(cached(tmp_path / "a", untyped))
    assert (result.outcome, result.code) == ("invalid", "STATUS_LIST_INVALID")
    unstated = list_doc()
    del unstated["credentialSubject"]["statusPurpose"]
    result = check(cached(tmp_path / "b", unstated))
    assert (result.outcome, result.code) == ("invalid", "STATUS_PURPOSE_MISMATCH")
    assert "None" in result.message


def test_a_list_served_under_another_url_names_the_id_it_carries(tmp_path):
    other = list_doc("https://status.example/lists/other")
    result = check(cached(tmp_path, other))
    assert result.code == "STATUS_LIST_INVALID"
    assert result.message.startswith(f"status list {URL}: list credential id 'https://status.example/lists/other'")


def test_a_copy_exactly_as_old_as_its_ttl_is_still_current(tmp_path):
    doc = list_doc(ttl_ms=3600_000)
    assert check(cached(tmp_path / "a", doc, T0 - timedelta(hours=1))).outcome == "ok"
    stale = check(cached(tmp_path / "b", doc, T0 - timedelta(hours=1, seconds=1)))
    assert (stale.outcome, stale.code) == ("stale", "STATUS_LIST_STALE") and "(limit 60 minutes)" in stale.message


def test_a_list_that_is_json_but_not_an_object_is_named(tmp_path):
    HttpCache(tmp_path / "c").put(URL, b'["a", "list"]', T0 - timedelta(minutes=1))
    result = check(StatusListSource(cache_dir=tmp_path / "c", offline=True))
    assert (result.code, result.message) == ("STATUS_LIST_NOT_JSON", f"status list {URL} is not a JSON object")


def test_a_source_that_cannot_read_its_list_makes_the_status_unavailable():
    class Unreadable:
        """A source of the older form (no allowed_prefixes) whose storage fails."""

        def get(self, url, *, now, max_age):
            raise PermissionError(13, "Permission denied")

    result = check(Unreadable())
    assert (result.outcome, result.code) == ("unavailable", "STATUS_LIST_UNAVAILABLE")
    assert URL in result.message and "Permission denied" in result.message


def test_a_malformed_entry_is_invalid_and_says_why():
    [result] = check_status({"issuer": "did:key:z6MkX", "credentialStatus": {"type": "Other"}},
                            StatusListSource(offline=True), now=T0, verifier=verifier)
    assert (result.outcome, result.code, result.purpose) == ("invalid", "STATUS_ENTRY_INVALID", None)
    assert "BitstringStatusListEntry" in result.message


def test_registry_prefixes_keep_the_callers_time_and_maximum_age(tmp_path, server):
    url = serve(server, ttl_ms=3600_000)
    source = StatusListSource(cache_dir=tmp_path / "c", allow_http_loopback=True)
    prefixes = (server["base"] + "/lists",)
    check(source, url, allowed_prefixes=prefixes)
    later = check(source, url, allowed_prefixes=prefixes, now=T0 + timedelta(seconds=61, microseconds=234567))
    assert (later.origin, later.list_age_seconds, len(server["hits"])) == ("network", 61.235, 1)  # reused
    fresh = check(source, url, allowed_prefixes=prefixes, now=T0 + timedelta(minutes=30), max_age=timedelta(minutes=10))
    assert (fresh.outcome, len(server["hits"])) == ("ok", 2)  # older than the caller accepts: fetched again


def test_a_proof_that_does_not_verify_is_reported_with_its_code_and_reason(tmp_path):
    from ecvet_credentials.status import ProofCheck

    result = check(cached(tmp_path, list_doc()), verifier=lambda doc: ProofCheck(False, (), "PROOF_INVALID", "bad signature"))
    assert (result.outcome, result.code) == ("invalid", "STATUS_LIST_PROOF_INVALID")
    assert result.message == f"status list {URL}: proof does not verify (PROOF_INVALID: bad signature)"


def test_a_list_naming_another_issuer_is_refused_even_when_signed_by_the_credentials_issuer(tmp_path):
    from ecvet_credentials.status import ProofCheck

    doc = list_doc()
    doc["issuer"] = "did:key:z6MkSomeoneElse"
    result = check(cached(tmp_path, doc), verifier=lambda d: ProofCheck(True, (credential()["issuer"],)))
    assert (result.outcome, result.code) == ("invalid", "STATUS_LIST_ISSUER_MISMATCH")
    assert "'did:key:z6MkSomeoneElse'" in result.message


# --- each finding, whole ----------------------------------------------------------------------------
def test_each_finding_has_its_outcome_code_and_message(tmp_path):
    from ecvet_credentials.status import ProofCheck, status_entries

    issuer = list_doc()["issuer"]

    def finding(doc, name, **kw):
        r = check(cached(tmp_path / name, doc), **kw)
        return r.outcome, r.code, r.message

    other_key = ProofCheck(True, ("did:key:z6MkNotTheIssuer",))
    assert finding(list_doc(), "key", verifier=lambda d: other_key) == (
        "invalid", "STATUS_LIST_ISSUER_MISMATCH", f"status list {URL} is not signed by a key of {issuer}")
    elsewhere = list_doc()
    elsewhere["issuer"] = "did:key:z6MkSomeoneElse"
    assert finding(elsewhere, "issuer") == (
        "invalid", "STATUS_LIST_ISSUER_MISMATCH",
        f"status list {URL} is issued by 'did:key:z6MkSomeoneElse', not by the credential's issuer '{issuer}'")
    assert finding(list_doc(valid_from=T0 + timedelta(hours=1)), "early") == (
        "invalid", "STATUS_LIST_NOT_YET_VALID", f"status list {URL} is not valid yet")
    assert finding(list_doc(bits=[10]), "revoked") == (
        "revoked", "STATUS_REVOKED", "the credential has been revoked by its issuer")
    [outside] = check_status(credential(index=131072), cached(tmp_path / "outside", list_doc()), now=T0,
                             verifier=verifier)
    assert (outside.outcome, outside.code, outside.message) == (
        "invalid", "STATUS_INDEX_OUT_OF_RANGE", "statusListIndex 131072 is outside the list (size 131072)")
    [anonymous] = check_status({"credentialStatus": credential()["credentialStatus"]},
                               cached(tmp_path / "anonymous", list_doc()), now=T0, verifier=verifier)
    assert (anonymous.outcome, anonymous.code) == ("invalid", "STATUS_LIST_ISSUER_MISMATCH")  # no issuer to match
    suspended = list_doc(purpose="suspension", bits=[3])
    entry = status_entries({"revocation": URL + "-r", "suspension": URL}, {"revocation": 0, "suspension": 3}, "u")[1]
    [s] = check_status({"issuer": issuer, "credentialStatus": entry}, cached(tmp_path / "suspended", suspended),
                       now=T0, verifier=verifier)
    assert (s.outcome, s.code, s.message) == ("suspended", "STATUS_SUSPENDED", "the credential is suspended by its issuer")


@pytest.mark.parametrize("ttl_ms, outcome", [(0, "ok"), (1, "stale"), (True, "ok"), (3600_000, "ok")])
def test_only_a_positive_whole_ttl_limits_a_copys_age(tmp_path, ttl_ms, outcome):
    doc = list_doc()
    doc["credentialSubject"]["ttl"] = ttl_ms  # as a publisher wrote it (build refuses the odd ones)
    assert check(cached(tmp_path, doc, T0 - timedelta(seconds=1))).outcome == outcome


def test_a_cached_copy_of_the_wrong_shape_is_fetched_again(tmp_path, server):
    url = serve(server, ttl_ms=3600_000)
    odd = list_doc(url, ttl_ms=3600_000)
    odd["credentialSubject"] = [odd["credentialSubject"]]
    StatusListCache(tmp_path / "c").put(url, odd, T0 - timedelta(minutes=1))
    source = StatusListSource(cache_dir=tmp_path / "c", allowed_hosts=["127.0.0.1"], allow_http_loopback=True)
    assert (check(source, url).outcome, len(server["hits"])) == ("ok", 1)


def test_an_issuer_that_is_not_a_string_identifies_no_one(tmp_path):
    odd = list_doc()
    odd["issuer"] = 42
    [result] = check_status({"issuer": 42, "credentialStatus": credential()["credentialStatus"]}, cached(tmp_path, odd),
                            now=T0, verifier=verifier)  # the stand-in verifier names 42 as the signer
    assert (result.outcome, result.code) == ("invalid", "STATUS_LIST_ISSUER_MISMATCH")
