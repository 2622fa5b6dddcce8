"""Verification paths no other test executed: a non-object input, an issuer name given as a language map,
the ECVET rules and the validity period refusing, the status check's empty entry list, stale and cached
lists, the issuer-role rule, presentations (holder as an object, a signed domain nobody checked, no
domain at all), the nested lines of the text report, the verdict when nothing vouches for the proof,
a bundled context changed on disk, an agreement that is not I-JSON and unreadable batch items."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone

import pytest

from ecvet_credentials.core.paths import data_dir
from ecvet_credentials.core.timeutil import iso, parse_datetime
from ecvet_credentials.crypto.keys import load_key_file
from ecvet_credentials.net import describe_age
from ecvet_credentials.proofs import sign
from ecvet_credentials.status.fetch import FetchedList, StatusListSource
from ecvet_credentials.trust.registry import parse_trust_registry
from ecvet_credentials.verify import verify_credential
from ecvet_credentials.verify.context import VerifyContext, VerifyOptions
from ecvet_credentials.verify.presentation import build_presentation, check_presentation, sign_presentation
from ecvet_credentials.verify.render_text import render_text
from ecvet_credentials.verify.report import Outcome, Verdict, VerificationReport

KEYS = data_dir("keys-example")
PASSPHRASE = b"ecvet-example-do-not-use"
# The time of these verifications: an hour after the demo's run (its status lists are valid for a week
# from it; the transcript from 2026-11-20). Set by `demo_now`.
NOW = datetime(2026, 11, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module", autouse=True)
def demo_now(demo_dir):
    global NOW
    listed = json.loads((demo_dir / "status" / "revocation-1.json").read_text())
    NOW = parse_datetime(listed["validFrom"]) + timedelta(hours=1)


def _created() -> str:
    """A presentation proof's creation time: just before NOW."""
    return iso(NOW - timedelta(minutes=1))


@pytest.fixture(scope="module")
def pt(demo_dir) -> dict:
    return json.loads((demo_dir / "transcript.json").read_text())


@pytest.fixture(scope="module")
def learner():
    return load_key_file(KEYS / "learner.key", passphrase=PASSPHRASE)


# --- the document -------------------------------------------------------------------------------
@pytest.mark.parametrize("value, kind", [([1, 2], "array"), ("text", "string"), (None, "null"), (3.5, "number")])
def test_a_document_that_is_not_an_object_fails_input_and_runs_nothing_else(value, kind):
    report = verify_credential(value)
    assert [c.id for c in report.checks] == ["input"]
    assert report.checks[0].code == "NOT_AN_OBJECT" and kind in report.checks[0].message
    assert report.verdict is Verdict.NOT_VERIFIED


def test_an_issuer_name_in_a_language_map_is_described_by_its_first_text(pt):
    doc = copy.deepcopy(pt)
    doc["issuer"]["name"] = {"de": "Berufskolleg", "en": "Vocational college"}
    assert verify_credential(doc, checks=["input"]).document["issuerName"] == "Berufskolleg"
    doc["issuer"]["name"] = {"de": 5}  # nothing printable: no name rather than a wrong one
    assert "issuerName" not in verify_credential(doc, checks=["input"]).document


def test_unknown_check_ids_are_a_programmer_error(pt):
    with pytest.raises(ValueError, match="no-such-check"):
        verify_credential(pt, checks=["proof", "no-such-check"])


def test_a_schema_valid_transcript_breaking_an_ecvet_rule_fails_consistency(pt):
    doc = copy.deepcopy(pt)
    doc["credentialSubject"]["hasClaim"]["influencedBy"]["durationWeeks"] = 99
    report = verify_credential(doc, checks=["schema", "ecvet-consistency"], now=NOW)
    assert report.get("schema").outcome is Outcome.PASSED
    rule = report.get("ecvet-consistency")
    assert rule.outcome is Outcome.FAILED and rule.code == "ECVET_RULE_VIOLATION"
    assert "99 weeks do not fit" in rule.message
    assert rule.details["issues"][0]["path"].endswith("durationWeeks")


def test_valid_until_before_valid_from_is_an_invalid_period(pt):
    doc = copy.deepcopy(pt)
    doc["validUntil"] = "2026-11-01T00:00:00Z"  # before validFrom 2026-11-20
    check = verify_credential(doc, checks=["validity-period"], now=NOW).get("validity-period")
    assert check.outcome is Outcome.FAILED and check.code == "INVALID_PERIOD"


