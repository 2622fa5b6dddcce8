"""The bundled context registry and the offline document loader.

Only contexts listed in contexts/index.json are served, each checked against its pinned SHA-256.
Any other URL is an error: nothing is ever fetched.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from ecvet_credentials.core.errors import UnknownContextError
from ecvet_credentials.core.paths import data_dir

NOT_SUPPORTED = "This version does not support it yet: contexts are built in and nothing is fetched."


@dataclass(frozen=True)
class BundledContext:
    url: str
    path: Path
    sha256: str
    document: dict[str, Any]


class ContextRegistry:
    """Maps context URLs to their bundled, pinned documents."""

    def __init__(self, root: Path | None = None):
        self.root = root or data_dir("contexts")
        index = json.loads((self.root / "index.json").read_text(encoding="utf-8"))
        self._entries = index["contexts"]
        self._cache: dict[str, BundledContext] = {}

    def urls(self) -> list[str]:
        return list(self._entries)

    def __contains__(self, url: object) -> bool:
        return url in self._entries

    def get(self, url: str) -> BundledContext:
        cached = self._cache.get(url)
        if cached is not None:
            return cached
        entry = self._entries.get(url)
        if entry is None:
            raise UnknownContextError(f"Unknown JSON-LD context {url!r}. {NOT_SUPPORTED}", details={"url": url})
        path = self.root / entry["file"]
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry["sha256"]:
            # A pinned file changed on disk: refuse rather than sign or verify against other terms.
            raise UnknownContextError(
                f"Bundled context {url!r} does not match its pinned SHA-256 ({path}); reinstall the package.",
                code="CONTEXT_PIN_MISMATCH",
                details={"url": url},
            )
        ctx = BundledContext(url=url, path=path, sha256=digest, document=json.loads(data))
        self._cache[url] = ctx
        return ctx

    def document_loader(self) -> Callable[..., dict[str, Any]]:
        """A pyld-compatible loader: serves bundled contexts, raises UnknownContextError otherwise."""

        def load(url: str, options: object = None) -> dict[str, Any]:
            ctx = self.get(url)
            return {"contextUrl": None, "documentUrl": url, "document": ctx.document}

        return load


@lru_cache(maxsize=1)
def default_registry() -> ContextRegistry:
    return ContextRegistry()
