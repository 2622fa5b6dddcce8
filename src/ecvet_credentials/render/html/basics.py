"""The small pieces every HTML view uses: escaping, a concept IRI in words, a reference with its digest."""
from __future__ import annotations

from html import escape
from typing import Any

from ecvet_credentials.i18n import Messages


def esc(value: Any) -> str:
    return escape(str(value), quote=True)


def concept(m: Messages, prefix: str, iri: str | None, table: dict[str, str]) -> str | None:
    """A concept IRI in words: the catalogue's label, else its short authoring name, else the IRI."""
    from ecvet_credentials.model.concepts import key_of

    if not iri:
        return None
    key = key_of(iri, table)
    return key.replace("-", " ") if key != iri else iri


def ref(ref) -> str | None:
    if ref is None:
        return None
    return f"{ref.id} (SHA-256 {ref.digest_multibase})" if ref.digest_multibase else ref.id