# --- status ------------------------------------------------------------------------------------
class _FetchedAs(StatusListSource):
    """The demo's signed lists, as if they came from the HTTP cache or the network (origin, fetch time)."""

    def __init__(self, directory, origin: str, fetched_at: datetime):
        super().__init__(directory=directory)
        self.origin, self.fetched_at = origin, fetched_at

    def get(self, url, **kw):
        found = super().get(url, **kw)
        return FetchedList(found.url, found.document, self.origin, self.fetched_at)


def test_an_empty_status_entry_list_is_no_status_not_a_pass(pt, demo_dir):
    doc = copy.deepcopy(pt)
    doc["credentialStatus"] = []
    check = verify_credential(doc, status_source=StatusListSource(directory=demo_dir / "status"), now=NOW).get("status")
    assert check.outcome is Outcome.NOT_CHECKED and check.code == "NO_STATUS" and not check.required
    assert "holds no entry" in check.message


def test_a_cached_list_within_its_ttl_passes_and_says_how_old_it_is(pt, demo_dir):
    source = _FetchedAs(demo_dir / "status", "cache", NOW - timedelta(hours=3))
    check = verify_credential(pt, status_source=source, now=NOW).get("status")
    assert check.outcome is Outcome.PASSED, check.message
    assert f"(from a cached copy {describe_age(timedelta(hours=3))} old)" in check.message


def test_a_list_fetched_from_the_issuer_says_so(pt, demo_dir):
    check = verify_credential(pt, status_source=_FetchedAs(demo_dir / "status", "network", NOW), now=NOW).get("status")
    assert check.outcome is Outcome.PASSED and check.message.endswith("(lists fetched from the issuer)")


def test_a_copy_past_its_ttl_but_within_the_maximum_age_is_a_warning(pt, demo_dir):
    source = _FetchedAs(demo_dir / "status", "cache", NOW - timedelta(days=3))
    report = verify_credential(pt, status_source=source, now=NOW, status_max_age=timedelta(days=30))
    check = report.get("status")
    assert check.outcome is Outcome.WARNING and check.code == "STATUS_LIST_STALE"
    assert {e["outcome"] for e in check.details["entries"]} == {"stale"}


# --- trust ---------------------------------------------------------------------------------------
def test_a_listed_issuer_in_the_wrong_role_is_not_trusted_for_this_type(pt):
    data = json.loads((KEYS / "trust-registry.json").read_text())
    host = next(i for i in data["institutions"] if i["did"] == pt["issuer"]["id"])
    host["roles"] = ["home"]  # a transcript comes from the host institution
    report = verify_credential(pt, trust=parse_trust_registry(data), now=NOW)
    check = report.get("issuer-trusted")
    assert check.outcome is Outcome.FAILED and check.code == "ISSUER_ROLE_MISMATCH"
    assert "registered as home" in check.message and "host institution" in check.message
    assert report.verdict is Verdict.ISSUER_NOT_RECOGNISED


# --- presentations -----------------------------------------------------------------------------
def _holder_binding(vp: dict, **options):
    return verify_credential(vp, now=NOW, **options).get("holder-binding")


def test_holder_given_as_an_object_is_bound_like_a_string(pt, learner):
    vp = build_presentation([pt], holder=learner.did)
    vp["holder"] = {"id": learner.did}
    vp = sign(vp, learner, purpose="authentication", challenge="c-1", created=_created())
    check = _holder_binding(vp, challenge="c-1")
    assert check.outcome is Outcome.PASSED and check.details["holder"] == learner.did


def test_a_signed_domain_nobody_checked_is_a_warning_and_checking_it_passes(pt, learner):
    vp = sign_presentation([pt], learner, challenge="c-2", domain="verifier.example", created=_created())
    check = _holder_binding(vp, challenge="c-2")
    assert check.outcome is Outcome.WARNING and check.code == "DOMAIN_NOT_CHECKED"
    assert "verifier.example" in check.message
    checked = _holder_binding(vp, challenge="c-2", domain="verifier.example")
    assert checked.outcome is Outcome.PASSED and "domain 'verifier.example'" in checked.message


def test_no_domain_signed_nor_asked_passes_without_a_domain_note(pt, learner):
    vp = sign_presentation([pt], learner, challenge="c-3", created=_created())
    check = _holder_binding(vp, challenge="c-3")
    assert check.outcome is Outcome.PASSED and check.code == "OK"
    assert "domain" not in check.message


