"""Behaviour the survivors of `make mutation` showed untested in verify/ (batch records and reports, the
verdict words, presentations, agreement signature status, partnership, the document checks, the
verifier's sources, the text report): each test asserts what a registrar, a holder or a verifier
reads. Small generic documents only, signed with did:key where a signature is needed."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign
from ecvet_credentials.verify import verify_credential
from ecvet_credentials.verify.report import VerificationReport

V2 = "https://www.w3.org/ns/credentials/v2"
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
CREATED = "2026-02-01T10:00:00Z"
CHALLENGE = "c-42"


@pytest.fixture(scope="module")
def issuer():
    return KeyPair.generate("Ed25519")


@pytest.fixture(scope="module")
def holder():
    return KeyPair.generate("Ed25519")


def generic(**extra):
    doc = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": "did:example:school",
           "credentialSubject": {"id": "did:example:learner", "name": "Ada"}}
    doc.update(extra)
    return {k: v for k, v in doc.items() if v is not None}


def signed(issuer, subject="did:example:learner", n=1, **extra):
    doc = {"@context": [V2], "id": f"urn:uuid:7d1b0c2e-0000-4000-8000-00000000000{n}", "type": ["VerifiableCredential"],
           "issuer": issuer.did, "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": subject, "name": "Ada"}}
    doc.update(extra)
    return sign(doc, issuer, created=CREATED)


def trust_in(*keys):
    from ecvet_credentials.trust.registry import Institution, TrustRegistry

    return TrustRegistry("test registry", {k.did: Institution(k.did, "School", "IT", ("host",)) for k in keys})


# --- batch: the registrar's records ---------------------------------------------------------------------------
def _result(document, *, verified=False, name="f.json"):
    from ecvet_credentials.verify.batch import BatchResult

    report = VerificationReport(document=document)
    if verified:
        for check in ("input", "proof", "issuer-trusted"):
            report.passed(check, "ok")
    else:
        report.failed("proof", "PROOF_INVALID", "bad signature")
    return BatchResult(name, report)


def test_load_json_credential_parses_the_file_and_names_it_when_it_cannot(tmp_path):
    from ecvet_credentials.core.errors import NotJsonError
    from ecvet_credentials.verify.batch import load_json_credential

    good = tmp_path / "good.json"
    good.write_text('{"a": [1, "é"]}', encoding="utf-8")
    assert load_json_credential(good) == {"a": [1, "é"]}
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01")
    with pytest.raises(NotJsonError) as info:
        load_json_credential(bad)
    assert str(info.value).startswith(f"{bad} is binary data")


@pytest.mark.parametrize("types, kind", [
    (["VerifiableCredential", "EcvetPersonalTranscript"], "EcvetPersonalTranscript"),
    ("EcvetRecognition", "EcvetRecognition"),
    (["VerifiablePresentation"], ""), (["VerifiableCredential"], ""), (None, ""),
    (["VerifiablePresentation", "VerifiableCredential", "X"], "X"),
])
def test_the_record_names_the_specific_type(types, kind):
    assert _result({"type": types} if types is not None else {}).record()["type"] == kind


def test_the_record_has_the_verdict_id_issuer_and_reason():
    record = _result({"type": ["VerifiableCredential"], "id": "urn:x:1", "issuer": "did:example:s"}).record()
    assert record == {"file": "f.json", "verdict": "not_verified", "verified": "false", "type": "",
                      "id": "urn:x:1", "issuer": "did:example:s", "failed_checks": "proof",
                      "reason": "proof: bad signature"}
    ok = _result({"type": ["VerifiableCredential"]}, verified=True).record()
    assert (ok["verified"], ok["verdict"], ok["id"], ok["issuer"], ok["failed_checks"], ok["reason"]) == (
        "true", "verified", "", "", "", "")


def test_the_csv_report_has_plain_newlines_and_inert_cells(tmp_path):
    from ecvet_credentials.verify.batch import write_batch_report

    rows = [_result({"id": value, "issuer": "did:example:s"}, name=f"{i}.json")
            for i, value in enumerate(("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "urn:x:ok"))]
    path = tmp_path / "report.csv"
    write_batch_report(rows, path)
    data = path.read_bytes()
    assert b"\r\n" not in data and data.count(b"\n") >= 8
    import csv
    import io

    ids = [row["id"] for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))]
    assert ids[:5] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx"] and ids[-1] == "urn:x:ok"
    assert b"5.json,not_verified,false,,'\rx," in data


def test_the_jsonl_report_keeps_non_ascii_text(tmp_path):
    from ecvet_credentials.verify.batch import write_batch_report

    path = tmp_path / "report.jsonl"
    write_batch_report([_result({"id": "urn:x:1", "issuerName": "Università Bologna"})], path)
    text = path.read_text(encoding="utf-8")
    assert "Università" in text and json.loads(text)["document"]["issuerName"] == "Università Bologna"


def test_files_and_folders_are_all_collected_in_the_order_given(tmp_path):
    from ecvet_credentials.verify.batch import collect_inputs

    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "x.json").write_text("{}")
    single = tmp_path / "single.json"
    single.write_text("{}")
    assert collect_inputs([single, first, second]) == [single, first / "x.json", second / "x.json"]


def test_a_folder_gives_its_visible_credential_files_only(tmp_path):
    from ecvet_credentials.verify.batch import collect_inputs

    for name in ("b.json", "A.JSON", "c.png", "d.jsonld", "e.jpeg", "f.jpg", ".hidden.json", "notes.txt"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "folder.json").mkdir()
    assert [p.name for p in collect_inputs([tmp_path])] == ["A.JSON", "b.json", "c.png", "d.jsonld", "e.jpeg", "f.jpg"]


def test_a_batch_result_in_json_names_its_file_and_the_options_reach_every_verification(tmp_path):
    from ecvet_credentials.verify.batch import verify_many, write_batch_report

    results = list(verify_many([("one", generic()), ("two", generic())], checks=["input"], now=NOW))
    assert [r.to_json()["file"] for r in results] == ["one", "two"]
    assert [c.id for c in results[0].report.checks if c.code != "NOT_REQUESTED"] == ["input"]
    path = tmp_path / "report.jsonl"
    write_batch_report(results, path)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert [json.loads(line)["file"] for line in lines[:-1]] == ["one", "two"] and lines[-1] == ""


def test_an_empty_batch_summary_is_just_its_count():
    from ecvet_credentials.verify.batch import BatchSummary

    summary = BatchSummary()
    assert summary.text() == "0 credentials" and not summary.all_verified
    summary.add(_result({}, verified=True))
    assert summary.text() == "1 credential (1 verified)" and summary.all_verified
    summary.add(_result({}, verified=True))
    summary.add(_result({}))
    assert summary.text() == "3 credentials (2 verified, 1 not verified)" and not summary.all_verified


def test_files_the_loader_cannot_read_are_results_and_the_batch_goes_on(tmp_path):
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.verify.batch import verify_many

    def load(path):
        if path.name.startswith("locked"):
            raise PermissionError(13, "Permission denied")
        raise InputError(f"{path}: unreadable.")

    results = list(verify_many(["locked-1.json", "locked-2.json", "bad.json", ("inline", generic())], load=load, now=NOW))
    assert [r.source for r in results] == ["locked-1.json", "locked-2.json", "bad.json", "inline"]
    assert [r.report.checks[0].code for r in results[:3]] == ["UNREADABLE", "UNREADABLE", "INVALID_INPUT"]
    assert results[0].reason() == "input: locked-1.json: Permission denied."
    assert results[2].reason() == "input: bad.json: unreadable."
    assert results[3].report.get("input").code == "OK"


# --- the verdict in words ---------------------------------------------------------------------------------
def test_the_verdict_words_are_the_translated_result_line():
    from ecvet_credentials.i18n import use_language
    from ecvet_credentials.verify.report import Verdict
    from ecvet_credentials.verify.verdict_text import verdict_words

    assert verdict_words("verified") == "VERIFIED"
    with use_language("de"):
        assert verdict_words(Verdict.VERIFIED) == "VERIFIZIERT"
        assert verdict_words("not_verified") != "NOT VERIFIED"


@pytest.mark.parametrize("line", ["VERIFIZIERT", "Ergebnis:", "Ergebnis:  "])
def test_a_result_line_without_words_after_its_label_falls_back_to_english(monkeypatch, line):
    from ecvet_credentials.verify import verdict_text

    monkeypatch.setattr(verdict_text, "_", lambda message: line)
    assert verdict_text.verdict_words("could_not_check") == "COULD NOT CHECK"


# --- presentations ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("challenge", ["", None, 7])
def test_signing_a_presentation_needs_a_challenge_string(holder, issuer, challenge):
    from ecvet_credentials.verify.presentation import sign_presentation

    with pytest.raises(ValueError):
        sign_presentation([signed(issuer, holder.did)], holder, challenge=challenge)


def test_a_generic_presentation_signed_by_another_names_the_holder(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation

    thief = KeyPair.generate("Ed25519")
    vp = build_presentation([signed(issuer, "did:example:someone")], holder=holder.did)
    vp = sign(vp, thief, purpose="authentication", created=CREATED)
    check = verify_credential(vp, now=NOW, generic_presentations=True).get("holder-binding")
    assert (check.code, check.details) == ("HOLDER_KEY_MISMATCH", {"holder": holder.did})


def test_a_presentation_of_an_ecvet_credential_is_bound_by_the_ecvet_rules(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation, carries_ecvet

    ecvet = signed(issuer, holder.did, credentialSchema={"id": "https://w3id.org/ecvet-credentials/schemas/x.json",
                                                         "type": "JsonSchema"})
    vp = sign(build_presentation([ecvet], holder=holder.did), holder, purpose="authentication", created=CREATED)
    check = verify_credential(vp, now=NOW, generic_presentations=True).get("holder-binding")
    assert check.code == "CHALLENGE_REQUIRED"
    assert carries_ecvet(vp) and not carries_ecvet(build_presentation([signed(issuer)], holder=holder.did))
    # an ECVET presentation (its own context) of a generic credential
    own = dict(build_presentation([signed(issuer)], holder=holder.did),
               **{"@context": [V2, "https://w3id.org/ecvet-credentials/v1"]})
    assert carries_ecvet(own)


# --- who signed an agreement (SignatureStatus.to_json: `ecvet agreement status --json`) ------------------------
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


# --- the MoU partnership from the signed MoU credential --------------------------------------------------------
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


def test_a_signed_presentation_has_its_own_id_and_the_given_creation_time(issuer, holder):
    from ecvet_credentials.verify.presentation import sign_presentation

    vp = sign_presentation([signed(issuer, holder.did)], holder, challenge=CHALLENGE, created=CREATED)
    again = sign_presentation([signed(issuer, holder.did)], holder, challenge=CHALLENGE, created=CREATED)
    assert vp["id"].startswith("urn:uuid:") and vp["id"] != again["id"]
    assert (vp["proof"]["created"], vp["proof"]["challenge"], vp["proof"]["proofPurpose"]) == (CREATED, CHALLENGE, "authentication")
    bound = sign_presentation([signed(issuer, holder.did)], holder, challenge=CHALLENGE, domain="school.example")
    assert bound["proof"]["domain"] == "school.example" and "domain" not in vp["proof"]


# --- the verifier's sources (verify.sources: one setup for every verifying command) -----------------------------
def test_the_trust_option_is_the_word_example_or_a_file(tmp_path):
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.verify.sources import example_registry_path, resolve_trust_path

    assert resolve_trust_path(None) is None
    example = resolve_trust_path("example")
    assert example == example_registry_path() and example.is_file()
    assert example.parts[-2:] == ("keys-example", "trust-registry.json")
    registry = tmp_path / "registry.json"
    registry.write_text("{}")
    assert resolve_trust_path(str(registry)) == registry and resolve_trust_path(registry) == registry
    with pytest.raises(InputError, match=r"^--trust .*missing\.json: no such file"):
        resolve_trust_path(tmp_path / "missing.json")
    with pytest.raises(InputError):
        resolve_trust_path(tmp_path)  # a folder is no registry file


def test_the_verifier_setup_without_registry_reads_its_home(tmp_path):
    from datetime import timedelta

    from ecvet_credentials.verify.sources import verifier_setup

    home = tmp_path / "home"
    setup = verifier_setup(home, offline=True)
    assert setup.trust is None
    assert setup.options() == {"trust": None, "resolver": setup.resolver, "status_source": setup.status_source}
    source = setup.status_source
    assert source.fetcher is setup.fetcher and setup.resolver.documents == {}
    assert setup.fetcher.offline and source.offline and source.refresh_after == timedelta(0)
    assert setup.fetcher.cache.directory == home / "cache" / "http"
    assert source.directory is None and source._presented is None
    (home / "status").mkdir(parents=True)
    online = verifier_setup(home)
    assert online.status_source.directory == home / "status" and not online.fetcher.offline


def test_status_lists_presented_beside_the_input_or_named(tmp_path):
    from ecvet_credentials.verify.sources import verifier_setup

    received = tmp_path / "received"
    (received / "status").mkdir(parents=True)
    beside = verifier_setup(tmp_path / "home", input_path=str(received / "cred.json"), offline=True)
    assert beside.status_source._presented.directory == (received / "status").resolve()
    assert verifier_setup(tmp_path / "home", input_path="-", offline=True).status_source._presented is None
    assert verifier_setup(tmp_path / "home", input_path=str(tmp_path / "cred.json"), offline=True).status_source._presented is None
    named = tmp_path / "lists"
    named.mkdir()
    chosen = verifier_setup(tmp_path / "home", status_dir=named, input_path=str(received / "cred.json"), offline=True)
    assert chosen.status_source._presented.directory == named


def test_a_registry_file_is_checked_against_the_anchor_with_the_given_did_documents(tmp_path):
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.trust.signing import sign_trust_registry
    from ecvet_credentials.verify.sources import example_registry_path, verifier_setup

    anchor = KeyPair.generate("Ed25519")
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps(sign_trust_registry(json.loads(example_registry_path().read_text()), anchor)))
    web = {"id": "did:web:school.example", "verificationMethod": []}
    setup = verifier_setup(tmp_path / "home", trust_path=registry, trust_anchor=anchor.did, did_documents=[web], offline=True)
    assert setup.trust.signed_by == anchor.did and not setup.trust.untrusted
    assert setup.resolver.documents["did:web:school.example"] == web
    stranger = verifier_setup(tmp_path / "home", trust_path=registry, trust_anchor=KeyPair.generate("Ed25519").did, offline=True)
    assert stranger.trust.untrusted and stranger.trust.signed_by is None
    example = verifier_setup(tmp_path / "home", trust_path="example", offline=True)
    assert example.trust.name.startswith("Example ECVET partnership registry") and example.trust.anchor is None
    with pytest.raises(InputError, match="--trust-anchor needs a --trust registry file"):
        verifier_setup(tmp_path / "home", trust_anchor=anchor.did, offline=True)


def test_a_registry_anchored_in_a_did_web_uses_the_did_documents_given(tmp_path):
    from ecvet_credentials.crypto.dids import did_web_document
    from ecvet_credentials.trust.signing import REGISTRY_SUITES
    from ecvet_credentials.verify.sources import example_registry_path, verifier_setup

    key = KeyPair.generate("Ed25519")
    document = did_web_document("did:web:authority.example", [{"key": key, "id": "k1"}])
    data = sign(json.loads(example_registry_path().read_text()), key, cryptosuite=REGISTRY_SUITES["Ed25519"],
                verification_method="did:web:authority.example#k1")
    registry = tmp_path / "registry.json"
    registry.write_text(json.dumps(data))
    setup = verifier_setup(tmp_path / "home", trust_path=registry, trust_anchor="did:web:authority.example",
                           did_documents=[document], offline=True)
    assert setup.trust.signed_by == "did:web:authority.example" and not setup.trust.untrusted


def test_without_a_registry_file_the_subscribed_registries_are_used_at_the_callers_time(tmp_path):
    import hashlib
    from datetime import timedelta

    from ecvet_credentials.trust.signing import sign_trust_registry
    from ecvet_credentials.verify.sources import example_registry_path, verifier_setup

    anchor = KeyPair.generate("Ed25519")
    url = "https://registry.example/trust.json"
    data = sign_trust_registry(json.loads(example_registry_path().read_text()), anchor)
    home = tmp_path / "home"
    (home / "trust" / "accepted").mkdir(parents=True)
    (home / "trust" / "subscriptions.json").write_text(json.dumps({"subscriptions": [{"url": url, "anchor": anchor.did}]}))
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
    (home / "trust" / "accepted" / f"{digest}.json").write_text(json.dumps(
        {"url": url, "anchor": anchor.did, "fetchedAt": "2026-06-01T09:00:00Z", "registry": data}))
    setup = verifier_setup(home, offline=True, now=NOW)
    assert setup.trust.signed_by == anchor.did and setup.trust.age_note == "subscribed copy of registry.example, 3 hours old"
    later = verifier_setup(home, offline=True, now=NOW + timedelta(days=3))
    assert later.trust.age_note.endswith("3 days old, not refreshed: offline")
    # a second subscription, whose registry stopped counting before NOW: left out of the merge
    expired = dict(json.loads(example_registry_path().read_text()), name="Old registry", validUntil="2026-05-01T00:00:00Z")
    old_url = "https://old.example/trust.json"
    (home / "trust" / "subscriptions.json").write_text(json.dumps({"subscriptions": [
        {"url": url, "anchor": anchor.did}, {"url": old_url, "anchor": anchor.did}]}))
    digest = hashlib.sha256(old_url.encode("utf-8")).hexdigest()[:40]
    (home / "trust" / "accepted" / f"{digest}.json").write_text(json.dumps(
        {"url": old_url, "anchor": anchor.did, "fetchedAt": "2026-04-01T09:00:00Z",
         "registry": sign_trust_registry(expired, anchor)}))
    assert verifier_setup(home, offline=True, now=NOW).trust.name == data["name"]
    assert verifier_setup(home, offline=True, now=datetime(2026, 4, 2, tzinfo=timezone.utc)).trust.name == f"{data['name']} + Old registry"


# --- the text report (render_text) ------------------------------------------------------------------------------
def _checklist():
    report = VerificationReport(document={"type": ["VerifiableCredential", "EcvetPersonalTranscript"], "id": "urn:x:1",
                                          "learner": "Ada Rossi", "issuer": "did:example:s", "issuerName": "Berufskolleg"})
    report.passed("input", "readable")
    report.failed("schema", "SCHEMA_INVALID", "$.x: bad")
    report.passed("proof", "sig ok")
    report.failed("issuer-trusted", "ISSUER_UNKNOWN", "not listed")
    report.warning("validity-period", "SOON", "soon over")
    report.not_checked("status", "NO_LIST", "list unreachable")
    report.not_checked("agreement-match", "NO_AGREEMENT", "no agreement given", required=False)
    report.passed("x-extra", "extra ok")
    return report


CHECKLIST = [
    "Document: EcvetPersonalTranscript",
    "Id:       urn:x:1",
    "Learner:  Ada Rossi",
    'Issuer:   claims to be "Berufskolleg" (did:example:s); not recognised by a trust registry you use',
    "",
    "[PASS] Readable credential: readable",
    "[FAIL] Matches its schema: $.x: bad",
    "[PASS] Signature: sig ok",
    "[NOT CHECKED] Issuer is a trusted institution: not listed",   # amber, never a red FAIL
    "[WARN] Within its validity period: soon over",
    "[NOT CHECKED] Not revoked or suspended: list unreachable",
    "[PASS] x-extra: extra ok",                                     # a check without a label shows its id
    "",
    "Result: NOT VERIFIED (schema, issuer-trusted, status)",
]


def test_the_text_report_lists_the_document_the_checks_and_the_verdict():
    from ecvet_credentials.verify.render_text import render_text

    assert render_text(_checklist()).splitlines() == CHECKLIST
    verbose = render_text(_checklist(), verbose=True).splitlines()
    assert verbose == CHECKLIST[:11] + ["[----] Matches the Learning Agreement: no agreement given"] + CHECKLIST[11:]


def test_the_text_report_in_colour_marks_every_line_and_the_verdict():
    from ecvet_credentials.verify.render_text import render_text

    green, red, yellow, bold, end = "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[0m"
    lines = render_text(_checklist(), color=True, verbose=True).splitlines()
    assert lines[5] == f"[{green}{bold}PASS{end}] Readable credential: readable"
    assert lines[6] == f"[{red}{bold}FAIL{end}] Matches its schema: $.x: bad"
    assert lines[8] == f"[{yellow}{bold}NOT CHECKED{end}] Issuer is a trusted institution: not listed"
    assert lines[9] == f"[{yellow}{bold}WARN{end}] Within its validity period: soon over"
    assert lines[11] == f"[{bold}----{end}] Matches the Learning Agreement: no agreement given"
    assert lines[-1] == f"{red}{bold}Result: NOT VERIFIED (schema, issuer-trusted, status){end}"
    assert lines[:5] == CHECKLIST[:5]


def _passed(document, trusted="passed"):
    report = VerificationReport(document=document)
    report.passed("input", "ok")
    report.passed("proof", "ok")
    if trusted == "passed":
        report.passed("issuer-trusted", "listed")
    elif trusted == "warning":
        report.warning("issuer-trusted", "ROLE", "listed, another role")
    else:
        report.not_checked("issuer-trusted", "NO_REGISTRY", "no registry", required=False)
    return report


def test_a_verified_credential_shows_its_recognised_issuer_as_fact():
    from ecvet_credentials.verify.render_text import render_text

    doc = {"type": ["VerifiableCredential"], "issuer": "did:example:s", "issuerName": "Berufskolleg"}
    text = render_text(_passed(doc))
    assert text.splitlines() == ["Document: VerifiableCredential", "Learner:  (not named)",
                                 "Issuer:   Berufskolleg (did:example:s)", "",
                                 "[PASS] Readable credential: ok", "[PASS] Signature: ok",
                                 "[PASS] Issuer is a trusted institution: listed", "", "Result: VERIFIED"]
    green, bold, end = "\x1b[32m", "\x1b[1m", "\x1b[0m"
    assert render_text(_passed(doc), color=True).splitlines()[-1] == f"{green}{bold}Result: VERIFIED{end}"
    nameless = render_text(_passed({"type": "VerifiableCredential", "issuer": "did:example:s"}, "warning")).splitlines()
    assert nameless[:3] == ["Document: VerifiableCredential", "Learner:  (not named)", "Issuer:   did:example:s"]
    assert "[WARN] Issuer is a trusted institution: listed, another role" in nameless


def test_an_issuer_no_registry_was_asked_about_is_a_claim_and_its_line_is_shown():
    from ecvet_credentials.verify.render_text import render_text

    lines = render_text(_passed({"type": ["VerifiableCredential"], "learner": "Ada"}, "none")).splitlines()
    assert lines[1:3] == ["Learner:  Ada", "Issuer:   names no institution (?); not recognised by a trust registry you use"]
    assert "[NOT CHECKED] Issuer is a trusted institution: no registry" in lines
    assert lines[-1] == "Result: VERIFIED"  # the caller did not ask for the trust check


def test_a_report_with_no_check_says_so():
    from ecvet_credentials.verify.render_text import render_text

    assert render_text(VerificationReport()).splitlines() == ["", "Result: COULD NOT CHECK (no check ran)"]


def test_a_presentation_shows_one_line_per_credential_inside():
    from ecvet_credentials.verify.render_text import render_text

    report = _passed({"type": ["VerifiablePresentation", "EcvetPresentation"], "id": "urn:vp:1"})
    report.failed("credentials", "CREDENTIAL_NOT_VERIFIED", "2 of 4 did not verify")
    report.extra["credentials"] = [
        {"verified": True, "document": {"type": ["VerifiableCredential", "EcvetRecognition"], "id": "urn:x:1"}},
        {"verified": False, "verdict": "could_not_check", "document": {"type": "EcvetPersonalTranscript"},
         "checks": [{"id": "input", "outcome": "passed", "message": "ok"},
                    {"id": "agreement-match", "outcome": "failed", "required": False, "message": "optional"},
                    {"id": "status", "outcome": "not_checked", "message": "list unreachable"},
                    {"id": "proof", "outcome": "failed", "message": "bad"}]},
        {"verified": False, "document": {"type": ["VerifiableCredential"], "id": "urn:x:3"},
         "checks": [{"id": "validity-period", "outcome": "warning", "message": "soon"}]},
        {"verified": False},
    ]
    lines = render_text(report).splitlines()
    assert lines[:2] == ["Document: EcvetPresentation", "Id:       urn:vp:1"] and "Learner" not in lines[2]
    alone = render_text(_passed({"type": "VerifiablePresentation"})).splitlines()
    assert alone[:2] == ["Document: VerifiablePresentation", ""]
    assert lines[-8:] == [
        "[FAIL] Every credential inside verifies: 2 of 4 did not verify",
        "",
        "  Credential 1: EcvetRecognition urn:x:1: VERIFIED",
        "  Credential 2: EcvetPersonalTranscript: COULD NOT CHECK (status: list unreachable)",
        "  Credential 3: credential urn:x:3: NOT VERIFIED (no check ran)",
        "  Credential 4: credential: NOT VERIFIED (no check ran)",
        "",
        "Result: NOT VERIFIED (credentials)",
    ]


def test_a_presentation_needs_credential_objects():
    from ecvet_credentials.verify.presentation import build_presentation

    for credentials in ([], [{"type": ["VerifiableCredential"]}, "urn:x:1"], ["urn:x:1"]):
        with pytest.raises(ValueError):
            build_presentation(credentials, holder="did:example:h")


def test_every_domain_a_proof_of_the_presentation_is_bound_to_is_seen(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation

    vp = sign(build_presentation([signed(issuer, holder.did)], holder=holder.did), holder, purpose="authentication",
              challenge=CHALLENGE, domain="school.example", created=CREATED)
    as_set = dict(vp, proof=[vp["proof"], "not a proof"])  # a proof set, with an entry that is no proof at all
    check = verify_credential(as_set, now=NOW, challenge=CHALLENGE).get("holder-binding")
    assert (check.code, check.details) == ("DOMAIN_NOT_CHECKED", {"holder": holder.did}) and "'school.example'" in check.message
    listed = sign(build_presentation([signed(issuer, holder.did)], holder=holder.did), holder, purpose="authentication",
                  challenge=CHALLENGE, domain=["school.example", "other.example"], created=CREATED)
    assert verify_credential(listed, now=NOW, challenge=CHALLENGE).get("holder-binding").code == "DOMAIN_NOT_CHECKED"


def test_the_credentials_inside_are_verified_with_the_verifiers_options(holder):
    from datetime import timedelta

    from ecvet_credentials.verify.context import VerifyContext, VerifyOptions
    from ecvet_credentials.verify.presentation import _nested_credentials, build_presentation

    calls = []

    def nested(document, **options):
        calls.append((document, options))
        report = VerificationReport()
        report.passed("input", "ok")
        return report

    options = VerifyOptions(checks=frozenset({"input", "proof"}), now=NOW, clock_skew=60, offline=False, resolver="R",
                            trust="T", agreement={"la": 1}, mou={"mou": 1}, status_source="S", status_optional=True,
                            status_max_age=timedelta(days=2), challenge=CHALLENGE, domain="school.example",
                            registry="C", limits="L", inline_contexts=True, generic_presentations=True)
    credential = generic()
    report = VerificationReport()
    _nested_credentials(VerifyContext(build_presentation([credential], holder=holder.did), options, verify_nested=nested), report)
    assert calls == [(credential, {
        "checks": frozenset({"input", "proof"}), "now": NOW, "clock_skew": 60, "offline": False, "resolver": "R",
        "trust": "T", "agreement": {"la": 1}, "mou": {"mou": 1}, "status_source": "S", "status_optional": True,
        "registry": "C", "limits": "L", "status_max_age": timedelta(days=2), "inline_contexts": True})]
    assert report.get("credentials").code == "OK"


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


# --- the document checks ------------------------------------------------------------------------------------
def test_the_ecvet_rules_run_once_and_their_model_is_what_the_agreement_match_reads(monkeypatch):
    from dataclasses import replace

    import model_samples as ms
    from ecvet_credentials.model import build_agreement_credential, build_transcript_credential, reference_to, schemas
    from ecvet_credentials.verify import agreement_match

    la = build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")
    pt = build_transcript_credential(replace(ms.pt, agreement=reference_to(la)), valid_from="2026-12-10T10:00:00Z")
    rules, matched = [], []
    check_rules, match = schemas.check_rules, agreement_match.match_agreement

    def counting(doc):
        rules.append(check_rules(doc))
        return rules[-1]

    def spying(*args, **kwargs):
        matched.append(kwargs["transcript_model"])
        return match(*args, **kwargs)

    monkeypatch.setattr(schemas, "check_rules", counting)
    monkeypatch.setattr(agreement_match, "match_agreement", spying)
    report = verify_credential(pt, agreement=la, now=datetime(2026, 12, 11, tzinfo=timezone.utc))
    assert report.get("ecvet-consistency").code == "OK" and report.get("agreement-match") is not None
    assert len(rules) == 1 and matched == [rules[0][1]] and matched[0] is not None


def test_standard_input_has_no_status_folder_beside_it(tmp_path, monkeypatch):
    from ecvet_credentials.verify.sources import verifier_setup

    (tmp_path / "status").mkdir()
    monkeypatch.chdir(tmp_path)
    assert verifier_setup(tmp_path / "home", input_path="-", offline=True).status_source._presented is None
    assert verifier_setup(tmp_path / "home", input_path="x.json", offline=True).status_source._presented is not None


@pytest.fixture(scope="module")
def transcript():
    from dataclasses import replace

    import model_samples as ms
    from ecvet_credentials.model import build_agreement_credential, build_transcript_credential, reference_to

    la = build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")
    return build_transcript_credential(replace(ms.pt, agreement=reference_to(la)), valid_from="2026-12-10T10:00:00Z")


AFTER = datetime(2026, 12, 11, tzinfo=timezone.utc)


def test_the_schema_check_names_its_schema_and_lists_at_most_twenty_issues(transcript):
    import copy

    ok = verify_credential(transcript, now=AFTER)
    schema = ok.get("schema")
    assert (schema.code, schema.details) == ("OK", {"schema": "personal-transcript-v1"}) and "personal-transcript-v1" in schema.message
    assert (ok.get("ecvet-consistency").code, ok.get("ecvet-consistency").details) == ("OK", {})
    many = copy.deepcopy(transcript)
    many["credentialSubject"]["hasClaim"]["hasPart"] = list(range(25))
    report = verify_credential(many, now=AFTER)
    schema = report.get("schema")
    assert (schema.outcome.value, schema.code, schema.details["schema"]) == ("failed", "SCHEMA_INVALID", "personal-transcript-v1")
    issues = schema.details["issues"]
    assert len(issues) == 20 and issues[0] == {"path": "$.credentialSubject.hasClaim.hasPart[0]",
                                               "message": "0 is not of type 'object'", "code": "SCHEMA_INVALID"}
    assert schema.message == "$.credentialSubject.hasClaim.hasPart[0]: 0 is not of type 'object' (and 20 more)"
    rules = report.get("ecvet-consistency")
    assert (rules.outcome.value, rules.code, rules.required) == ("not_checked", "SCHEMA_INVALID", True)
    one = copy.deepcopy(transcript)
    one["credentialSubject"]["familyName"] = 7
    assert verify_credential(one, now=AFTER).get("schema").message == "$.credentialSubject.familyName: 7 is not of type 'string'"


def test_a_broken_ecvet_rule_is_listed_with_the_others(transcript):
    import copy

    doc = copy.deepcopy(transcript)
    doc["credentialSubject"]["hasClaim"]["influencedBy"]["temporal"]["endDate"] = "2026-09-01"
    check = verify_credential(doc, now=AFTER).get("ecvet-consistency")
    assert (check.outcome.value, check.code) == ("failed", "ECVET_RULE_VIOLATION")
    path = "$.credentialSubject.hasClaim.influencedBy.temporal.endDate"
    assert check.message == f"{path}: 2026-09-01 is before startDate 2026-09-28 (and 1 more)"
    assert check.details["issues"][0] == {"path": path, "message": "2026-09-01 is before startDate 2026-09-28",
                                          "code": "RULE_VIOLATION"} and len(check.details["issues"]) == 2
    one = copy.deepcopy(transcript)
    one["credentialSubject"]["hasClaim"]["influencedBy"]["durationWeeks"] = 9
    assert verify_credential(one, now=AFTER).get("ecvet-consistency").message == (
        "$.credentialSubject.hasClaim.influencedBy.durationWeeks: 9 weeks do not fit between 2026-09-28 and 2026-11-20")


def test_a_naive_clock_is_utc():
    check = verify_credential(generic(validFrom="2026-06-01T12:00:00Z"), now=datetime(2026, 6, 1, 11, 54)).get("validity-period")
    assert check.code == "NOT_YET_VALID" and "2026-06-01T11:54:00Z" in check.message


# --- the agreement check remembered per version of the agreement (checked_agreement) --------------------------
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


# --- formats this version does not read, and the options ---------------------------------------------------------
def test_a_sealed_europass_is_known_by_its_payload_and_signatures_without_context():
    from ecvet_credentials.verify.formats import is_sealed_europass, unsupported_format_message

    assert is_sealed_europass({"payload": "eyJ", "signatures": []})
    for doc in ({"payload": "eyJ", "signatures": [], "@context": [V2]}, {"payload": {}, "signatures": []},
                {"payload": "eyJ", "signatures": {}}, {"payload": "eyJ"}, {"signatures": []}, ["payload", "signatures"]):
        assert not is_sealed_europass(doc) and unsupported_format_message(doc) is None
    assert "sealed Europass" in unsupported_format_message({"payload": "eyJ", "signatures": [{}]})


@pytest.mark.parametrize("url, europass", [
    ("http://data.europa.eu/snb/model/context/edc-ap", True), ("https://data.europa.eu/snb/model/context/edc-ap", True),
    ("https://data.europa.eu/snb/model/other", False), ("https://example.org/ctx", False),
])
def test_an_unknown_context_says_whether_it_is_europass(url, europass):
    from ecvet_credentials.verify.formats import unknown_context_message

    message = unknown_context_message(url)
    assert message.startswith("The document ") and url in message
    assert ("is a Europass credential" in message) is europass
    assert unknown_context_message(url, name="The agreement").startswith("The agreement ")


def test_the_options_know_every_check_and_want_only_those_asked():
    from ecvet_credentials.verify.context import VerifyContext, VerifyOptions

    with pytest.raises(ValueError, match=r"\['nope'\]"):
        VerifyOptions(checks=frozenset({"proof", "nope"}))
    every = VerifyContext({}, VerifyOptions())
    assert every.wants("proof") and every.wants("status")
    some = VerifyContext({}, VerifyOptions(checks=frozenset({"proof"})))
    assert some.wants("proof") and not some.wants("status")
    assert VerifyOptions().clock_skew == 300 and VerifyOptions().offline is True


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


def test_every_holder_binding_outcome_says_what_it_found(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation

    def check(vp, **options):
        options.setdefault("challenge", CHALLENGE)
        return verify_credential(vp, now=NOW, **options).get("holder-binding")

    def signed_vp(creds, key=holder, **extra):
        return sign(build_presentation(creds, holder=holder.did), key, purpose="authentication", challenge=CHALLENGE,
                    created=CREATED, **extra)

    mine = signed(issuer, holder.did)
    nameless = dict(build_presentation([mine], holder=holder.did))
    del nameless["holder"]
    assert check(nameless).message.startswith("The presentation names no holder")
    assert check(build_presentation([mine], holder=holder.did)).message.startswith("Without a valid presentation proof")
    thief = KeyPair.generate("Ed25519")
    stolen = check(signed_vp([mine], thief))
    assert stolen.message == f"The presentation says its holder is {holder.did}, but it was signed by {thief.did}."
    other = check(signed_vp([mine, signed(issuer, "did:example:someone", 2)]))
    assert other.code == "HOLDER_NOT_SUBJECT" and other.message.startswith(
        f"The holder {holder.did} is not the subject of credential(s) 2;")
    unchecked = check(signed_vp([mine], domain="school.example"))
    assert unchecked.code == "DOMAIN_NOT_CHECKED" and holder.did in unchecked.message
    ok = check(signed_vp([mine]))
    assert ok.message == f"Presented by {holder.did}, the subject of every credential, for your challenge."
    bound = check(signed_vp([mine], domain="school.example"), domain="school.example")
    assert bound.message == f"Presented by {holder.did}, the subject of every credential, for your challenge and domain 'school.example'."


def test_a_presentation_inside_a_presentation_fails_the_inner_input_check(issuer, holder):
    from ecvet_credentials.verify.presentation import build_presentation

    mine = signed(issuer, holder.did)
    vp = sign(build_presentation([mine, build_presentation([mine], holder=holder.did)], holder=holder.did), holder,
              purpose="authentication", challenge=CHALLENGE, created=CREATED)
    report = verify_credential(vp, now=NOW, challenge=CHALLENGE, trust=trust_in(issuer))
    inner = report.extra["credentials"][1]["checks"]
    assert [(c["id"], c["outcome"], c["code"]) for c in inner] == [("input", "failed", "NESTED_PRESENTATION")]
    assert inner[0]["message"] == "A presentation inside a presentation is not accepted."
    assert report.get("credentials").message.startswith("Credential(s) 2 of 2 did not verify (credential 2: input)")


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


def test_the_contexts_check_names_the_context_and_lists_those_it_accepted():
    examples = "https://www.w3.org/ns/credentials/examples/v2"
    ok = verify_credential(generic(**{"@context": [V2, examples]}), now=NOW).get("contexts")
    assert (ok.code, ok.details) == ("OK", {"contexts": [V2, examples]}) and ok.message
    first = verify_credential(generic(**{"@context": [examples, V2]}), now=NOW).get("contexts")
    assert first.code == "NO_VC_CONTEXT" and V2 in first.message and repr(examples) in first.message
    unknown = verify_credential(generic(**{"@context": [V2, "https://example.org/ctx"]}), now=NOW).get("contexts")
    assert unknown.details == {"url": "https://example.org/ctx"} and "https://example.org/ctx" in unknown.message
    inline = verify_credential(generic(**{"@context": [V2, {"a": "urn:x:a"}]}), now=NOW).get("contexts")
    assert inline.code == "INLINE_CONTEXT" and inline.message.startswith("The document embeds an inline @context")
    two = [V2, {"a": "https://school.example/a"}, {"b": "https://school.example/b"}]
    passed = verify_credential(generic(**{"@context": two}), now=NOW, inline_contexts=True).get("contexts")
    assert (passed.code, passed.details) == ("OK", {"contexts": two}) and "; 2 inline context object(s)" in passed.message
    after = verify_credential(generic(**{"@context": [V2, {"a": "https://school.example/a"}, "https://example.org/ctx"]}),
                              now=NOW, inline_contexts=True).get("contexts")
    assert after.code == "UNKNOWN_CONTEXT"  # an inline context does not end the check of those after it


def test_a_bundled_context_that_changed_on_disk_is_refused_with_the_reason(tmp_path, repo_dir):
    import shutil

    from ecvet_credentials.jsonld.contexts import ContextRegistry

    examples = "https://www.w3.org/ns/credentials/examples/v2"
    shutil.copytree(repo_dir / "contexts", tmp_path / "contexts")
    index = json.loads((tmp_path / "contexts" / "index.json").read_text())
    (tmp_path / "contexts" / index["contexts"][examples]["file"]).write_text('{"@context": {"@vocab": "urn:evil#"}}')
    check = verify_credential(generic(**{"@context": [V2, examples]}), registry=ContextRegistry(tmp_path / "contexts"),
                              now=NOW).get("contexts")
    assert check.code == "CONTEXT_PIN_MISMATCH" and examples in check.message and check.message != "None"


def test_checks_that_do_not_apply_still_say_why():
    report = verify_credential(generic(), now=NOW)
    for check_id in ("schema", "ecvet-consistency"):
        check = report.get(check_id)
        assert check.outcome.value == "not_checked" and not check.required and isinstance(check.message, str) and check.message
