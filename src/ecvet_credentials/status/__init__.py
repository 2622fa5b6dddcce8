"""W3C Bitstring Status List v1.0: the bitstring, credentialStatus entries, publishing (issuer side)
and fetching/caching/checking (verifier side). See DESIGN section 5."""
from __future__ import annotations

from .bitstring import MIN_BITS, BitstringStatusList
from .check import OUTCOMES, ProofCheck, StatusCheck, check_status, overall, proofs_verifier
from .entries import PURPOSES, StatusEntry, parse_status_entry, status_entries
from .fetch import FetchedList, StatusListSource
from .publish import (
    PublishedList,
    build_status_list_credential,
    publish_status_lists,
    read_index,
    write_status_list,
)

__all__ = [
    "MIN_BITS", "OUTCOMES", "PURPOSES", "BitstringStatusList", "FetchedList", "ProofCheck", "PublishedList",
    "StatusCheck", "StatusEntry", "StatusListSource", "build_status_list_credential", "check_status", "overall",
    "parse_status_entry", "proofs_verifier", "publish_status_lists", "read_index", "status_entries",
    "write_status_list",
]
