"""Documents that are credentials of another format or vocabulary this version cannot read yet:
say plainly what they are and that they are not supported yet (never advice to edit contexts/)."""
from __future__ import annotations

EUROPASS_CONTEXT_PREFIXES = ("http://data.europa.eu/snb/model/context/", "https://data.europa.eu/snb/model/context/")
UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT"


def is_sealed_europass(doc: object) -> bool:
    """A Europass (EDC) credential sealed with JAdES in the JWS JSON serialization: the credential is the
    `payload` string, the eSeals are `signatures` (no @context or type at the top level)."""
    return (isinstance(doc, dict) and isinstance(doc.get("payload"), str) and isinstance(doc.get("signatures"), list)
            and "@context" not in doc)


def unsupported_format_message(doc: object) -> str | None:
    """A plain sentence for a document in a credential format this version does not read, else None."""
    if is_sealed_europass(doc):
        return ("This is a sealed Europass credential (a JAdES eSeal over its content, {payload, signatures}). "
                "Reading Europass credentials is not supported yet, so this document cannot be checked here.")
    return None


def unknown_context_message(url: str, *, name: str = "The document") -> str:
    """Why a document with the context `url` cannot be read (contexts are bundled; nothing is fetched)."""
    if url.startswith(EUROPASS_CONTEXT_PREFIXES):
        return (f"{name} is a Europass credential (it uses the Europass context {url}). Reading Europass "
                "credentials is not supported yet, so it cannot be checked here.")
    return (f"{name} uses the JSON-LD context {url}, which this version does not support yet (contexts are "
            "built in and nothing is fetched), so its terms cannot be read and it cannot be checked here.")
