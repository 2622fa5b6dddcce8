"""Agreement-like credentials: who signed (SignatureStatus), the agreement check remembered per version
(checked_agreement, its memories and their bounds), the MoU partnership from the MoU credential or the
registry (written for `make mutation` in verify/agreement_signatures.py and verify/partnership.py)."""
from __future__ import annotations

from datetime import timezone

import pytest

from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign
from verify_samples import generic


def test_the_signature_status_json_names_each_party_its_proof_and_its_face():
    from ecvet_credentials.model.agreement import Signer
    from ecvet_credentials.model.annexes import Signatory
    from ecvet_credentials.proofs import ProofResult
    from ecvet_credentials.verify.agreement_signatures import SignatureStatus

    home = ProofResult(0, None, "eddsa-rdfc-2022", "did:example:home#k", "did:example:home", "assertionMethod",
                       "2026-09-15T10:00:00Z", verified=True, code="OK")
    bad = ProofResult(1, None, "eddsa-rdfc-2022", "did:example:x#k", None, "assertionMethod", None,
                      code="PROOF_INVALID", message="the signature does not match")
    status = SignatureStatus(
        required=[Signer("home", "did:example:home"), Signer("host", "did:example:host"), Signer("guardian", None)],
        optional=[Signer("learner", "did:example:learner")],
        signatories={"did:example:home": Signatory("did:example:home", "Laura Bianchi", "Head teacher", "Bologna"),
                     "did:example:host": Signatory("did:example:host", "Jens Krüger", "Schulleiter")},
        signed={"home": home}, invalid=[bad])
    assert status.to_json() == {
        "complete": False,
        "required": [
            {"role": "home", "did": "did:example:home", "signed": True, "created": "2026-09-15T10:00:00Z",
             "name": "Laura Bianchi", "signatoryRole": "Head teacher", "place": "Bologna"},
            {"role": "host", "did": "did:example:host", "signed": False, "name": "Jens Krüger", "signatoryRole": "Schulleiter"},
            {"role": "guardian", "did": None, "signed": False}],
        "optional": [{"role": "learner", "did": "did:example:learner", "signed": False}],
        "missing": ["host", "guardian"],
        "invalid": [{"verificationMethod": "did:example:x#k", "code": "PROOF_INVALID",
                     "message": "the signature does not match"}],
    }
    assert status.summary() == "home: signed; host: MISSING; guardian: MISSING; 1 invalid proof(s)"


@pytest.fixture(scope="module")
def mou_keys():
    from pathlib import Path

    from ecvet_credentials.crypto.keys import load_key_file

    keys = Path(__file__).resolve().parents[1] / "keys-example"
    return {n: load_key_file(keys / f"{n}.key", passphrase=b"ecvet-example-do-not-use") for n in ("home", "host", "authority")}


@pytest.fixture(scope="module")
def unsigned_mou():
    from pathlib import Path

    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_mou_credential

    examples = Path(__file__).resolve().parents[1] / "examples"
    return build_mou_credential(load(examples / "mou.yaml").model, valid_from="2026-01-10T00:00:00Z")


@pytest.fixture(scope="module")
def mou(unsigned_mou, mou_keys):
    from ecvet_credentials.ecvet.agreement_signatures import sign_agreement

    doc = unsigned_mou
    for party in ("home", "host", "authority"):
        doc, _ = sign_agreement(doc, mou_keys[party], created="2026-01-12T10:00:00Z")
    return doc


def _la(mou_keys, *, home=None, pinned=None):
    from types import SimpleNamespace

    return SimpleNamespace(home=SimpleNamespace(id=home or mou_keys["home"].did, name="Istituto Leonardo"),
                           host=SimpleNamespace(id=mou_keys["host"].did, name="Berufskolleg"), mou=pinned)


def _partnership(la, start, end, mou):
    from datetime import date

    from ecvet_credentials.verify.partnership import partnership_problem

    return partnership_problem(la, date(*start), date(*end), mou=mou)


