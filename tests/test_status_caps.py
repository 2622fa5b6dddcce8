"""Status list size caps and length guards: a Content-Length over the cap (refused before the body is
read), a Content-Length shorter than the body, a published file over the cap, a list that decodes past
the verifier's list limit. Real HTTP on 127.0.0.1 (the code under test is the network code)."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ecvet_credentials.status import (
    BitstringStatusList,
    StatusListSource,
    build_status_list_credential,
    status_entries,
    write_status_list,
)

from test_status_check import ISSUER, T0, URL_R, URL_S, credential, fake_signer, make_list, run
from http_helpers import loopback_http


@pytest.fixture
def lying_server():
    """Answers each path with (headers, body) as given, Content-Length included only when listed."""
    routes: dict[str, tuple[dict, bytes]] = {}
    hits: list[str] = []

    def respond(path, request_headers):
        hits.append(path)
        headers, body = routes[path]
        return 200, {"Content-Length": None, **headers}, body

    with loopback_http(respond) as base:
        yield base, routes, hits

def _only_revocation(url):
    entry = status_entries({"revocation": url, "suspension": url + "-s"}, {"revocation": 3, "suspension": 3}, "u")[0]
    return {"issuer": ISSUER, "credentialStatus": [entry]}


def _source(max_bytes):
    return StatusListSource(allowed_hosts=["127.0.0.1"], allow_http_loopback=True, max_bytes=max_bytes)


def test_announced_length_over_the_cap_is_refused_whatever_the_body(lying_server):
    base, routes, hits = lying_server
    url = f"{base}/r"
    small = json.dumps(make_list(url, "revocation", [3])).encode()
    # the body itself is small and valid: only the announced length can refuse it
    routes["/r"] = ({"Content-Length": str(10 ** 9)}, small)
    [check] = run(_only_revocation(url), _source(max_bytes=len(small) + 100))
    assert (check.outcome, check.code) == ("invalid", "LIMIT_EXCEEDED")
    assert hits == ["/r"]


def test_announced_length_within_the_cap_is_read(lying_server):
    base, routes, _ = lying_server
    url = f"{base}/r"
    small = json.dumps(make_list(url, "revocation", [3])).encode()
    routes["/r"] = ({"Content-Length": str(len(small))}, small)
    [check] = run(_only_revocation(url), _source(max_bytes=len(small)))  # exactly at the cap
    assert (check.outcome, check.code) == ("revoked", "STATUS_REVOKED")


def test_body_over_the_cap_without_a_length_is_refused(lying_server):
    base, routes, _ = lying_server
    url = f"{base}/r"
    small = json.dumps(make_list(url, "revocation", [3])).encode()
    routes["/r"] = ({}, small)
    [check] = run(_only_revocation(url), _source(max_bytes=len(small) - 1))  # one byte short
    assert (check.outcome, check.code) == ("invalid", "LIMIT_EXCEEDED")


def test_announced_length_shorter_than_the_body_reads_only_that_much(lying_server):
    base, routes, _ = lying_server
    url = f"{base}/r"
    body = json.dumps(make_list(url, "revocation", [3])).encode()
    routes["/r"] = ({"Content-Length": "20"}, body)
    [check] = run(_only_revocation(url), _source(max_bytes=len(body) * 2))
    assert (check.outcome, check.code) == ("invalid", "STATUS_LIST_NOT_JSON")


def test_published_file_over_the_cap_is_refused(tmp_path):
    d = tmp_path / "pub"
    write_status_list(d, "revocation-1", make_list(URL_R, "revocation", [10]))
    write_status_list(d, "suspension-1", make_list(URL_S, "suspension"))
    size = (d / "revocation-1.json").stat().st_size
    checks = run(credential(), StatusListSource(directory=d, max_bytes=size - 1))
    assert [(c.outcome, c.code) for c in checks][0] == ("invalid", "LIMIT_EXCEEDED")
    checks = run(credential(), StatusListSource(directory=d, max_bytes=size))
    assert [c.outcome for c in checks] == ["revoked", "ok"]


def test_list_decoding_past_the_verifiers_list_limit_is_refused(tmp_path):
    d = tmp_path / "pub"
    big = BitstringStatusList(size=8 * 32 * 1024)  # 32 KiB of bits
    doc = fake_signer(build_status_list_credential(URL_R, ISSUER, "revocation", big, valid_from=T0 - timedelta(hours=1),
                                                   valid_until=T0 + timedelta(days=1), ttl_ms=None))
    write_status_list(d, "revocation-1", doc)
    write_status_list(d, "suspension-1", make_list(URL_S, "suspension"))
    checks = run(credential(), StatusListSource(directory=d), max_list_bytes=16 * 1024)
    assert (checks[0].outcome, checks[0].code) == ("invalid", "LIMIT_EXCEEDED")
    assert checks[1].outcome == "ok"  # the other list, within the limit, still decides its own entry
    checks = run(credential(), StatusListSource(directory=d), max_list_bytes=32 * 1024)
    assert checks[0].outcome == "ok"
