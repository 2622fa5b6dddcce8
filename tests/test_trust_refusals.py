"""The trust registry's refusals (each malformed part named by its path) and MoU partnerships."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.trust.registry import parse_trust_registry

A, B, C = "did:web:a.example", "did:web:b.example", "did:web:c.example"


def _inst(did=A, **extra):
    return {"did": did, "roles": ["host"], **extra}


@pytest.mark.parametrize("data,where", [
    ([], "(top level)"),
    ({"institutions": {}}, "(top level)"),
    ({}, "(top level)"),
    ({"institutions": ["did:web:a.example"]}, "institutions[0]"),
    ({"institutions": [{"did": 5}]}, "institutions[0]"),
    ({"institutions": [{"did": "web:a.example"}]}, "institutions[0]"),
    ({"institutions": [_inst(), _inst(B, roles="host")]}, "institutions[1].roles"),
    ({"institutions": [_inst(roles=["host", "king"])]}, "institutions[0].roles"),
    ({"institutions": [_inst(didDocument={"id": B})]}, "institutions[0].didDocument"),
    ({"institutions": [_inst(didDocument=[A])]}, "institutions[0].didDocument"),
    ({"institutions": [_inst(keys={"id": "x"})]}, "institutions[0].keys"),
    ({"institutions": [], "version": "3"}, "version"),
    ({"institutions": [], "version": True}, "version"),
    ({"institutions": [], "version": -1}, "version"),
    ({"institutions": [], "validUntil": "soon"}, "validUntil"),
    ({"institutions": [], "ttl": "often"}, "ttl"),
    ({"institutions": [_inst(statusListPrefixes=["ftp://a.example/status/"])]}, "institutions[0].statusListPrefixes"),
    ({"institutions": [_inst(statusListPrefixes="https://a.example/status/")]}, "institutions[0].statusListPrefixes"),
    ({"institutions": [_inst(statusListPrefixes=[5])]}, "institutions[0].statusListPrefixes"),
    ({"institutions": [], "partnerships": [{"members": A}]}, "partnerships[0]"),
    ({"institutions": [], "partnerships": ["mou"]}, "partnerships[0]"),
    ({"institutions": [], "partnerships": [{"members": [A, B]}, {"members": [A], "validFrom": "soon"}]},
     "partnerships[1].validFrom"),
    ({"institutions": [], "partnerships": [{"members": [A], "validUntil": "2026-13-01T00:00:00Z"}]},
     "partnerships[0].validUntil"),
])
def test_malformed_registry_is_refused_with_the_place(data, where):
    with pytest.raises(InputError) as err:
        parse_trust_registry(data, source="reg.json")
    assert err.value.code == "TRUST_REGISTRY_INVALID"
    assert str(err.value).startswith(f"reg.json: {where}: ")


def test_well_formed_registry_is_read_field_by_field():
    reg = parse_trust_registry({"name": "Net", "institutions": [
        _inst(name="School A", country="FI", didDocument={"id": A}), {"did": B}]}, source="r")
    a, b = reg.institution(A), reg.institution(B)
    assert (reg.name, reg.source, a.name, a.country, a.roles, a.did_document) == (
        "Net", "r", "School A", "FI", ("host",), {"id": A})
    assert (b.name, b.roles, b.keys, b.did_document) == (B, (), (), None)
    assert reg.institution(C) is None
    assert parse_trust_registry({"institutions": []}, source="x.json").name == "x.json"


def test_optional_fields_are_read():
    reg = parse_trust_registry({"institutions": [_inst(statusListPrefixes=["https://a.example/s/", "http://a.example/t/"])],
                                "version": 0, "ttl": "12h", "validUntil": "2027-01-01T00:00:00Z",
                                "partnerships": [{"members": [A, B], "type": "bilateral"}]})
    assert (reg.version, reg.ttl, reg.valid_until) == (0, timedelta(hours=12), datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert reg.institution(A).status_prefixes == ("https://a.example/s/", "http://a.example/t/")
    assert reg.partnerships[0].type == "bilateral"


def _at(year, month=1, day=1):
    return datetime(year, month, day, tzinfo=timezone.utc)


def test_partners_only_members_of_one_mou_and_only_while_it_is_valid():
    reg = parse_trust_registry({"institutions": [], "partnerships": [
        {"id": "mou-1", "members": [A, B], "validFrom": "2025-01-01T00:00:00Z", "validUntil": "2026-12-31T00:00:00Z"},
        {"members": [B, C]}]})
    first, second = reg.partnerships
    assert (first.id, first.type, second.id, second.type) == ("mou-1", "MoU", "partnerships[1]", "MoU")
    assert reg.partners(A, B).id == "mou-1" and reg.partners(B, A).id == "mou-1"
    assert reg.partners(A, C) is None  # both are partners of B, not of each other
    assert reg.partners(C, B, at=_at(1990)).id == "partnerships[1]"  # no dates: always valid
    assert reg.partners(A, B, at=_at(2025)).id == "mou-1"            # first day included
    assert reg.partners(A, B, at=_at(2026, 12, 31)).id == "mou-1"    # last day included
    assert reg.partners(A, B, at=_at(2024, 12, 31)) is None
    assert reg.partners(A, B, at=_at(2027)) is None


def test_did_documents_only_from_a_signed_registry_and_never_for_did_key():
    key_did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    data = {"institutions": [_inst(didDocument={"id": A}), _inst(key_did, didDocument={"id": key_did}), _inst(B)]}
    reg = parse_trust_registry(data)
    assert reg.did_documents() == {}  # nobody signed it
    reg.signed_by = "did:key:anchor"
    assert reg.did_documents() == {A: {"id": A}}
    reg.untrusted = "bad proof"
    assert reg.did_documents() == {}


def test_a_partnership_during_a_mobility_covers_all_of_it_and_links_both():
    reg = parse_trust_registry({"institutions": [], "partnerships": [
        {"id": "mou-1", "members": [A, B], "validFrom": "2025-01-01T00:00:00Z", "validUntil": "2026-12-31T00:00:00Z"}]})
    assert reg.partnership_during(A, B, _at(2025, 3), _at(2025, 6)).id == "mou-1"
    assert reg.partnership_during(A, B, _at(2024, 12), _at(2025, 2)) is None   # starts before the MoU
    assert reg.partnership_during(A, B, _at(2026, 12), _at(2027, 2)) is None   # ends after it
    assert reg.partnership_during(A, C, _at(2025, 3), _at(2025, 6)) is None    # C is no member
    assert reg.partnership_during(C, B, _at(2025, 3), _at(2025, 6)) is None
