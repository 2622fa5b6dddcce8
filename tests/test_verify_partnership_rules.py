"""The MoU partnership from the verifier's trust registry, on the whole mobility (written for `make
mutation` in verify/partnership.py; the signed MoU credential path is in test_cycle_rules.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from ecvet_credentials.trust.registry import Partnership, TrustRegistry
from ecvet_credentials.verify.partnership import partnership_problem

HOME, HOST, OTHER = "did:example:home", "did:example:host", "did:example:other"
LA = SimpleNamespace(home=SimpleNamespace(id=HOME, name="Istituto Leonardo"),
                     host=SimpleNamespace(id=HOST, name="Berufskolleg"), mou=None)
START, END = date(2026, 10, 1), date(2026, 10, 31)


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


YEAR = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 12, 31, tzinfo=timezone.utc))


def registry(members=(HOME, HOST), valid_from=YEAR[0], valid_until=YEAR[1], **fields):
    mou = Partnership("urn:uuid:mou-1", "MoU", frozenset(members), valid_from, valid_until)
    return TrustRegistry("Regional registry", partnerships=[mou], **fields)


def test_without_mou_or_usable_registry_the_partnership_is_not_checked():
    for trust in (None, registry(untrusted="the anchor's proof failed")):
        shown, (code, message) = partnership_problem(LA, START, END, trust=trust)
        assert shown is None and code == "MOU_NOT_CHECKED"
        assert "Istituto Leonardo" in message and "Berufskolleg" in message


def test_a_partnership_for_the_whole_mobility_is_shown_with_where_it_was_found():
    shown, problem = partnership_problem(LA, START, END, trust=registry())
    assert problem is None and shown == "trust registry 'Regional registry', partnership urn:uuid:mou-1"


@pytest.mark.parametrize("valid_from, valid_until, ok", [
    (utc(2026, 10, 1), utc(2026, 10, 31, 23, 59, 59), True),    # exactly the mobility's days
    (utc(2026, 10, 1, 0, 0, 1), None, False),                     # starts a second after the first day began
    (None, utc(2026, 10, 31, 23, 59, 58), False),                 # ends before the last day does
    (None, None, True),
])
def test_the_partnership_must_cover_the_first_and_the_last_day(valid_from, valid_until, ok):
    shown, problem = partnership_problem(LA, START, END, trust=registry(valid_from=valid_from, valid_until=valid_until))
    assert (shown is not None, problem is None) == (ok, ok)
    if not ok:
        assert problem[0] == "PARTNERSHIP_NOT_VALID" and "2026-10-01" in problem[1] and "2026-10-31" in problem[1]


@pytest.mark.parametrize("members", [(HOME, OTHER), (HOST, OTHER), (OTHER,)])
def test_both_institutions_must_be_partners(members):
    shown, (code, message) = partnership_problem(LA, START, END, trust=registry(members=members))
    assert shown is None and code == "NO_PARTNERSHIP" and "Regional registry" in message
