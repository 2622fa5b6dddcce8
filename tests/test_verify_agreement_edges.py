"""agreement-match and partnership refusals no other test executed: a document that is not a Learning
Agreement, a transcript made under another agreement or by another
host, an invalid signature in the summary, the agreement cache's bound, and an MoU whose digest or
partners do not fit the agreement."""
from __future__ import annotations

import copy
import json
from dataclasses import replace
from types import SimpleNamespace

import pytest

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.model import agreement_from_credential, transcript_from_credential
from ecvet_credentials.model.common import CredentialRef
from ecvet_credentials.verify import agreement_signatures
from ecvet_credentials.verify.agreement_match import match_agreement
from ecvet_credentials.verify.agreement_signatures import checked_agreement, signature_status
from ecvet_credentials.verify.partnership import partnership_problem


@pytest.fixture(scope="module")
def docs(demo_dir) -> dict:
    return {name: json.loads((demo_dir / f"{name}.json").read_text())
            for name in ("transcript", "learning-agreement", "mou")}


def _codes(match) -> list[str]:
    return [code for code, _ in match.problems]


def test_a_document_that_is_not_a_learning_agreement_cannot_be_matched(docs):
    with pytest.raises(EcvetError) as err:
        match_agreement(docs["transcript"], docs["mou"])
    assert err.value.code == "AGREEMENT_INVALID"


def test_a_transcript_under_another_agreement_or_from_another_host_is_refused(docs):
    pt = transcript_from_credential(docs["transcript"])
    la_doc = docs["learning-agreement"]
    match = lambda model: match_agreement(docs["transcript"], la_doc, transcript_model=model)  # noqa: E731
    assert match(pt).matched, match(pt).problems

    other = match(replace(pt, agreement=CredentialRef(id="urn:uuid:00000000-0000-4000-8000-00000000000a")))
    assert _codes(other) == ["OTHER_AGREEMENT"] and "urn:uuid:00000000-0000-4000-8000-00000000000a" in other.problems[0][1]
    # a transcript that names no agreement is matched on its content alone
    assert match(replace(pt, agreement=None)).matched

    elsewhere = match(replace(pt, host=replace(pt.host, id="did:example:another-host", name="Another host")))
    assert "OTHER_HOST" in _codes(elsewhere)
    assert "Another host" in dict(elsewhere.problems)["OTHER_HOST"]


def test_an_invalid_signature_is_named_in_the_summary(docs):
    la_doc = copy.deepcopy(docs["learning-agreement"])
    proof = la_doc["proof"][0]
    proof["proofValue"] = proof["proofValue"][:-4] + ("AAAA" if not proof["proofValue"].endswith("AAAA") else "BBBB")
    status = signature_status(la_doc)
    assert not status.complete and len(status.invalid) == 1
    assert status.summary().endswith("; 1 invalid proof(s)")
    assert "MISSING" in status.summary()  # the party whose proof broke has not signed


def test_the_agreement_cache_keeps_the_most_recent_ones(docs, monkeypatch):
    monkeypatch.setattr(agreement_signatures, "_CHECKED_MAX", 2)
    monkeypatch.setattr(agreement_signatures, "_checked", type(agreement_signatures._checked)())
    versions = []
    for n in range(3):  # three versions of the agreement (only the note differs): three digests
        doc = copy.deepcopy(docs["learning-agreement"])
        doc["credentialSubject"]["additionalNote"] = f"version {n}"
        versions.append(doc)
    first = checked_agreement(versions[0])
    assert checked_agreement(versions[0]) is first  # cached
    for doc in versions[1:]:
        checked_agreement(doc)
    assert len(agreement_signatures._checked) == 2
    assert checked_agreement(versions[0]) is not first  # the oldest was dropped: checked again
    assert checked_agreement(versions[2]) is checked_agreement(versions[2])


def test_an_mou_that_is_not_the_pinned_version_or_lacks_a_partner_shows_no_partnership(docs):
    la = agreement_from_credential(docs["learning-agreement"])
    mou = docs["mou"]
    found, missing = partnership_problem(la, la.start, la.end, mou=mou)
    assert missing is None and found.startswith(f"MoU {mou['id']}")

    pinned_other = replace(la, mou=CredentialRef(id=mou["id"], digest_multibase="uEiAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
    assert partnership_problem(pinned_other, la.start, la.end, mou=mou) == (
        None, ("MOU_DIGEST_MISMATCH", "The agreement pins another version of this MoU (digest differs)."))

    # (the model refuses a home that is none of its signatories: the partnership check reads only these)
    stranger = SimpleNamespace(mou=None, host=la.host, home=SimpleNamespace(id="did:example:not-a-partner", name="Stranger school"))
    found, (code, message) = partnership_problem(stranger, la.start, la.end, mou=mou)
    assert found is None and code == "NO_PARTNERSHIP" and message.startswith("Stranger school is not a partner")
