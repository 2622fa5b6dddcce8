"""The HTTP/1.1 protocol `ecvet serve` runs: uvicorn's h11 protocol with the two bounds it lacks.

- A read deadline: a request (head and body) must arrive within `READ_TIMEOUT` seconds of the
  connection opening or of the client starting it. uvicorn only times out idle keep-alive
  connections after a response; a socket that sends nothing, or a header or body a byte at a time
  (slowloris), would otherwise be held for ever. Cut off: `408` when part of a request came, else
  a silent close; the app's `receive` then sees a disconnect.
- Idle connections never lock others out: uvicorn answers 503 to everyone once `limit_concurrency`
  connections are open, idle or not. Past `MAX_CONNECTIONS`, the oldest connection whose request
  is not complete is closed to make room; requests being answered are never touched.
"""
from __future__ import annotations

import asyncio
import time

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

READ_TIMEOUT = 10.0
MAX_CONNECTIONS = 200  # below uvicorn's limit_concurrency (serve_cmd), which then only counts tasks
_TIMEOUT_RESPONSE = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\ncontent-length: 33\r\n"
                     b"connection: close\r\n\r\nThe request took too long to send.")


class GuardedH11Protocol(H11Protocol):
    read_timeout = READ_TIMEOUT
    max_connections = MAX_CONNECTIONS

    _read_timer: asyncio.TimerHandle | None

    def connection_made(self, transport) -> None:  # noqa: ANN001
        self.opened_at = time.monotonic()
        self._read_timer = None
        self._partial = False
        super().connection_made(transport)
        self._arm()
        self._evict_if_full()

    def connection_lost(self, exc) -> None:  # noqa: ANN001
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE or self.conn.their_state is h11.SEND_BODY:
            self._partial = True
            if self._read_timer is None:
                self._arm()  # a new request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self._disarm()  # the request is complete (or the connection is done): the app has it now
            self._partial = False

    def on_response_complete(self) -> None:
        self._partial = False
        super().on_response_complete()  # arms uvicorn's keep-alive timer for the idle wait

    # --- the read deadline ----------------------------------------------------------------------
    def _arm(self) -> None:
        self._disarm()
        self._read_timer = self.loop.call_later(self.read_timeout, self._read_timed_out)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if self.transport.is_closing() or not self._waiting_for_client():
            return
        cycle = self.cycle
        answering = cycle is not None and cycle.response_started and not cycle.response_complete
        if self._partial and not answering:
            self.transport.write(_TIMEOUT_RESPONSE)
        self.transport.close()

    def _waiting_for_client(self) -> bool:
        """True while the client still owes us (part of) a request."""
        return self.conn.their_state is h11.IDLE or self.conn.their_state is h11.SEND_BODY

    # --- idle connections make room ------------------------------------------------------------
    def _evict_if_full(self) -> None:
        excess = len(self.connections) - self.max_connections
        if excess <= 0:
            return
        idle = sorted((c for c in self.connections if c is not self and isinstance(c, GuardedH11Protocol)
                       and c._waiting_for_client() and not c.transport.is_closing()),
                      key=lambda c: c.opened_at)
        for victim in idle[:excess]:
            victim._disarm()
            victim.transport.close()


def server_options() -> dict:
    """uvicorn settings for `ecvet serve`: this protocol, a short keep-alive, a cap on requests in work."""
    return dict(http=GuardedH11Protocol, timeout_keep_alive=5, limit_concurrency=MAX_CONNECTIONS + 56)

