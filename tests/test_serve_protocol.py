"""The connection bounds of `ecvet serve` (serve/protocol.py), small and fast: a short read deadline
and a small connection cap, so the behaviour shows in well under a second per case."""
from __future__ import annotations

import socket
import time

import pytest

from serve_helpers import running_server

from ecvet_credentials.serve.protocol import GuardedH11Protocol, server_options


class QuickGuard(GuardedH11Protocol):
    read_timeout = 0.3
    max_connections = 4


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    options = dict(server_options(), http=QuickGuard, limit_concurrency=50)
    with running_server(tmp_path_factory.mktemp("protocol-home"), uvicorn_options=options) as running:
        yield running


def connect(server) -> socket.socket:
    host, port = server.url.rsplit("/", 1)[1].split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes (bounded by the socket timeout)."""
    chunks = []
    while True:
        try:
            chunk = sock.recv(4096)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_production_settings_use_the_guarded_protocol():
    options = server_options()
    assert options["http"] is GuardedH11Protocol
    assert options["limit_concurrency"] > GuardedH11Protocol.max_connections


def test_a_socket_that_sends_nothing_is_closed_silently(server):
    with connect(server) as sock:
        started = time.monotonic()
        assert read_all(sock) == b""
        assert time.monotonic() - started < 4


@pytest.mark.parametrize("partial", [
    b"G",                                                     # a header a byte at a time
    b"GET /openapi.json HTTP/1.1\r\nhost: x\r\n",             # headers never finished
    b"POST /credentials/verify HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
    b"content-length: 1000\r\n\r\n{\"a\": ",                  # a body that never comes
])
def test_a_slow_request_gets_408_and_is_closed(server, partial):
    with connect(server) as sock:
        sock.sendall(partial)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]


def test_idle_connections_make_room_for_a_real_request(server):
    idle = [connect(server) for _ in range(12)]
    try:
        with server.client() as client:
            response = client.get("/openapi.json")
        assert response.status_code == 200
        closed = 0
        for sock in idle[:8]:  # the oldest idle ones were evicted
            sock.settimeout(2)
            closed += read_all(sock) == b""
        assert closed >= 8
    finally:
        for sock in idle:
            sock.close()


def test_a_request_in_work_is_not_cut(server):
    """The read deadline is about the client's bytes: a complete request is answered."""
    with server.client() as client:
        for _ in range(3):
            assert client.get("/openapi.json").status_code == 200
            time.sleep(0.35)  # keep-alive across more than one read deadline
