"""`credentialStatus` entries: building them for issuance and parsing them for verification."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from ecvet_credentials.core.errors import StatusListError
from ecvet_credentials.i18n import _

PURPOSES = ("revocation", "suspension")
ENTRY_TYPE = "BitstringStatusListEntry"
# A decimal index without sign or leading zeros; 10 digits bound it well above any list size.
_INDEX_RE = re.compile(r"0|[1-9][0-9]{0,9}")


@dataclass(frozen=True)
class StatusEntry:
    purpose: str
    index: int
    list_url: str
    entry_id: str | None = None


def status_entries(
    list_url_by_purpose: Mapping[str, str], index_by_purpose: Mapping[str, int], credential_id: str
) -> list[dict[str, Any]]:
    """The `credentialStatus` list for a credential: one entry per purpose, revocation first.

    `credential_id` is only used to make errors point at the credential being built.
    """
    if set(list_url_by_purpose) != set(PURPOSES) or set(index_by_purpose) != set(PURPOSES):
        raise ValueError(f"status entries for {credential_id}: need exactly the purposes {PURPOSES}")
    out = []
    for purpose in PURPOSES:
        url, index = list_url_by_purpose[purpose], index_by_purpose[purpose]
        if not isinstance(url, str) or not url or "#" in url:
            raise ValueError(f"status entries for {credential_id}: bad list URL {url!r}")
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise ValueError(f"status entries for {credential_id}: bad {purpose} index {index!r}")
        out.append(
            {
                "id": f"{url}#{index}",
                "type": ENTRY_TYPE,
                "statusPurpose": purpose,
                "statusListIndex": str(index),
                "statusListCredential": url,
            }
        )
    return out


def parse_status_entry(entry: Any) -> StatusEntry:
    """Validate one `credentialStatus` entry. Raises StatusListError(code=STATUS_ENTRY_INVALID)."""

    def bad(msg: str) -> StatusListError:
        return StatusListError(_("credentialStatus entry: {reason}").format(reason=msg), code="STATUS_ENTRY_INVALID")

    if not isinstance(entry, dict):
        raise bad(_("not an object"))
    types = entry.get("type")
    types = types if isinstance(types, list) else [types]
    if ENTRY_TYPE not in types:
        raise bad(_("type is not {type}").format(type=ENTRY_TYPE))
    purpose = entry.get("statusPurpose")
    if purpose not in PURPOSES:
        raise bad(_("statusPurpose {purpose} is not supported (only {purposes})").format(
            purpose=repr(purpose), purposes=", ".join(PURPOSES)))
    raw_index = entry.get("statusListIndex")
    if not isinstance(raw_index, str) or not _INDEX_RE.fullmatch(raw_index):
        raise bad(_("statusListIndex must be a decimal string"))
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        raise bad(_("statusListCredential must be a URL"))
    # statusSize > 1 is for "message" lists; a revocation/suspension bit is one bit.
    if entry.get("statusSize", 1) != 1:
        raise bad(_("statusSize other than 1 is not supported for revocation/suspension"))
    entry_id = entry.get("id")
    return StatusEntry(purpose, int(raw_index), url, entry_id if isinstance(entry_id, str) else None)


def credential_status_entries(credential: Mapping[str, Any]) -> list[Any]:
    """The raw `credentialStatus` value as a list (absent -> [])."""
    value = credential.get("credentialStatus")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
