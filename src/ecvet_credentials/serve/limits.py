"""Request bounds, checked before a body is read whole: a Content-Length over the limit is refused at
once (413); a body without one (chunked) is counted as it streams and refused when it passes the limit."""
from __future__ import annotations

import json

from ecvet_credentials.serve.problems import PROBLEM_BASE

# A refused body up to this size is read and dropped before the 413 is sent: a client still writing
# its body when the server answers and closes gets a connection reset instead of the answer.
DRAIN_MAX = 64 * 1024 * 1024

# Paths that take images (QR photos, the page's uploads); everything else gets the JSON limit.
IMAGE_PATHS = ("/verify/qr", "/verify/upload")


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    def __init__(self, app, *, json_limit: int, image_limit: int):
        self.app, self.json_limit, self.image_limit = app, json_limit, image_limit

    def limit_for(self, path: str) -> int:
        # a multipart upload may carry an image plus an agreement file: a little headroom
        return self.image_limit + self.json_limit if path in IMAGE_PATHS else self.json_limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        # uvicorn's HTTP parsers (h11, httptools) answer 400 themselves to a Content-Length that is not digits
        if length is not None and int(length) > limit:
            if int(length) <= DRAIN_MAX:
                await _drain(receive)
            return await _send_problem(send, 413, "Request too large", _too_large(limit))
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    if message.get("more_body"):
                        await _drain(receive, seen)
                    raise BodyTooLarge()
            return message

        # BodyTooLarge never comes back here: the routes read bodies through serve.requests (413 problem
        # details), and the app's handler for it (app.on_too_large) answers 413 for any other reader.
        await self.app(scope, counting_receive, send)


async def _drain(receive, seen: int = 0) -> None:
    """Read and drop the rest of a refused body (bounded by DRAIN_MAX)."""
    while seen <= DRAIN_MAX:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body"):
            return


def _too_large(limit: int) -> str:
    return f"The request body is larger than the limit of {limit:,} bytes for this endpoint."


async def _send_problem(send, status: int, title: str, detail: str) -> None:
    body = json.dumps({"type": PROBLEM_BASE + title.lower().replace(" ", "-"), "title": title,
                       "status": status, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
