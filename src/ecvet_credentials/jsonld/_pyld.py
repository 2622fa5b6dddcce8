"""Import pyld without the HTTP stack it sets up as its default document loader.

At import, pyld builds a `requests` document loader (requests, urllib3, certifi: about a third of
pyld's import time). We never use it: every pyld call here passes the offline, pinned-context
loader. So `requests` is hidden while pyld imports, and pyld falls back to its dummy loader, which
fetches nothing (offline by construction). Import this module before any `from pyld import ...`.
"""
from __future__ import annotations

import sys

if "pyld.jsonld" not in sys.modules and "requests" not in sys.modules:
    sys.modules["requests"] = None  # type: ignore[assignment]  # makes `import requests` raise ImportError
    try:
        import pyld.jsonld  # noqa: F401
    finally:
        if sys.modules.get("requests", 0) is None:
            del sys.modules["requests"]
