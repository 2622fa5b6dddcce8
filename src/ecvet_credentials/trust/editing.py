"""Build and edit a trust registry file (`ecvet trust init|add|remove|partner|list`).

Every change raises `version` by one and drops the anchor's proof (it no longer covers the file): the
publisher signs again (`ecvet trust sign`) before publishing, and subscribers accept the new edition
because its version is higher.
"""
from __future__ import annotations

import json
from pathlib import Path

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.core.files import atomic_write_text
from ecvet_credentials.trust.registry import ROLES, parse_trust_registry

DEFAULT_REGISTRY_TTL = "1d"


def new_registry(name: str, *, ttl: str = DEFAULT_REGISTRY_TTL, valid_until: str | None = None) -> dict:
    data = {"version": 1, "name": name, "ttl": ttl, "institutions": [], "partnerships": []}
    if valid_until:
        data["validUntil"] = valid_until
    parse_trust_registry(data, source="new registry")  # refuse a bad ttl / date now, not at verify time
    return data


def read_registry(path: Path) -> dict:
    from ecvet_credentials.jsonld.limits import parse_json

    data = parse_json(Path(path).read_bytes(), source=str(path))
    parse_trust_registry(data, source=str(path))
    return data


def write_registry(path: Path, data: dict) -> None:
    parse_trust_registry(data, source=str(path))
    atomic_write_text(Path(path), json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _changed(data: dict) -> dict:
    data.pop("proof", None)
    data["version"] = int(data.get("version") or 0) + 1
    return data


def institution_entry(did_or_document: str | dict, *, name: str, country: str | None, roles: list[str],
                      status_prefixes: list[str]) -> dict:
    """A registry entry from a DID or a DID document (did:web: its document travels in the registry)."""
    bad_roles = [r for r in roles if r not in ROLES]
    if bad_roles or not roles:
        raise InputError(f"--role must be one of {', '.join(ROLES)} (repeatable); got {', '.join(roles) or 'none'}.")
    for prefix in status_prefixes:
        if not prefix.startswith("https://"):
            raise InputError(f"--status-prefix {prefix!r} must be an https:// URL (where the institution's "
                             "status lists are published, e.g. https://school.example/status/).")
    document = did_or_document if isinstance(did_or_document, dict) else None
    did = document.get("id") if document else did_or_document
    if not isinstance(did, str) or not did.startswith("did:"):
        raise InputError("give a DID (did:key:..., did:web:...) or a did.json file with an 'id'.")
    entry: dict = {"did": did, "name": name, "roles": roles}
    if country:
        entry["country"] = country.upper()
    if status_prefixes:
        entry["statusListPrefixes"] = [p if p.endswith("/") else p + "/" for p in status_prefixes]
    if document is not None and not did.startswith("did:key:"):  # a did:key is its own document
        entry["didDocument"] = document
    return entry


def add_institution(data: dict, entry: dict) -> tuple[dict, bool]:
    """The registry with `entry` added, or replacing the entry with the same DID. (data, replaced)."""
    institutions = [i for i in data.get("institutions", []) if i.get("did") != entry["did"]]
    replaced = len(institutions) != len(data.get("institutions", []))
    data["institutions"] = institutions + [entry]
    return _changed(data), replaced


def remove_institution(data: dict, did: str) -> dict:
    institutions = [i for i in data.get("institutions", []) if i.get("did") != did]
    if len(institutions) == len(data.get("institutions", [])):
        raise InputError(f"{did} is not in the registry (see ecvet trust list).")
    data["institutions"] = institutions
    return _changed(data)


def add_partnership(data: dict, members: list[str], *, partnership_id: str, valid_from: str | None,
                    valid_until: str | None) -> dict:
    """The registry with an MoU partnership between `members` (institutions it lists), valid over the
    period; recognition needs one between host and home on the mobility dates."""
    listed = {i.get("did") for i in data.get("institutions", [])}
    unknown = [m for m in members if m not in listed]
    if len(set(members)) < 2 or unknown:
        raise InputError("an MoU partnership links at least two institutions the registry lists"
                         + (f"; not listed: {', '.join(unknown)} (add them first)" if unknown else "."))
    entry: dict = {"id": partnership_id, "type": "MoU", "members": list(dict.fromkeys(members))}
    for key, value in (("validFrom", valid_from), ("validUntil", valid_until)):
        if value:
            entry[key] = value if "T" in value else f"{value}T00:00:00Z" if key == "validFrom" else f"{value}T23:59:59Z"
    data["partnerships"] = [p for p in data.get("partnerships", []) if p.get("id") != partnership_id] + [entry]
    return _changed(data)