def test_an_mou_for_the_whole_mobility_shows_the_partnership(mou, mou_keys):
    from types import SimpleNamespace

    from ecvet_credentials.model import digest_multibase

    shown, problem = _partnership(_la(mou_keys), (2026, 1, 1), (2030, 12, 31), mou)  # exactly the MoU's period
    assert problem is None
    assert shown.startswith(f"MoU {mou['id']} (ECVET partnership for catering") and shown.endswith("2026-01-01 to 2030-12-31")
    pinned = SimpleNamespace(id=mou["id"], digest_multibase=digest_multibase(mou))
    assert _partnership(_la(mou_keys, pinned=pinned), (2026, 3, 1), (2026, 4, 1), mou)[1] is None


@pytest.mark.parametrize("start, end", [((2025, 12, 31), (2026, 3, 1)), ((2030, 12, 1), (2031, 1, 1))])
def test_a_mobility_outside_the_mous_period_is_refused(mou, mou_keys, start, end):
    shown, (code, message) = _partnership(_la(mou_keys), start, end, mou)
    assert shown is None and code == "PARTNERSHIP_NOT_VALID"
    assert "'ECVET partnership for catering" in message and "from 2026-01-01 to 2030-12-31" in message
    assert "{:04}-{:02}-{:02} to {:04}-{:02}-{:02}".format(*start, *end) in message


def test_an_institution_outside_the_mou_is_named(mou, mou_keys):
    shown, (code, message) = _partnership(_la(mou_keys, home="did:example:stranger"), (2026, 3, 1), (2026, 4, 1), mou)
    assert (shown, code) == (None, "NO_PARTNERSHIP")
    assert message.startswith("Istituto Leonardo is not a partner of the MoU 'ECVET partnership for catering")


def test_an_agreement_made_under_another_mou_names_both(mou, mou_keys):
    from types import SimpleNamespace

    pinned = SimpleNamespace(id="urn:uuid:00000000-0000-4000-8000-000000000000", digest_multibase=None)
    shown, (code, message) = _partnership(_la(mou_keys, pinned=pinned), (2026, 3, 1), (2026, 4, 1), mou)
    assert (shown, code) == (None, "MOU_OTHER")
    assert pinned.id in message and mou["id"] in message
    other_version = SimpleNamespace(id=mou["id"], digest_multibase="uEiAnotherVersion")
    assert _partnership(_la(mou_keys, pinned=other_version), (2026, 3, 1), (2026, 4, 1), mou)[1][0] == "MOU_DIGEST_MISMATCH"


def test_an_mou_not_signed_by_every_partner_names_who_is_missing(unsigned_mou, mou, mou_keys):
    import copy

    _, (code, message) = _partnership(_la(mou_keys), (2026, 3, 1), (2026, 4, 1), unsigned_mou)
    assert code == "MOU_NOT_SIGNED"
    missing = message.split("(missing: ", 1)[1].rsplit(").", 1)
    assert sorted(missing[0].split(", ")) == sorted(mou_keys[k].did for k in ("home", "host", "authority")) and missing[1] == ""
    forged = copy.deepcopy(mou)
    forged["proof"].append(dict(forged["proof"][0], proofValue=forged["proof"][1]["proofValue"]))
    _, (code, message) = _partnership(_la(mou_keys), (2026, 3, 1), (2026, 4, 1), forged)
    assert code == "MOU_NOT_SIGNED" and "(missing: none; 1 invalid signature(s))" in message


def test_a_document_that_is_no_mou_is_refused_with_the_reason(mou_keys):
    _, (code, message) = _partnership(_la(mou_keys), (2026, 3, 1), (2026, 4, 1), {"type": ["VerifiableCredential"]})
    assert code == "MOU_INVALID" and message.startswith("The document given as the MoU cannot be read as one: ")
    assert "None" not in message and len(message) > len("The document given as the MoU cannot be read as one: ")


