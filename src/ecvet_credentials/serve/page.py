"""The verification page for people with no account: GET / (a plain form) and POST /verify/upload
(a server-rendered result). It works without JavaScript; page.js only adds drag and drop."""
from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from ..errors import InputError
from . import render
from .documents import document_from_text, document_from_upload, parse_object
from ..i18n import Messages, negotiate
from .problems import Problem
from .requests import form_fields, media_type, run_bounded, service_of

STATIC = Path(__file__).resolve().parent / "static"
_STATIC_TYPES = {"page.css": "text/css; charset=utf-8", "page.js": "text/javascript; charset=utf-8"}


def messages(request: Request) -> Messages:
    return Messages(negotiate(request.query_params.get("lang"), request.headers.get("accept-language")))


def html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status)


async def index(request: Request) -> Response:
    m = messages(request)
    return html(render.page(m, render.form(m)))


async def upload(request: Request) -> Response:
    m = messages(request)
    if media_type(request) not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return html(render.page(m, render.error(m, "Send the form (multipart/form-data).")), 415)
    service = service_of(request)
    try:
        files, texts = await form_fields(request, file_fields=("file", "agreement"), text_fields=("text",))
    except Problem as p:
        return html(render.page(m, render.error(m, p.detail)), p.status)
    data, text = files.get("file"), texts.get("text")
    if data is None and text is None:
        return html(render.page(m, render.error(m, m("Choose a file or paste the credential first."))), 400)
    if data is not None and text is not None:
        return html(render.page(m, render.error(m, m("Give either a file or pasted text, not both."))), 400)

    def work():
        limit = service.config.max_json_bytes
        agreement = None
        if "agreement" in files:
            agreement = parse_object(files["agreement"], name="the Learning Agreement file", max_bytes=limit)
        if data is not None:
            document = document_from_upload(data, name="the file", agreement=agreement, max_bytes=limit)
        else:
            document = document_from_text(text, agreement=agreement, max_bytes=limit)
        return document, service.verify(document, agreement=agreement)

    try:
        document, report = await run_bounded(request, work)
    except InputError as exc:
        return html(render.page(m, render.error(m, str(exc))), 400)
    except Problem as p:
        return html(render.page(m, render.error(m, p.detail)), p.status)
    verdict = (m("Verified") if report.verified else m("Not verified"))
    return html(render.page(m, render.result(m, report, document), title=f"{verdict}: {m('page.title')}"))


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _STATIC_TYPES:  # a fixed list: no path is ever built from the request
        raise Problem(404, f"No static file {name!r}.")
    return FileResponse(STATIC / name, media_type=_STATIC_TYPES[name], headers={"Cache-Control": "max-age=3600"})


ROUTES = [
    Route("/", index, methods=["GET"]),
    Route("/verify/upload", upload, methods=["POST"]),
    Route("/static/{name}", static, methods=["GET"]),
]
