"""The app factory: one Starlette app with the VC-API routes, the verification page and /openapi.json,
wrapped in the body-size limit; every error is problem details (or, on the page, an HTML message)."""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ecvet_credentials.serve import api, page
from ecvet_credentials.serve.config import ServeConfig, load_config
from ecvet_credentials.serve.limits import BodyLimitMiddleware, BodyTooLarge
from ecvet_credentials.serve.openapi import document
from ecvet_credentials.serve.problems import Problem, on_error, on_http_exception, on_problem, problem

CONFIG_ENV = "ECVET_SERVE_CONFIG_JSON"   # how `ecvet serve --workers N` hands the settings to each worker

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                 b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


async def openapi(request: Request):
    return JSONResponse(document())


async def on_too_large(request: Request, exc: BodyTooLarge):
    return problem(413, "The request body is too large for this endpoint.")


def _headers(app):
    async def wrapped(scope, receive, send):
        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)
        await app(scope, receive, send_with_headers if scope["type"] == "http" else send)
    return wrapped


def create_app(config: ServeConfig, *, service=None):
    """The ASGI app. `service` (a serve.service.Service) is built from `config` at startup if not given."""
    from ecvet_credentials.serve.service import Service

    @contextlib.asynccontextmanager
    async def lifespan(app):
        from ecvet_credentials.serve.memory import tune_allocator, trim_periodically

        tune_allocator()
        trimmer = asyncio.get_running_loop().create_task(trim_periodically())  # RSS returns after a flood
        own = service is None
        app.state.service = service or Service(config)
        try:
            yield
        finally:
            trimmer.cancel()
            if own:
                app.state.service.close()

    # Starlette types every handler as taking any Exception; each of ours takes the class it is registered for.
    handlers: dict[Any, Any] = {Problem: on_problem, HTTPException: on_http_exception, BodyTooLarge: on_too_large,
                                Exception: on_error}
    app = Starlette(
        routes=[*page.ROUTES, *api.ROUTES, Route("/openapi.json", openapi, methods=["GET"])],
        exception_handlers=handlers,
        lifespan=lifespan,
    )
    return _headers(BodyLimitMiddleware(app, json_limit=config.max_json_bytes, image_limit=config.max_image_bytes))


def app_from_env():
    """uvicorn factory for worker processes: the settings come from the parent through the environment."""
    raw = json.loads(os.environ[CONFIG_ENV])
    for name in ("key", "status_directory", "trust_registry", "home"):
        if raw.get(name) is not None:
            raw[name] = Path(raw[name])
    raw["status_allowed_hosts"] = tuple(raw.get("status_allowed_hosts") or ())
    return create_app(ServeConfig(**raw))


def config_to_env(config: ServeConfig) -> str:
    from dataclasses import asdict

    return json.dumps({k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(config).items()})


__all__ = ["create_app", "load_config", "app_from_env"]
