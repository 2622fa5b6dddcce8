"""The verification page for people with no account: GET / (a plain form) and POST /verify/upload
(a server-rendered result). It works without JavaScript; page.js only adds drag and drop.

One submission may hold several files (QR photos, credential JSON, our printable HTML or PDF), a photo
taken with the phone's camera, and pasted texts (credential JSON or QR texts, one code per line): every
QR code found is put together, so a transcript in two codes checks from two files, one photo of both, or
two pasted texts. A presentation is checked against the challenge the form carried."""
from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import Messages, negotiate, use_language
from ecvet_credentials.serve import challenge as challenges
from ecvet_credentials.serve import render
from ecvet_credentials.serve.documents import document_from_parts, parse_object
from ecvet_credentials.serve.problems import Problem
from ecvet_credentials.serve.requests import form_fields, media_type, run_bounded, service_of

STATIC = Path(__file__).resolve().parent / "static"
_STATIC_TYPES = {"page.css": "text/css; charset=utf-8", "page.js": "text/javascript; charset=utf-8"}
MAX_PAGE_FILES = 8


def messages(request: Request) -> Messages:
    return Messages(negotiate(request.query_params.get("lang"), request.headers.get("accept-language")))


def html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={"Vary": "Accept-Language"})


def _page(m: Messages, body: str, *, status: int = 200, title: str | None = None) -> HTMLResponse:
    response = html(render.page(m, body, title=title), status)
    response.headers["Content-Language"] = m.lang
    return response


async def index(request: Request) -> Response:
    m = messages(request)
    return _page(m, render.form(m, challenges.issue()))


async def upload(request: Request) -> Response:
    m = messages(request)
    if media_type(request) not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return _page(m, render.error(m, m("Send the form (multipart/form-data).")), status=415)
    service = service_of(request)
    try:
        files, texts = await form_fields(request, file_fields=("file", "photo", "agreement"),
                                         text_fields=("text", "challenge"), multi_files=("file", "photo"),
                                         max_files=MAX_PAGE_FILES)
    except Problem as p:
        return _page(m, render.error(m, p.detail), status=p.status)
    uploads = files.get("file", []) + files.get("photo", [])
    text = texts.get("text")
    if not uploads and text is None:
        return _page(m, render.error(m, m("Choose a file or paste the credential first.")), status=400)

    def work():
        with use_language(m.lang):  # check and error messages in the page's language
            limit = service.config.max_json_bytes
            agreement = None
            if "agreement" in files:
                agreement = parse_object(files["agreement"], name=m("the Learning Agreement file"), max_bytes=limit)
            document = document_from_parts(uploads, text, agreement=agreement, max_bytes=limit)
            given, refused = None, None
            if _is_presentation(document):  # only a challenge this page issued, once, counts
                given = texts.get("challenge", "")
                refused = challenges.accept(given)
            report = service.verify(document, agreement=agreement, challenge=given if refused is None else None)
            return document, report, refused

    try:
        document, report, refused = await run_bounded(request, work)
    except InputError as exc:
        return _page(m, render.error(m, str(exc)), status=400)
    except Problem as p:
        return _page(m, render.error(m, p.detail), status=p.status)
    title = f"{render.verdict_words(m, report)[0]}: {m('Check an ECVET credential')}"
    return _page(m, render.result(m, report, document, challenge_note=m(refused) if refused else None), title=title)


def _is_presentation(document: dict) -> bool:
    types = document.get("type")
    return "VerifiablePresentation" in (types if isinstance(types, list) else [types])


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