def test_presentations_are_verified_through_the_pipeline_only(pt, learner):
    vp = sign_presentation([pt], learner, challenge="c-4", created=_created())
    ctx = VerifyContext(document=vp, options=VerifyOptions(challenge="c-4", now=NOW))  # no verify_nested
    with pytest.raises(TypeError, match="through the pipeline"):
        check_presentation(ctx, VerificationReport())


# --- the text report and the verdict -------------------------------------------------------------
def test_text_report_has_one_line_per_credential_inside_with_why_it_failed():
    report = VerificationReport()
    report.passed("input", "ok")
    report.failed("credentials", "CREDENTIAL_NOT_VERIFIED", "credential 2 did not verify")
    report.extra["credentials"] = [
        {"verified": True, "document": {"type": ["VerifiableCredential", "EcvetPersonalTranscript"], "id": "urn:a"}},
        {"verified": False, "verdict": "not_verified", "document": {"type": "VerifiableCredential"},
         "checks": [{"id": "schema", "outcome": "passed"}, {"id": "proof", "outcome": "failed", "message": "bad signature"},
                    {"id": "status", "outcome": "not_checked", "required": False, "message": "-"}]},
        {"verified": False, "verdict": "could_not_check", "checks": []},
    ]
    lines = render_text(report).splitlines()
    assert "  Credential 1: EcvetPersonalTranscript urn:a: VERIFIED" in lines
    assert "  Credential 2: credential: NOT VERIFIED (proof: bad signature)" in lines
    assert "  Credential 3: credential: COULD NOT CHECK (no check ran)" in lines


def test_trust_not_checked_without_a_passed_proof_is_could_not_check_not_issuer_not_recognised():
    report = VerificationReport()
    report.passed("input", "ok")
    report.not_checked("proof", "NO_KEY", "the key could not be resolved")
    report.not_checked("issuer-trusted", "NO_TRUST_REGISTRY", "no registry")
    assert report.verdict is Verdict.COULD_NOT_CHECK


def test_every_check_id_has_its_check_and_runs_in_order(pt):
    from ecvet_credentials.verify.pipeline import CHECKS
    from ecvet_credentials.verify.report import CHECK_ORDER

    assert list(CHECKS) == list(CHECK_ORDER)
    assert [c.id for c in verify_credential(pt, now=NOW).checks] == list(CHECK_ORDER)


def test_a_bundled_context_changed_on_disk_fails_the_contexts_check(pt, tmp_path):
    import shutil

    from ecvet_credentials.jsonld.contexts import ContextRegistry

    root = tmp_path / "contexts"
    shutil.copytree(data_dir("contexts"), root)
    index = json.loads((root / "index.json").read_text())
    path = root / index["contexts"][pt["@context"][1]]["file"]
    path.write_text(path.read_text().replace("{", '{"injected": "https://attacker.example/t", ', 1))
    check = verify_credential(pt, registry=ContextRegistry(root), now=NOW).get("contexts")
    assert check.outcome is Outcome.FAILED and check.code == "CONTEXT_PIN_MISMATCH"
    assert check.details == {"url": pt["@context"][1]}


def test_an_agreement_that_is_not_i_json_fails_the_match_with_its_reason(pt, demo_dir):
    la = json.loads((demo_dir / "learning-agreement.json").read_text())
    la["credentialSubject"]["note"] = 2 ** 80  # no I-JSON number: the agreement has no digest
    check = verify_credential(pt, agreement=la, now=NOW, checks=["schema", "agreement-match"]).get("agreement-match")
    assert check.outcome is Outcome.FAILED and check.code == "AGREEMENT_INVALID"
    assert "not I-JSON" in check.message


def test_a_batch_item_that_cannot_be_read_is_a_result_and_the_batch_goes_on(pt, tmp_path):
    from ecvet_credentials.verify.batch import verify_many

    folder = tmp_path / "a-folder.json"
    folder.mkdir()  # named like a credential, but not a file

    def refusing(path):
        raise PermissionError(13, "Permission denied")

    results = list(verify_many([folder, ("pt.json", pt)], now=NOW))
    assert [r.source for r in results] == [str(folder), "pt.json"]
    first = results[0].report.checks[0]
    assert (first.code, first.message) == ("INVALID_INPUT", f"{folder}: Is a directory.")
    assert results[0].verdict is Verdict.NOT_VERIFIED
    assert results[1].report.get("proof").outcome is Outcome.PASSED
    unreadable = next(verify_many([tmp_path / "x.json"], load=refusing))
    assert unreadable.report.checks[0].code == "UNREADABLE" and "Permission denied" in unreadable.reason()
