"""Reading requests safely: bearer token, content type, bounded JSON, uploads, and CPU work off the
event loop with a deadline. Every failure is a Problem (4xx), never an exception escaping as a 500."""
from __future__ import annotations

import hmac
import threading
from typing import Any, Callable

import anyio
from starlette.requests import Request

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.serve.limits import BodyTooLarge
from ecvet_credentials.serve.problems import Problem

JSON_TYPES = ("application/json", "application/ld+json", "application/vc", "application/vp")


def service_of(request: Request):
    return request.app.state.service


def require_token(request: Request) -> None:
    """Bearer token from the config, compared in constant time."""
    token = service_of(request).token
    if not token:
        raise Problem(403, "Changing anything is disabled on this server: no API token is configured "
                           "(set auth.token_env in the config).", type_="writes-disabled")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Problem(401, "This endpoint needs the API token: send 'Authorization: Bearer <token>'.",
                      headers={"WWW-Authenticate": 'Bearer realm="ecvet"'})
    if not hmac.compare_digest(given.strip().encode("utf-8", "surrogatepass"), token.encode("utf-8")):
        raise Problem(401, "The API token is wrong.",
                      headers={"WWW-Authenticate": 'Bearer realm="ecvet", error="invalid_token"'})


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def is_json_type(mt: str) -> bool:
    return mt in JSON_TYPES or (mt.startswith("application/") and mt.endswith("+json"))


async def read_body(request: Request) -> bytes:
    try:
        return await request.body()
    except BodyTooLarge:
        raise Problem(413, "The request body is too large for this endpoint.") from None


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object, under the configured byte limit and the project's JSON bounds."""
    from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, parse_json
    from dataclasses import replace

    mt = media_type(request)
    if not is_json_type(mt):
        raise Problem(415, f"Send JSON with 'Content-Type: application/json' (got {mt or 'no content type'!r}).")
    data = await read_body(request)
    if not data:
        raise Problem(400, "The request body is empty; send a JSON object.")
    limits = replace(DEFAULT_LIMITS, max_bytes=service_of(request).config.max_json_bytes)
    try:
        # in a worker thread: parsing a 1 MB body takes tens of ms, which on the event loop stalls every connection
        value = await anyio.to_thread.run_sync(lambda: parse_json(data, limits=limits, source=_("the request body")))
    except InputError as exc:
        # too many bytes is 413; told by the limit's name, not by the words of a message that may be translated
        raise Problem(413 if exc.code == "LIMIT_EXCEEDED" and exc.details.get("limit") == "max_bytes" else 400, str(exc),
                      code=exc.code) from None
    if not isinstance(value, dict):
        raise Problem(400, "The request body must be a JSON object.")
    return value


def member(body: dict, name: str, kind: type | tuple, *, required: bool = True, what: str = "") -> Any:
    value = body.get(name)
    if value is None:
        if required:
            raise Problem(400, f"The request needs '{name}'{' (' + what + ')' if what else ''}.")
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = {dict: "a JSON object", list: "an array", str: "a string", bool: "true or false"}
        expected = names.get(kind, "of another type") if isinstance(kind, type) else "of another type"
        raise Problem(400, f"'{name}' must be {expected}.")
    return value


async def run_bounded(request: Request, fn: Callable, *args, **kwargs):
    """Run CPU-bound work in a worker thread; past the configured timeout answer 503. A thread cannot be
    killed, so the work is told to stop (jsonld.limits.check_cancelled, polled by proof checking and
    canonicalization) when the request times out or the client disconnects."""
    from ecvet_credentials.jsonld.limits import cancel_on

    timeout = service_of(request).config.request_timeout
    cancel = threading.Event()

    def work():
        with cancel_on(cancel):
            return fn(*args, **kwargs)

    result = _NOTHING
    try:
        with anyio.fail_after(timeout):
            async with anyio.create_task_group() as group:
                # Done: end the watcher alone. Cancelling the group would also throw a cancellation into this
                # task, whose trace events (CPython 3.11) throw coverage off: the callers' lines went unmeasured.
                watching = anyio.CancelScope()
                if getattr(request, "_stream_consumed", False):  # body read: receive() now only says "gone"
                    group.start_soon(_stop_on_disconnect, request, group.cancel_scope, watching)
                result = await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
                watching.cancel()
    except TimeoutError:
        raise Problem(503, f"The request took longer than {timeout:g} s; try again later.", type_="timeout") from None
    except BaseExceptionGroup as group_error:  # the task group wraps the work's own error: raise it as is
        while isinstance(group_error, BaseExceptionGroup) and len(group_error.exceptions) == 1:
            group_error = group_error.exceptions[0]
        raise group_error from None
    finally:
        cancel.set()  # work whose request gave up stops at its next check
    if result is _NOTHING:  # the client disconnected: no one will read this answer
        raise Problem(400, "The client closed the connection before the answer was ready.")
    return result


_NOTHING = object()


async def _stop_on_disconnect(request: Request, scope, watching) -> None:
    with watching:
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                scope.cancel()
                return


async def form_fields(request: Request, *, file_fields: tuple[str, ...], text_fields: tuple[str, ...],
                      multi_files: tuple[str, ...] = (), max_files: int | None = None):
    """A multipart form: {name: bytes} for files (empty ones dropped; a list of bytes for `multi_files`
    fields, at most `max_files` files in all) and {name: str} for texts."""
    cfg = service_of(request).config
    max_files = max_files or len(file_fields)
    try:
        form = await request.form(max_files=max_files, max_fields=max_files + len(text_fields) + 2,
                                  max_part_size=cfg.max_json_bytes)
    except BodyTooLarge:
        raise Problem(413, "The upload is too large.") from None
    files: dict[str, Any] = {}   # name -> bytes, or a list of bytes for a field taking several files
    texts: dict[str, str] = {}
    try:
        for name, value in form.multi_items():
            if hasattr(value, "read"):
                if name not in file_fields:
                    raise Problem(400, f"Unexpected file field '{name}' (expected {', '.join(file_fields)}).")
                data = await value.read(cfg.max_image_bytes + 1)
                if len(data) > cfg.max_image_bytes:
                    raise Problem(413, f"The file '{name}' is larger than {cfg.max_image_bytes:,} bytes.")
                if data and name in multi_files:
                    files.setdefault(name, []).append(data)
                elif data:
                    files[name] = data
            elif name in text_fields:
                if value.strip():
                    texts[name] = value
            else:
                raise Problem(400, f"Unexpected form field '{name}'.")
    finally:
        await form.close()
    return files, texts
