"""The did:web fetch against a real HTTPS server on 127.0.0.1 (no mock of the code under test).

The server uses the `--dev-tls` self-signed certificate for localhost; the client trusts it through
ECVET_CA_BUNDLE (the fetcher's private-CA setting), exactly as a deployment trusting a private CA.
"""
from __future__ import annotations

import json
import ssl

import pytest

from ecvet_credentials.crypto.dids import DidResolver, did_web_document
from ecvet_credentials.core.errors import DidResolutionError
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.serve.tls import dev_certificate

from http_helpers import loopback_http


@pytest.fixture
def https_server(tmp_path, monkeypatch):
    cert, key = dev_certificate(tmp_path)
    monkeypatch.setenv("ECVET_CA_BUNDLE", str(cert))  # the one fetcher's private-CA setting
    routes: dict[str, tuple[int, dict, bytes]] = {}
    hits: list[str] = []

    def respond(path, headers):
        hits.append(path)
        return routes.get(path, (404, {}, b""))

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with loopback_http(respond, tls=context) as base:
        yield int(base.rsplit(":", 1)[1]), routes, hits

def _did(port: int, path: str = "") -> str:
    return f"did:web:localhost%3A{port}" + (f":{path}" if path else "")


def test_fetches_document_over_https_and_resolves_key(https_server):
    port, routes, hits = https_server
    did = _did(port, "school")
    key = KeyPair.generate("Ed25519")
    routes["/school/did.json"] = (200, {"Content-Type": "application/did+json"},
                                  json.dumps(did_web_document(did, [{"key": key, "id": "k1"}])).encode())
    resolver = DidResolver(allow_hosts=["LOCALHOST"])  # host names, compared case-insensitively
    vm = resolver.verification_method(f"{did}#k1")
    assert vm.public_key == key.public_key and vm.controller == did
    assert hits == ["/school/did.json"]


def test_well_known_path_without_a_path_segment(https_server):
    port, routes, hits = https_server
    did = _did(port)
    key = KeyPair.generate("Ed25519")
    routes["/.well-known/did.json"] = (200, {}, json.dumps(did_web_document(did, [{"key": key, "id": "k"}])).encode())
    assert DidResolver(allow_hosts=["localhost"]).resolve(did)["id"] == did
    assert hits == ["/.well-known/did.json"]


def test_host_not_allowed_never_connects(https_server):
    port, routes, hits = https_server
    with pytest.raises(DidResolutionError) as e:
        DidResolver(allow_hosts=["127.0.0.1"]).resolve(_did(port))
    assert e.value.code == "DID_NOT_FOUND" and hits == []


@pytest.mark.parametrize("status,headers,body,code", [
    (404, {}, b"", "DID_FETCH_FAILED"),
    (302, {"Location": "https://elsewhere.example/did.json"}, b"", "DID_FETCH_FAILED"),  # redirects refused
    (200, {}, b"not json", "DID_DOCUMENT_INVALID"),
    (200, {}, b"[1, 2]", "DID_DOCUMENT_INVALID"),  # JSON, but not an object with the DID as id
    (200, {}, b" " * (256 * 1024 + 1) + b"{}", "DID_FETCH_FAILED"),  # over the size cap: the fetcher stops
])
def test_fetch_refusals(https_server, status, headers, body, code):
    port, routes, hits = https_server
    routes["/.well-known/did.json"] = (status, headers, body)
    with pytest.raises(DidResolutionError) as e:
        DidResolver(allow_hosts=["localhost"]).resolve(_did(port))
    assert e.value.code == code
    assert hits == ["/.well-known/did.json"]  # one request, no redirect followed


def test_document_with_another_id_is_refused(https_server):
    port, routes, _ = https_server
    key = KeyPair.generate("Ed25519")
    other = did_web_document("did:web:attacker.example", [{"key": key, "id": "k"}])
    routes["/.well-known/did.json"] = (200, {}, json.dumps(other).encode())
    with pytest.raises(DidResolutionError) as e:
        DidResolver(allow_hosts=["localhost"]).resolve(_did(port))
    assert e.value.code == "DID_DOCUMENT_INVALID"


def test_untrusted_certificate_is_a_fetch_failure(https_server, monkeypatch, tmp_path):
    port, routes, hits = https_server
    other_cert, _ = dev_certificate(tmp_path / "other")
    monkeypatch.setenv("ECVET_CA_BUNDLE", str(other_cert))  # the server's certificate is not trusted now
    with pytest.raises(DidResolutionError) as e:
        DidResolver(allow_hosts=["localhost"]).resolve(_did(port))
    assert e.value.code == "DID_FETCH_FAILED" and "certificate" in str(e.value).lower()
    assert hits == []  # the handshake failed before any request
