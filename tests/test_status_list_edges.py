"""Status list edges: the cache view, list credentials of the wrong shape, lists without dates, refused
fetches with a cached copy, presented lists, the bounded folder scan, and the publisher's refusals.
The proof check is a stand-in (the logic is under test here, not the crypto)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from ecvet_credentials.status import (
    BitstringStatusList,
    ProofCheck,
    StatusListSource,
    build_status_list_credential,
    check_status,
    status_entries,
    write_status_list,
)
from ecvet_credentials.status import fetch as status_fetch
from ecvet_credentials.status.cache import StatusListCache
from ecvet_credentials.status.publish import read_index

from http_helpers import loopback_http

ISSUER = "did:key:z6MkStatusEdges"
URL = "https://status.example/lists/revocation-9"
T0 = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def signed(doc):
    return {**doc, "proof": {"type": "DataIntegrityProof", "proofValue": "zFAKE"}}


def verifier(doc):
    ok = doc.get("proof", {}).get("proofValue") == "zFAKE"
    return ProofCheck(ok, (doc.get("issuer"),) if ok else (), "OK" if ok else "PROOF_INVALID", "stand-in")


def list_doc(url=URL, purpose="revocation", bits=(), *, valid_from=T0 - timedelta(hours=1),
             valid_until=T0 + timedelta(days=7), ttl_ms=None):
    bitstring = BitstringStatusList()
    for i in bits:
        bitstring.set(i)
    return signed(build_status_list_credential(url, ISSUER, purpose, bitstring, valid_from=valid_from,
                                               valid_until=valid_until, ttl_ms=ttl_ms))


def credential(index=10, url=URL):
    entries = status_entries({"revocation": url, "suspension": url + "-s"}, {"revocation": index, "suspension": 0},
                             "urn:uuid:e1")
    return {"id": "urn:uuid:e1", "issuer": ISSUER, "credentialStatus": [e for e in entries
                                                                       if e["statusPurpose"] == "revocation"]}


def check(source, **kw):
    kw.setdefault("now", T0)
    kw.setdefault("verifier", verifier)
    [result] = check_status(credential(), source, **kw)
    return result


# --- the cache view ------------------------------------------------------------------------------
def test_cache_view_gives_back_what_was_put_and_nothing_unreadable(tmp_path):
    cache = StatusListCache(tmp_path / "cache")
    assert cache.get(URL) is None
    doc = list_doc()
    cache.put(URL, doc, T0 - timedelta(minutes=5))
    hit = cache.get(URL)
    assert hit is not None and hit.document == doc and hit.url == URL
    assert hit.fetched_at == T0 - timedelta(minutes=5)
    # a body that is not JSON, or JSON that is not an object, reads as absent (it is fetched again)
    cache._http.put(URL, b"\x00not json", T0, content_type="application/vc")
    assert cache.get(URL) is None
    cache._http.put(URL, b"[1, 2]", T0, content_type="application/vc")
    assert cache.get(URL) is None


# --- list credentials of the wrong shape ---------------------------------------------------------
@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(id="https://status.example/lists/other"), "is not its URL"),
    (lambda d: d.update(type=["VerifiableCredential"]), "not a BitstringStatusListCredential"),
    (lambda d: d.update(type="VerifiableCredential"), "not a BitstringStatusListCredential"),
    (lambda d: d["credentialSubject"].update(type="StatusList2021"), "not a BitstringStatusList"),
])
def test_a_cached_list_of_the_wrong_shape_is_invalid_never_ok(tmp_path, change, words):
    doc = list_doc()
    change(doc)
    cache = StatusListCache(tmp_path / "cache")
    cache.put(URL, doc, T0 - timedelta(minutes=1))
    result = check(StatusListSource(cache_dir=tmp_path / "cache", offline=True))
    assert (result.outcome, result.code) == ("invalid", "STATUS_LIST_INVALID")
    assert words in result.message


def test_a_list_that_is_not_a_json_object_is_invalid(tmp_path):
    cache = StatusListCache(tmp_path / "cache")
    cache._http.put(URL, b'["not", "an", "object"]', T0 - timedelta(minutes=1), content_type="application/vc")
    result = check(StatusListSource(cache_dir=tmp_path / "cache", offline=True))
    assert (result.outcome, result.code) == ("invalid", "STATUS_LIST_NOT_JSON")


def test_a_proof_the_verifier_could_not_check_makes_the_status_unavailable(tmp_path):
    write_status_list(tmp_path / "pub", "revocation-9", list_doc(bits=[10]))

    def cannot_check(doc):
        return ProofCheck(False, (), "STATUS_PROOF_NOT_CHECKED", "no key material here")

    result = check(StatusListSource(directory=tmp_path / "pub"), verifier=cannot_check)
    assert (result.outcome, result.code) == ("unavailable", "STATUS_PROOF_NOT_CHECKED")
    assert "no key material here" in result.message


# --- dates ---------------------------------------------------------------------------------------
def test_a_list_without_valid_until_never_expires(tmp_path):
    doc = list_doc(valid_until=None)
    assert "validUntil" not in doc
    write_status_list(tmp_path / "pub", "revocation-9", doc)
    result = check(StatusListSource(directory=tmp_path / "pub"), now=T0 + timedelta(days=3650))
    assert (result.outcome, result.code) == ("ok", "OK")


def test_an_unparsable_valid_until_counts_as_expired(tmp_path):
    doc = list_doc()
    doc["validUntil"] = "next tuesday"
    write_status_list(tmp_path / "pub", "revocation-9", doc)
    result = check(StatusListSource(directory=tmp_path / "pub"))
    assert (result.outcome, result.code) == ("unavailable", "STATUS_LIST_EXPIRED")


def test_under_a_max_age_a_directory_list_without_valid_from_is_too_old(tmp_path):
    doc = list_doc()
    del doc["validFrom"]
    write_status_list(tmp_path / "pub", "revocation-9", doc)
    source = StatusListSource(directory=tmp_path / "pub")
    assert check(source).outcome == "ok"  # no max-age policy: its age does not matter
    result = check(source, max_age=timedelta(days=30))
    assert (result.outcome, result.code) == ("unavailable", "STATUS_LIST_TOO_OLD")
    assert "age is unknown" in result.message


# --- where the list comes from -------------------------------------------------------------------
def test_a_refused_fetch_uses_the_cached_copy_and_says_why(tmp_path):
    StatusListCache(tmp_path / "cache").put(URL, list_doc(), T0 - timedelta(minutes=1))
    source = StatusListSource(cache_dir=tmp_path / "cache")  # online, but no host is allowed
    result = check(source)
    assert (result.outcome, result.origin) == ("ok", "cache")
    assert any("cached copy" in r and "not allowed" in r for r in result.reasons)


def test_a_presented_list_newer_than_the_cached_copy_is_used(tmp_path):
    StatusListCache(tmp_path / "cache").put(URL, list_doc(), T0 - timedelta(minutes=1))
    presented = tmp_path / "presented"
    presented.mkdir()
    newer = list_doc(bits=[10], valid_from=T0 - timedelta(minutes=10))
    (presented / "list.json").write_text(json.dumps(newer))
    source = StatusListSource(cache_dir=tmp_path / "cache", presented=presented, offline=True)
    result = check(source)
    assert (result.outcome, result.origin) == ("revoked", "presented")
    assert any("newer than the cached copy" in r for r in result.reasons)
    # an older presented list does not replace the issuer's copy
    (presented / "list.json").write_text(json.dumps(list_doc(bits=[10], valid_from=T0 - timedelta(days=2))))
    assert check(StatusListSource(cache_dir=tmp_path / "cache", presented=presented, offline=True)).outcome == "ok"


@pytest.fixture
def list_server():
    """A loopback HTTP server of one list body; records the paths it was asked for."""
    state: dict = {"body": b"", "hits": []}

    def respond(path, headers):
        state["hits"].append(path)
        return 200, {"Content-Type": "application/vc+ld+json"}, state["body"]

    with loopback_http(respond) as base:
        state["url"] = f"{base}/lists/r"
        yield state

def test_refresh_after_zero_fetches_each_list_once_per_run(tmp_path, list_server):
    url = list_server["url"]
    list_server["body"] = json.dumps(list_doc(url, ttl_ms=3600_000)).encode()

    def run_once(source, now):
        [result] = check_status(credential(url=url), source, now=now, verifier=verifier)
        return result.outcome, result.origin

    def source():
        return StatusListSource(cache_dir=tmp_path / "c", allowed_hosts=["127.0.0.1"], allow_http_loopback=True,
                                refresh_after=timedelta(0))

    first = source()
    assert run_once(first, T0) == ("ok", "network")
    assert run_once(first, T0 + timedelta(minutes=5)) == ("ok", "network")  # same run: from memory
    assert len(list_server["hits"]) == 1
    # later in the same run (past 10 minutes), or in another run: the issuer is asked again
    assert run_once(first, T0 + timedelta(minutes=11))[0] == "ok"
    assert len(list_server["hits"]) == 2
    assert run_once(source(), T0 + timedelta(minutes=12))[0] == "ok"
    assert len(list_server["hits"]) == 3


def test_the_folder_scan_is_bounded_and_skips_other_documents(tmp_path, monkeypatch):
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "a-other.json").write_text(json.dumps({"id": URL, "type": "VerifiableCredential"}))
    (folder / "b-broken.json").write_text("{not json")
    (folder / "c-list.json").write_text(json.dumps(list_doc()))
    source = StatusListSource(directory=folder, offline=True)
    assert check(source).outcome == "ok"  # found by its id, past the other documents
    monkeypatch.setattr(status_fetch, "MAX_DIRECTORY_FILES", 2)
    (folder / "d-touch.json").write_text("{}")  # a change in the folder: scanned again, now only 2 files
    result = check(source)
    assert (result.outcome, result.code) == ("unavailable", "STATUS_LIST_UNAVAILABLE")


# --- the publisher's refusals ---------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, words", [
    ({"valid_until": T0 - timedelta(hours=1)}, "valid_until must be after valid_from"),
    ({"valid_until": T0 - timedelta(hours=2)}, "valid_until must be after valid_from"),
    ({"ttl_ms": 0}, "ttl_ms must be a positive int"),
    ({"ttl_ms": 1.5}, "ttl_ms must be a positive int"),
])
def test_build_refuses_inconsistent_dates_and_ttl(kwargs, words):
    args = {"valid_from": T0 - timedelta(hours=1), "valid_until": T0, "ttl_ms": None, **kwargs}
    with pytest.raises(ValueError, match=words):
        build_status_list_credential(URL, ISSUER, "revocation", BitstringStatusList(), **args)


@pytest.mark.parametrize("list_id", ["../escape", ".hidden", "a/b", "", "x" * 129])
def test_write_refuses_a_list_id_that_is_not_a_plain_file_name(tmp_path, list_id):
    with pytest.raises(ValueError, match="not usable as a file name"):
        write_status_list(tmp_path / "pub", list_id, list_doc())
    assert not (tmp_path / "pub").exists() or not any((tmp_path / "pub").iterdir())


@pytest.mark.parametrize("body", ['["a list"]', '{"version": 1, "lists": []}', '{"version": 1}'])
def test_an_index_of_the_wrong_shape_is_refused_by_the_publisher(tmp_path, body):
    (tmp_path / "index.json").write_text(body)
    with pytest.raises(ValueError, match="is not a status list index"):
        read_index(tmp_path)
    with pytest.raises(ValueError, match="is not a status list index"):
        write_status_list(tmp_path, "revocation-9", list_doc())
    # the verifier reads such a folder by scanning it instead
    write_status_list(tmp_path / "fresh", "revocation-9", list_doc())
    (tmp_path / "revocation-9.json").write_text((tmp_path / "fresh" / "revocation-9.json").read_text())
    assert check(StatusListSource(directory=tmp_path)).outcome == "ok"
