"""The service's own status lists are signed on demand and the signed copy is reused while the registry
row is unchanged: never after a change, even one made at the instant of the signing (a frozen or coarse
clock leaves updated_at as it was), never once 12 h old, never when the clock reads before the signing."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.registry.records import StatusListInfo
from ecvet_credentials.serve.service import RESIGN_AFTER, OwnStatusLists
from ecvet_credentials.status.bitstring import BitstringStatusList
from instants import CLOCK_START

URL = "https://school.example/status/r1"


class Rows:
    """The two registry reads OwnStatusLists makes, over one list whose bits a test changes."""

    def __init__(self, did: str):
        self.info = StatusListInfo("r1", "revocation", URL, did, 131072, 131072, 1, CLOCK_START, CLOCK_START)
        self.bits = BitstringStatusList()

    def status_lists(self):
        return [self.info]

    def status_list_bits(self, list_id):
        assert list_id == "r1"
        return BitstringStatusList(data=self.bits.to_bytes())

    def change(self, index: int, value: bool, at) -> None:
        self.bits.set(index, value)
        self.info = replace(self.info, updated_at=at)


def own_lists():
    key = KeyPair.generate("Ed25519")
    rows = Rows(key.did)
    lists = OwnStatusLists(rows, key, "eddsa-jcs-2022")
    signed = []
    lists.sign = lambda doc: signed.append(doc) or doc  # count the signings (the proof is not the point here)
    return rows, lists, signed


def bit(fetched, index: int) -> bool:
    encoded = fetched.document["credentialSubject"]["encodedList"]
    return BitstringStatusList.decode(encoded, min_bits=0).get(index)


def test_the_signed_copy_is_reused_while_the_row_is_unchanged(clock):
    rows, lists, signed = own_lists()
    clock.now = CLOCK_START + timedelta(minutes=1)
    first = lists.by_url(URL)
    clock.now += timedelta(hours=1)
    assert lists.by_url(URL) is first and len(signed) == 1
    rows.change(7, True, clock.now)  # a revoke, a moment after the signing
    clock.now += timedelta(seconds=1)
    again = lists.by_url(URL)
    assert again is not first and bit(again, 7) and len(signed) == 2


def test_a_change_at_the_instant_of_the_signing_is_never_hidden(clock):
    rows, lists, signed = own_lists()
    rows.change(3, True, clock.now)
    assert bit(lists.by_url(URL), 3)
    rows.change(3, False, clock.now)  # reinstated in the same instant: updated_at is what it was
    assert not bit(lists.by_url(URL), 3) and len(signed) == 2


def test_an_old_copy_or_one_signed_after_now_is_signed_afresh(clock):
    _, lists, signed = own_lists()
    clock.now = CLOCK_START + timedelta(minutes=1)
    lists.by_url(URL)
    clock.now += RESIGN_AFTER
    lists.by_url(URL)
    assert len(signed) == 2
    clock.now -= timedelta(days=1)  # the clock set back: the copy would say it is valid only from later
    fetched = lists.by_url(URL)
    assert len(signed) == 3 and fetched.document["validFrom"].startswith(clock.now.strftime("%Y-%m-%dT%H:%M"))
