"""RFC 9457 problem details: every error answer is `application/problem+json` with type, title,
status and detail, never a stack trace (the catch-all logs the exception and says only "internal error")."""
from __future__ import annotations

import json
import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

log = logging.getLogger("ecvet.serve")
PROBLEM_BASE = "https://w3id.org/ecvet-credentials/problems/"
TITLES = {
    400: "Bad request", 401: "Authentication required", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 413: "Request too large", 415: "Unsupported media type",
    422: "Unprocessable content", 500: "Internal error", 503: "Service unavailable", 504: "Timed out",
}


class Problem(Exception):
    """Raise anywhere in a route: becomes a problem-details answer."""

    def __init__(self, status: int, detail: str, *, type_: str | None = None, title: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.status, self.detail, self.headers, self.extra = status, detail, headers or {}, extra
        self.type = PROBLEM_BASE + (type_ or TITLES.get(status, "error").lower().replace(" ", "-"))
        self.title = title or TITLES.get(status, "Error")


class ProblemResponse(Response):
    media_type = "application/problem+json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False).encode("utf-8")


def problem_response(p: Problem) -> Response:
    body = {"type": p.type, "title": p.title, "status": p.status, "detail": p.detail, **p.extra}
    return ProblemResponse(body, status_code=p.status, headers=p.headers)


def problem(status: int, detail: str, **kw: Any) -> Response:
    return problem_response(Problem(status, detail, **kw))


async def on_problem(request: Request, exc: Problem) -> Response:
    return problem_response(exc)


async def on_http_exception(request: Request, exc: HTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
    if exc.status_code == 404:
        detail = f"There is nothing at {request.url.path}; see /openapi.json for the endpoints."
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}; see /openapi.json."
    return problem(exc.status_code, detail, headers=dict(exc.headers or {}))


async def on_error(request: Request, exc: Exception) -> Response:
    # Logged here with the traceback; the client learns only that it was our fault.
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "The server could not complete the request (an internal error, logged). Try again later.")