def test_an_mou_signed_with_did_web_keys_is_checked_with_the_verifiers_resolver(tmp_path, mou_keys):
    from datetime import date
    from pathlib import Path
    from types import SimpleNamespace

    from ecvet_credentials.crypto.dids import DidResolver, did_web_document
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_mou_credential
    from ecvet_credentials.verify.partnership import partnership_problem

    text = (Path(__file__).resolve().parents[1] / "examples" / "mou.yaml").read_text(encoding="utf-8")
    keys, documents = {}, {}
    for party in ("home", "host", "authority"):
        did = f"did:web:{party}.example"
        text = text.replace(mou_keys[party].did, did)
        keys[did] = KeyPair.generate("Ed25519")
        documents[did] = did_web_document(did, [{"key": keys[did], "id": "k1"}])
    (tmp_path / "mou.yaml").write_text(text, encoding="utf-8")
    doc = build_mou_credential(load(tmp_path / "mou.yaml").model, valid_from="2026-01-10T00:00:00Z")
    for did, key in keys.items():
        doc = sign(doc, key, verification_method=f"{did}#k1", created="2026-01-12T10:00:00Z")
    la = SimpleNamespace(home=SimpleNamespace(id="did:web:home.example", name="Istituto Leonardo"),
                         host=SimpleNamespace(id="did:web:host.example", name="Berufskolleg"), mou=None)
    shown, problem = partnership_problem(la, date(2026, 3, 1), date(2026, 4, 1), mou=doc, resolver=DidResolver(documents))
    assert problem is None and shown.startswith("MoU ")
    assert partnership_problem(la, date(2026, 3, 1), date(2026, 4, 1), mou=doc)[1][0] == "MOU_NOT_SIGNED"


def test_the_registry_partnership_problems_name_both_institutions_and_the_registry():
    from datetime import date, datetime
    from types import SimpleNamespace

    from ecvet_credentials.trust.registry import Partnership, TrustRegistry
    from ecvet_credentials.verify.partnership import partnership_problem

    la = SimpleNamespace(home=SimpleNamespace(id="did:example:home", name="Istituto Leonardo"),
                         host=SimpleNamespace(id="did:example:host", name="Berufskolleg"), mou=None)
    ended = Partnership("urn:x:1", "MoU", frozenset({"did:example:home", "did:example:host"}), None,
                        datetime(2026, 1, 1, tzinfo=timezone.utc))
    for partnerships, code in (([ended], "PARTNERSHIP_NOT_VALID"), ([], "NO_PARTNERSHIP")):
        trust = TrustRegistry("Regional registry", partnerships=partnerships)
        shown, (found, message) = partnership_problem(la, date(2026, 3, 1), date(2026, 4, 1), trust=trust)
        assert (shown, found) == (None, code)
        assert all(name in message for name in ("Istituto Leonardo", "Berufskolleg", "'Regional registry'")), message


@pytest.fixture
def fresh_cache(monkeypatch):
    """Empty memories for checked_agreement, so that each test sees its own checks run."""
    from collections import OrderedDict

    from ecvet_credentials.verify import agreement_signatures as la_signatures

    monkeypatch.setattr(la_signatures, "_checked", OrderedDict())
    monkeypatch.setattr(la_signatures, "_digests", OrderedDict())
    return la_signatures


@pytest.fixture(scope="module")
def signed_la(mou_keys):
    import model_samples as ms
    from ecvet_credentials.ecvet.agreement_signatures import sign_agreement
    from ecvet_credentials.model import build_agreement_credential

    doc = build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")
    for party in ("home", "host"):  # a proof set: a list of proofs
        doc, _ = sign_agreement(doc, mou_keys[party], created="2026-09-15T10:00:00Z")
    return doc


def test_an_agreement_signed_with_did_keys_is_checked_once_whatever_the_resolver(signed_la, fresh_cache):
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.verify.agreement_signatures import checked_agreement

    resolvers = DidResolver(), DidResolver()  # both alive: two different ids
    first = checked_agreement(signed_la, resolver=resolvers[0])
    assert checked_agreement(signed_la, resolver=resolvers[1]) is first
    assert sorted(first.signatures.signed) == ["home", "host"]


