"""W3C Bitstring Status List v1.0: the bitstring, credentialStatus entries, publishing (issuer side)
and fetching/caching/checking (verifier side). See DESIGN section 5."""
from __future__ import annotations

from ecvet_credentials.status.bitstring import MIN_BITS, BitstringStatusList
from ecvet_credentials.status.check import OUTCOMES, ProofCheck, StatusCheck, check_status, overall, proofs_verifier
from ecvet_credentials.status.entries import PURPOSES, StatusEntry, parse_status_entry, status_entries
from ecvet_credentials.status.fetch import FetchedList, StatusListSource
from ecvet_credentials.status.publish import (
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
