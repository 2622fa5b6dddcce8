"""One loopback HTTP(S) server for tests of network code (no mock of the code under test).

Each test file says how its server answers (a `respond(path, headers)` function) and what it records;
the server itself, its thread and its shutdown are written once, here."""
from __future__ import annotations

import contextlib
import http.server
import ssl
import threading
from typing import Callable, Iterator, Mapping

# status, headers, body. A header valued None is left out; Content-Length is added unless given (or None).
Answer = tuple[int, Mapping[str, str | None], bytes]


@contextlib.contextmanager
def loopback_http(respond: Callable[[str, Mapping[str, str]], Answer], *,
                  tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """A server on 127.0.0.1 (a free port) answering every GET with respond(path, request headers);
    yields its base URL, http:// or https:// (with `tls`, a server context)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            status, headers, body = respond(self.path, self.headers)
            self.send_response(status)
            for name, value in headers.items():
                if value is not None:
                    self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: what some tests expect of it

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
