"""`ecvet serve`: the VC-API service for institutions and the verification page for everyone else.

    from ecvet_credentials.serve import create_app, load_config
    app = create_app(load_config(Path("serve.toml")))    # an ASGI app (uvicorn, hypercorn...)

Modules: config (TOML), service (key, registry, trust, own status lists), api (VC-API routes),
page + render (the HTML page; its views and message catalogue are in ecvet_credentials.render.html), problems (RFC 9457), limits (body size), tls (dev certificate).
Needs the `serve` extra (starlette, uvicorn, python-multipart).
"""
from ecvet_credentials.serve.app import create_app
from ecvet_credentials.serve.config import ServeConfig, load_config

__all__ = ["ServeConfig", "create_app", "load_config"]