def test_an_agreement_with_other_keys_is_checked_again_for_another_resolver(signed_la, fresh_cache):
    import copy

    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.verify.agreement_signatures import checked_agreement

    doc = copy.deepcopy(signed_la)
    doc["proof"] = [doc["proof"][0], dict(type="DataIntegrityProof", cryptosuite="eddsa-rdfc-2022", verificationMethod="did:web:host.example#k1",
                         proofPurpose="assertionMethod", proofValue="z1111")]
    resolver, other = DidResolver(), DidResolver()
    first = checked_agreement(doc, resolver=resolver)
    assert checked_agreement(doc, resolver=resolver) is first
    again = checked_agreement(doc, resolver=other)
    assert again is not first and again == first
    assert checked_agreement(doc, resolver=resolver) is first and checked_agreement(doc, resolver=other) is again


def test_what_is_no_learning_agreement_is_checked_as_such(fresh_cache):
    from ecvet_credentials.model import digest_multibase
    from ecvet_credentials.verify.agreement_signatures import checked_agreement

    doc = generic(id="urn:x:not-an-la")
    checked = checked_agreement(doc)
    assert (checked.digest, checked.model, checked.signatures) == (digest_multibase(doc), None, None)
    assert [(i.path, i.message) for i in checked.schema_issues] == [("$.type", "not a Learning Agreement")]


def test_a_learning_agreement_is_checked_with_its_model_signatures_and_digest(signed_la, fresh_cache):
    import copy

    from ecvet_credentials.model import LearningAgreement, digest_multibase
    from ecvet_credentials.verify.agreement_signatures import checked_agreement

    checked = checked_agreement(signed_la)
    assert checked.digest == digest_multibase(signed_la) and checked.schema_issues == []
    assert isinstance(checked.model, LearningAgreement) and sorted(checked.signatures.signed) == ["home", "host"]
    broken = copy.deepcopy(signed_la)
    broken["credentialSubject"]["givenName"] = 7
    invalid = checked_agreement(broken)
    assert invalid.schema_issues and invalid.model is None and invalid.signatures is None
    assert invalid.digest == digest_multibase(broken)


def test_an_agreement_that_is_not_i_json_has_no_digest(fresh_cache):
    from ecvet_credentials.core.errors import EcvetError
    from ecvet_credentials.verify.agreement_signatures import checked_agreement

    with pytest.raises(EcvetError) as info:
        checked_agreement(generic(points=2 ** 60))
    assert info.value.code == "AGREEMENT_INVALID" and "I-JSON" in str(info.value)


def test_the_agreement_digest_is_computed_once_per_content_and_both_memories_are_bounded(monkeypatch):
    from collections import OrderedDict

    from ecvet_credentials.verify import agreement_signatures as la_signatures

    monkeypatch.setattr(la_signatures, "_CHECKED_MAX", 3)
    monkeypatch.setattr(la_signatures, "_checked", OrderedDict())
    monkeypatch.setattr(la_signatures, "_digests", OrderedDict())
    digests = []
    real = la_signatures.digest_multibase

    def counting(doc):
        digests.append(doc.get("id"))
        return real(doc)

    monkeypatch.setattr(la_signatures, "digest_multibase", counting)
    docs = [generic(id=f"urn:x:{i}") for i in range(5)]
    first = [la_signatures.checked_agreement(doc) for doc in docs[:3]]
    assert la_signatures.checked_agreement(generic(id="urn:x:0")) is first[0]  # equal content: remembered
    assert digests == ["urn:x:0", "urn:x:1", "urn:x:2"]
    la_signatures.checked_agreement(docs[3])                                    # urn:x:1 is the oldest used
    assert la_signatures.checked_agreement(docs[0]) is first[0] and la_signatures.checked_agreement(docs[2]) is first[2]
    assert len(la_signatures._checked) == 3 and len(la_signatures._digests) == 3
    again = la_signatures.checked_agreement(docs[1])
    assert again is not first[1] and again == first[1] and digests[-1] == "urn:x:1"


