"""`ecvet serve` refusals that need their own server or raw bytes: the 403 on a credential another key
issued (into the same registry), a lying or missing Content-Length, and the request timeout (503)."""
from __future__ import annotations

import socket

import pytest

from serve_helpers import TOKEN, assert_problem, running_server

from ecvet_credentials.registry.store import Registry

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

OTHER_ISSUER = "did:web:other-school.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("serve-refusals")) as srv:
        yield srv


def _raw(server, request: bytes) -> bytes:
    """Send raw bytes, read the answer until the server closes (bounded by the socket timeout)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        for _ in range(1000):
            try:
                data = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


def test_status_change_of_another_keys_credential_is_403_and_changes_nothing(server):
    with Registry.open(server.config.db) as registry:
        alloc = registry.allocate_and_record(credential_type="transcript", issuer_did=OTHER_ISSUER,
                                             status_base_url="https://other-school.example/status")
        registry.record_digest(alloc.credential_id, "0" * 64)
    with server.client() as client:
        r = client.post("/status", headers=server.auth, json={
            "credentialId": alloc.credential_id,
            "credentialStatus": [{"type": "BitstringStatusListEntry", "status": "revoked"}]})
    body = assert_problem(r, 403)
    assert OTHER_ISSUER in body["detail"]
    with Registry.open(server.config.db) as registry:
        assert registry.status_of(alloc.credential_id).state != "revoked"


def _post(path: str, headers: str, body: bytes = b"") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
            f"authorization: Bearer {TOKEN}\r\n{headers}\r\n").encode() + body


def test_content_length_far_over_the_limit_is_refused_without_reading(server):
    # 200 MB announced, nothing sent: past the drain bound the answer comes at once (a drain would wait
    # for the body and end in the read timeout's 408 instead)
    answer = _raw(server, _post("/credentials/verify", "content-length: 200000000\r\n"))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"application/problem+json" in answer


def test_content_length_over_the_limit_with_the_body_sent_is_413(server):
    body = b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    answer = _raw(server, _post("/credentials/verify", f"content-length: {len(body)}\r\n", body))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


@pytest.mark.parametrize("length", ["abc", "-5", "1e3"])
def test_content_length_not_a_number_is_400(server, length):
    answer = _raw(server, _post("/credentials/verify", f"content-length: {length}\r\n", b"{}"))
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]


def test_content_length_shorter_than_the_body_reads_only_what_it_says(server):
    # 5 bytes announced of a longer JSON object: the server parses '{"ver' and refuses it as bad JSON
    body = b'{"verifiableCredential": {}}'
    answer = _raw(server, _post("/credentials/verify", "content-length: 5\r\nconnection: close\r\n", body))
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"application/problem+json" in answer


def test_missing_content_length_and_no_body_is_bad_json(server):
    answer = _raw(server, _post("/credentials/verify", "connection: close\r\n"))
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]


def test_request_past_its_timeout_is_503_and_the_server_keeps_serving(tmp_path, demo_dir):
    import json

    vc = json.loads((demo_dir / "transcript.json").read_text())
    with running_server(tmp_path, request_timeout=0.0) as srv, srv.client() as client:
        for _ in range(2):  # the worker left behind does not block the next request
            body = assert_problem(client.post("/credentials/verify", json={"verifiableCredential": vc}), 503)
            assert body["type"].endswith("/timeout") and "longer than 0 s" in body["detail"]
        assert client.get("/openapi.json").status_code == 200
