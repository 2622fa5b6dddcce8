"""`credentialStatus` entries at their edges: what status_entries refuses to build and what
parse_status_entry accepts (index 0 and ten digits, a type list, any URL scheme, an explicit statusSize
of 1, the entry id)."""
from __future__ import annotations

import pytest

from ecvet_credentials.core.errors import StatusListError
from ecvet_credentials.status import parse_status_entry, status_entries
from ecvet_credentials.status.entries import credential_status_entries

URLS = {"revocation": "https://x.example/status/1", "suspension": "https://x.example/status/2"}


def built(revocation=1, suspension=2, urls=URLS):
    return status_entries(urls, {"revocation": revocation, "suspension": suspension}, "urn:uuid:x")


def test_index_zero_is_an_index_and_revocation_comes_first():
    entries = built(0, 0)
    assert [(e["statusPurpose"], e["statusListIndex"], e["id"]) for e in entries] == [
        ("revocation", "0", "https://x.example/status/1#0"), ("suspension", "0", "https://x.example/status/2#0")]


@pytest.mark.parametrize("urls, indexes", [
    ({"revocation": URLS["revocation"]}, {"revocation": 1, "suspension": 2}),   # a purpose without a list
    (URLS, {"revocation": 1, "suspension": 2, "message": 3}),                    # a purpose too many
    ({**URLS, "suspension": ""}, {"revocation": 1, "suspension": 2}),
    ({**URLS, "suspension": None}, {"revocation": 1, "suspension": 2}),
    (URLS, {"revocation": 1, "suspension": True}),
    (URLS, {"revocation": 1, "suspension": "2"}),
])
def test_status_entries_refuses(urls, indexes):
    with pytest.raises(ValueError, match="urn:uuid:x"):
        status_entries(urls, indexes, "urn:uuid:x")


@pytest.mark.parametrize("patch, index", [
    ({"statusListIndex": "0"}, 0),
    ({"statusListIndex": "9999999999"}, 9999999999),
    ({"type": ["BitstringStatusListEntry", "Extra"]}, 1),
    ({"statusListCredential": "did:web:x.example:status:1"}, 1),
    ({"statusSize": 1}, 1),
])
def test_parse_status_entry_accepts(patch, index):
    entry = parse_status_entry({**built()[0], **patch})
    assert (entry.purpose, entry.index) == ("revocation", index)


@pytest.mark.parametrize("patch", [
    {"statusListIndex": "99999999999"},
    {"statusListIndex": " 1"},
    {"statusListCredential": "//x.example/status/1"},
    {"statusListCredential": ["https://x.example/status/1"]},
    {"statusSize": 0},
    {"type": ["StatusList2021Entry"]},
])
def test_parse_status_entry_refuses(patch):
    with pytest.raises(StatusListError) as err:
        parse_status_entry({**built()[0], **patch})
    assert err.value.code == "STATUS_ENTRY_INVALID"
    assert str(err.value).startswith("credentialStatus entry: ")


def test_parse_status_entry_reads_the_fields_it_returns():
    entry = parse_status_entry(built()[1])
    assert (entry.purpose, entry.index, entry.list_url, entry.entry_id) == (
        "suspension", 2, URLS["suspension"], "https://x.example/status/2#2")
    assert parse_status_entry({**built()[1], "id": 7}).entry_id is None
    with pytest.raises(StatusListError, match="not an object"):
        parse_status_entry([built()[1]])


def test_credential_status_is_read_as_a_list():
    one = built()[0]
    assert credential_status_entries({}) == []
    assert credential_status_entries({"credentialStatus": None}) == []
    assert credential_status_entries({"credentialStatus": one}) == [one]
    assert credential_status_entries({"credentialStatus": [one, one]}) == [one, one]