def test_an_agreement_signed_with_a_did_web_key_is_checked_with_the_resolver_given(fresh_cache):
    from dataclasses import replace

    import model_samples as ms
    from ecvet_credentials.crypto.dids import DidResolver, did_web_document
    from ecvet_credentials.model import build_agreement_credential
    from ecvet_credentials.verify.agreement_signatures import checked_agreement

    key = KeyPair.generate("Ed25519")
    did = "did:web:home.example"
    la = build_agreement_credential(replace(ms.la, home=replace(ms.home, id=did)), valid_from="2026-09-15T00:00:00Z")
    la = sign(la, key, verification_method=f"{did}#k1", created="2026-09-15T10:00:00Z")
    resolver = DidResolver({did: did_web_document(did, [{"key": key, "id": "k1"}])})
    assert list(checked_agreement(la, resolver=resolver).signatures.signed) == ["home"]
    unresolved = checked_agreement(la, resolver=DidResolver()).signatures
    assert unresolved.signed == {} and len(unresolved.invalid) == 1


@pytest.fixture(scope="module")
def party_keys():
    from pathlib import Path

    from ecvet_credentials.crypto.keys import load_key_file

    keys = Path(__file__).resolve().parents[1] / "keys-example"
    return {n: load_key_file(keys / f"{n}.key", passphrase=b"ecvet-example-do-not-use") for n in ("home", "host", "learner")}


def test_a_learner_who_signed_as_a_minor_makes_the_guardian_required_not_optional(party_keys):
    from dataclasses import replace
    from datetime import date

    import model_samples as ms
    from ecvet_credentials.model import build_agreement_credential
    from ecvet_credentials.model.agreement import Signer
    from ecvet_credentials.verify.agreement_signatures import signature_status

    learner = replace(ms.learner, date_of_birth=date(2008, 9, 20))  # 17 when signing on 2026-09-15, 18 at the start
    for guardian in (ms.la.guardian, None):
        doc = build_agreement_credential(replace(ms.la, learner=learner, guardian=guardian), valid_from="2026-09-15T00:00:00Z")
        for party in ("home", "host", "learner"):
            doc = sign(doc, party_keys[party], created="2026-09-15T10:00:00Z")
        status = signature_status(doc)
        assert [s.role for s in status.required].count("guardian") == 1 and "guardian" not in [s.role for s in status.optional]
        named = next(s for s in status.required if s.role == "guardian")
        assert named == (Signer("guardian", guardian.did) if guardian else Signer("guardian", None))
        assert [s.role for s in status.missing] == ["guardian"]


def test_invalid_and_unexpected_proofs_are_kept_apart_from_the_parties(signed_la):
    import copy

    from ecvet_credentials.verify.agreement_signatures import signature_status

    stranger = KeyPair.generate("Ed25519")
    doc = copy.deepcopy(signed_la)
    forged = dict(doc["proof"][0], proofValue=doc["proof"][1]["proofValue"])
    doc["proof"] = [forged, *doc["proof"]]
    doc = sign(doc, stranger, created="2026-09-16T10:00:00Z")
    status = signature_status(doc)
    assert sorted(status.signed) == ["home", "host"] and status.unexpected == [stranger.did]
    assert len(status.invalid) == 1 and status.invalid[0].verified is False and status.invalid[0].code


def test_a_transcripts_signatures_are_read_from_the_transcript():
    from dataclasses import replace

    import model_samples as ms
    from ecvet_credentials.model import build_agreement_credential, build_transcript_credential, reference_to
    from ecvet_credentials.verify.agreement_signatures import signature_status

    la = build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")
    pt = build_transcript_credential(replace(ms.pt, agreement=reference_to(la)), valid_from="2026-12-10T10:00:00Z")
    assert [s.role for s in signature_status(pt).required] == ["host"]


def test_the_status_of_an_mou_shows_each_signatorys_face_and_refuses_what_is_no_document(mou, mou_keys):
    from ecvet_credentials.core.errors import EcvetError
    from ecvet_credentials.verify.agreement_signatures import signature_status

    status = signature_status(mou)
    assert status.complete and status.signatories[mou_keys["home"].did].name == "Laura Bianchi"
    home = next(s for s in status.to_json()["required"] if s["did"] == mou_keys["home"].did)
    assert (home["name"], home["signatoryRole"], home["place"]) == ("Laura Bianchi", "Head teacher", "Bologna")
    with pytest.raises(EcvetError):
        signature_status(["not", "a", "credential"])
