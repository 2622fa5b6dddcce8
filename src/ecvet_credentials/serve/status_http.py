"""GET /status/<id>: a signed status list with content negotiation and cache validators.

`application/vc` by default (the Bitstring Status List media type), or the first of
`application/vc+ld+json`, `application/ld+json`, `application/json` the client prefers (same body). Cache-Control
follows the list's ttl (at most 5 minutes: a revocation should reach verifiers soon); the ETag is the
digest of the exact bytes, so a revalidation (If-None-Match) costs a 304 and no body.
"""
from __future__ import annotations

import hashlib
import json
from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import Response

from ecvet_credentials.core.timeutil import parse_datetime

STATUS_MEDIA_TYPES = ("application/vc", "application/vc+ld+json", "application/ld+json", "application/json")
MAX_CACHE_SECONDS = 300


def negotiated_type(accept: str) -> str:
    """The same signed credential, labelled with the first media type the client accepts (by q, then
    order): clients that read only JSON types (the W3C suites' HTTP client) get application/json."""
    ranked = []
    for n, part in enumerate(accept.split(",")):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name.strip().lower() in STATUS_MEDIA_TYPES and q > 0:
            ranked.append((-q, n, name.strip().lower()))
    return min(ranked)[2] if ranked else "application/vc"  # */*, nothing usable or no header: the list's type


def status_list_response(request: Request, doc: dict) -> Response:
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    subject: dict = doc["credentialSubject"] if isinstance(doc.get("credentialSubject"), dict) else {}
    ttl = subject.get("ttl")
    max_age = MAX_CACHE_SECONDS
    if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl > 0:
        max_age = min(MAX_CACHE_SECONDS, ttl // 1000)
    headers = {"Cache-Control": f"public, max-age={max_age}", "ETag": etag, "Vary": "Accept"}
    issued = parse_datetime(doc.get("validFrom"))
    if issued is not None:
        headers["Last-Modified"] = format_datetime(issued, usegmt=True)
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    media = negotiated_type(request.headers.get("accept", ""))
    return Response(body, media_type=media, headers=headers)
