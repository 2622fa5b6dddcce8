"""A real uvicorn server on 127.0.0.1 (an OS-chosen free port) in a thread, for the `ecvet serve` tests.

The socket is bound before the server starts, so its port is known for the config (the status base
URL points at the server itself). Stopped by the fixture's teardown; a stuck server is abandoned
after a bounded wait (the thread is a daemon), never left blocking the run.
"""
from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterator


import httpx
import uvicorn  # noqa: E402

from ecvet_credentials.core.paths import data_dir  # noqa: E402
from ecvet_credentials.serve import ServeConfig, create_app  # noqa: E402

TOKEN = "test-token-0123456789"
KEYS = data_dir("keys-example")
PASSPHRASE = b"ecvet-example-do-not-use"


class RunningServer:
    def __init__(self, config: ServeConfig, sock: socket.socket, *, ssl: tuple[Path, Path] | None = None,
                 uvicorn_options: dict | None = None):
        self.config, self.sock = config, sock
        kw = dict(ssl_certfile=str(ssl[0]), ssl_keyfile=str(ssl[1])) if ssl else {}
        kw = {"timeout_keep_alive": 2, **kw, **(uvicorn_options or {})}
        self.server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", lifespan="on", **kw))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        host, port = sock.getsockname()[:2]
        self.url = f"{'https' if ssl else 'http'}://{host}:{port}"

    def start(self) -> "RunningServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()

    def client(self, **kw) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kw)

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {TOKEN}"}


def bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def running_server(home: Path, *, key: str = "host", ssl=None, uvicorn_options: dict | None = None,
                   **settings) -> Iterator[RunningServer]:
    sock = bound_socket()
    port = sock.getsockname()[1]
    scheme = "https" if ssl else "http"
    config = replace(ServeConfig(), host="127.0.0.1", port=port, key=KEYS / f"{key}.key", home=home,
                     db=str(home / "registry.sqlite"), token=TOKEN, status_base_url=f"{scheme}://127.0.0.1:{port}/status",
                     request_timeout=30.0)
    config = replace(config, **settings)
    server = RunningServer(config, sock, ssl=ssl, uvicorn_options=uvicorn_options).start()
    try:
        yield server
    finally:
        server.stop()


def unsigned_transcript(**learner) -> dict:
    """The example transcript as an unsigned credential (issuer: the example host)."""
    from dataclasses import replace as dc_replace

    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_transcript_credential

    authored = load(data_dir("examples") / "transcript.yaml", expect="transcript")
    model = authored.model
    if learner:
        model = dc_replace(model, learner=dc_replace(model.learner, **learner))
    return build_transcript_credential(model, valid_from=authored.valid_from, valid_until=authored.valid_until)


def assert_problem(response: httpx.Response, status: int | tuple[int, ...]) -> dict:
    """A 4xx problem-details answer with the RFC 9457 members and no internals."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    for name in ("type", "title", "status", "detail"):
        assert name in body, body
    assert body["status"] == response.status_code
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


def dumps(doc) -> bytes:
    return json.dumps(doc).encode()
