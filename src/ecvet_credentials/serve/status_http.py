"""GET /status/<id>: a signed status list with content negotiation and cache validators.

`application/vc` by default (the Bitstring Status List media type); `application/json` or
`application/ld+json` when the client asks for one of them and not for application/vc. Cache-Control
follows the list's ttl (at most 5 minutes: a revocation should reach verifiers soon); the ETag is the
digest of the exact bytes, so a revalidation (If-None-Match) costs a 304 and no body.
"""
from __future__ import annotations

import hashlib
import json
from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import Response

from ..timeutil import parse_datetime

VC_TYPE = "application/vc"
JSON_TYPES = ("application/ld+json", "application/json")
MAX_CACHE_SECONDS = 300


def negotiated_type(accept: str) -> str:
    """The media type to answer with, from an Accept header (q-values honoured roughly: q=0 excludes)."""
    offered: dict[str, float] = {}
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media:
            offered[media] = max(q, offered.get(media, 0.0))
    best = max((offered.get(t, 0.0), -i, t) for i, t in enumerate((VC_TYPE, *JSON_TYPES)))
    if best[0] > 0:
        return best[2]
    return VC_TYPE  # */*, nothing usable, or no header: the list's own type


def status_list_response(request: Request, doc: dict) -> Response:
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    subject = doc.get("credentialSubject") if isinstance(doc.get("credentialSubject"), dict) else {}
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
