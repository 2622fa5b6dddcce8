"""Editing a registry file (`ecvet trust add|remove|partner`), rule by rule: entries and their defaults,
replacing an entry, partnership dates as whole days, and a registry that lacks a list."""
from __future__ import annotations

import pytest

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.trust.editing import (
    add_institution,
    add_partnership,
    institution_entry,
    new_registry,
    read_registry,
    remove_institution,
    write_registry,
)

A, B, C = "did:key:z6MkA", "did:key:z6MkB", "did:web:c.example"


def test_an_entry_from_a_did_or_a_did_document():
    entry = institution_entry(A, name="A", country="de", roles=["host", "home"],
                              status_prefixes=["https://a.example/status", "https://a.example/other/"])
    assert entry == {"did": A, "name": "A", "roles": ["host", "home"], "country": "DE",
                     "statusListPrefixes": ["https://a.example/status/", "https://a.example/other/"]}
    assert institution_entry(A, name="A", country=None, roles=["host"], status_prefixes=[]) == {
        "did": A, "name": "A", "roles": ["host"]}
    doc = {"id": C, "verificationMethod": []}
    assert institution_entry(doc, name="C", country=None, roles=["home"], status_prefixes=[])["didDocument"] == doc
    key_doc = {"id": A}
    assert "didDocument" not in institution_entry(key_doc, name="A", country=None, roles=["home"], status_prefixes=[])


@pytest.mark.parametrize("did, roles, prefixes", [
    (A, [], []), (A, ["host", "king"], []), (A, ["host"], ["http://a.example/status/"]),
    ("web:c.example", ["host"], []), ({"name": "no id"}, ["host"], []), ({"id": 5}, ["host"], []),
])
def test_an_entry_is_refused_when_incomplete(did, roles, prefixes):
    with pytest.raises(InputError):
        institution_entry(did, name="x", country=None, roles=roles, status_prefixes=prefixes)


def test_adding_replaces_the_same_did_and_raises_the_edition():
    data = new_registry("R")
    data["proof"] = {"type": "DataIntegrityProof"}
    data, replaced = add_institution(data, institution_entry(A, name="A", country=None, roles=["host"], status_prefixes=[]))
    assert (replaced, data["version"], "proof" in data) == (False, 2, False)
    data, replaced = add_institution(data, institution_entry(B, name="B", country=None, roles=["home"], status_prefixes=[]))
    data, replaced = add_institution(data, institution_entry(A, name="A2", country=None, roles=["home"], status_prefixes=[]))
    assert replaced is True and data["version"] == 4
    assert [(i["did"], i["name"]) for i in data["institutions"]] == [(B, "B"), (A, "A2")]
    bare, replaced = add_institution({}, {"did": A})
    assert (bare["institutions"], bare["version"], replaced) == ([{"did": A}], 1, False)


def test_removing_an_institution():
    data = new_registry("R")
    data, _ = add_institution(data, {"did": A, "roles": ["host"]})
    data = remove_institution(data, A)
    assert data["institutions"] == [] and data["version"] == 3
    with pytest.raises(InputError):
        remove_institution(data, A)


def test_partnership_dates_are_whole_days_unless_a_time_is_given():
    data = new_registry("R")
    for did in (A, B, C):
        data, _ = add_institution(data, {"did": did, "roles": ["host"]})
    data = add_partnership(data, [A, B, A], partnership_id="mou-1", valid_from="2026-01-01", valid_until="2026-12-31")
    assert data["partnerships"] == [{"id": "mou-1", "type": "MoU", "members": [A, B],
                                     "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2026-12-31T23:59:59Z"}]
    version = data["version"]
    data = add_partnership(data, [B, C], partnership_id="mou-2", valid_from="2026-02-01T08:00:00Z", valid_until=None)
    data = add_partnership(data, [A, C], partnership_id="mou-1", valid_from=None, valid_until=None)  # replaces mou-1
    assert [(p["id"], p["members"]) for p in data["partnerships"]] == [("mou-2", [B, C]), ("mou-1", [A, C])]
    assert data["partnerships"][0]["validFrom"] == "2026-02-01T08:00:00Z" and "validUntil" not in data["partnerships"][0]
    assert data["version"] == version + 2
    for members in ([A], [A, A], [A, "did:key:z6MkUnlisted"]):
        with pytest.raises(InputError):
            add_partnership(data, members, partnership_id="x", valid_from=None, valid_until=None)
    with pytest.raises(InputError, match="add them first"):
        add_partnership({}, [A, B], partnership_id="x", valid_from=None, valid_until=None)


def test_a_new_registry_and_reading_one_back(tmp_path):
    data = new_registry("R", ttl="12h", valid_until="2027-01-01T00:00:00Z")
    assert data == {"version": 1, "name": "R", "ttl": "12h", "institutions": [], "partnerships": [],
                    "validUntil": "2027-01-01T00:00:00Z"}
    assert "validUntil" not in new_registry("R")
    for bad, where in (({"ttl": "often"}, "ttl"), ({"valid_until": "soon"}, "validUntil")):
        with pytest.raises(InputError) as info:
            new_registry("R", **bad)
        assert str(info.value).startswith(f"new registry: {where}: ")
    path = tmp_path / "r.json"
    path.write_text('{"institutions": "nope"}')
    with pytest.raises(InputError) as info:
        read_registry(path)
    assert str(path) in str(info.value)
    path.write_text("[1,")
    with pytest.raises(InputError) as info:
        read_registry(path)
    assert str(path) in str(info.value)


def test_the_registry_file_is_written_for_people_to_read_and_refused_when_invalid(tmp_path):
    """The file is reviewed and diffed by people: two-space indents, names as written (no \\u escapes)."""
    path = tmp_path / "r.json"
    data, _ = add_institution(new_registry("Netz"), {"did": A, "name": "Berufskolleg Köln", "roles": ["host"]})
    write_registry(path, data)
    text = path.read_text(encoding="utf-8")
    assert '\n  "name": "Netz",\n' in text and '"name": "Berufskolleg Köln"' in text and text.endswith("}\n")
    assert read_registry(path) == data
    with pytest.raises(InputError) as info:
        write_registry(tmp_path / "bad.json", {"institutions": "nope"})
    assert str(info.value).startswith(f"{tmp_path / 'bad.json'}: (top level): ")
    assert not (tmp_path / "bad.json").exists()


def test_removing_one_of_several_keeps_the_others():
    data = new_registry("R")
    for did in (A, B):
        data, _ = add_institution(data, {"did": did, "roles": ["host"]})
    data = remove_institution(data, A)
    assert [i["did"] for i in data["institutions"]] == [B]


def test_a_partnership_in_a_registry_without_a_partnerships_list():
    data = {"version": 3, "institutions": [{"did": A}, {"did": B}]}
    data = add_partnership(data, [A, B], partnership_id="mou-1", valid_from=None, valid_until=None)
    assert data["partnerships"] == [{"id": "mou-1", "type": "MoU", "members": [A, B]}] and data["version"] == 4


def test_too_few_partners_is_not_reported_as_unlisted_ones():
    data = {"institutions": [{"did": A}]}
    with pytest.raises(InputError) as info:
        add_partnership(data, [A, A], partnership_id="x", valid_from=None, valid_until=None)
    assert str(info.value).endswith("institutions the registry lists.") and "not listed" not in str(info.value)
