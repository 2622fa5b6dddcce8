"""How the status check turns the status list results into the report: outcome, code, required, where
the lists came from, and which URLs the issuer's registry entry allows. The status list results are
given (status/check.py has its own tests); written for `make mutation` in verify/checks_status.py."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ecvet_credentials.status import check as status_check
from ecvet_credentials.status.check import StatusCheck
from ecvet_credentials.trust.registry import Institution, TrustRegistry
from ecvet_credentials.verify import verify_credential

V2 = "https://www.w3.org/ns/credentials/v2"
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
LIST = "https://school.example/status/1"
ENTRY = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7",
         "statusListCredential": LIST}


def credential(**extra):
    doc = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": "did:example:school",
           "credentialSubject": {"id": "did:example:learner"}, "credentialStatus": ENTRY}
    doc.update(extra)
    return {k: v for k, v in doc.items() if v is not None}


def entry(outcome, code="", *, purpose="revocation", origin=None, age=None, message="what happened"):
    return StatusCheck(purpose, 7, LIST, outcome, code, message, origin=origin, list_age_seconds=age)


@pytest.fixture
def given(monkeypatch):
    """given(results) makes the status list check return `results` and records how it was called."""
    calls = []

    def install(results):
        def fake(doc, source, **kwargs):
            calls.append(kwargs)
            return results
        monkeypatch.setattr(status_check, "check_status", fake)
        return calls
    return install


def status(doc=None, **options):
    options.setdefault("now", NOW)
    options.setdefault("status_source", object())
    return verify_credential(doc or credential(), checks=["status"], **options).get("status")


def test_no_status_entry_means_nothing_to_revoke():
    c = status(credential(credentialStatus=None))
    assert (c.outcome.value, c.code, c.required) == ("not_checked", "NO_STATUS", False)


def test_without_a_source_revocation_is_not_checked_and_required_unless_optional():
    c = status(status_source=None)
    assert (c.outcome.value, c.code, c.required) == ("not_checked", "STATUS_NOT_CHECKED", True)
    assert status(status_source=None, status_optional=True).required is False


@pytest.mark.parametrize("outcomes, expected", [
    (["revoked"], ("failed", "CREDENTIAL_REVOKED", True)),
    (["ok", "suspended"], ("failed", "CREDENTIAL_SUSPENDED", True)),
    (["suspended", "revoked"], ("failed", "CREDENTIAL_REVOKED", True)),
    (["invalid"], ("failed", "STATUS_LIST_UNSIGNED", True)),
    (["unavailable"], ("not_checked", "STATUS_LIST_UNREACHABLE", True)),
    (["stale"], ("warning", "STATUS_LIST_STALE", True)),
    (["ok", "ok"], ("passed", "OK", True)),
])
def test_the_worst_entry_decides(given, outcomes, expected):
    codes = {"invalid": "STATUS_LIST_UNSIGNED", "unavailable": "STATUS_LIST_UNREACHABLE"}
    given([entry(o, codes.get(o, "OK")) for o in outcomes])
    c = status()
    assert (c.outcome.value, c.code, c.required) == expected
    assert c.details == {"entries": [entry(o, codes.get(o, "OK")).to_json() for o in outcomes]}


def test_an_entry_without_code_gets_the_generic_one(given):
    given([entry("invalid")])
    assert status().code == "STATUS_LIST_INVALID"
    given([entry("unavailable")])
    assert status().code == "STATUS_LIST_UNAVAILABLE"


def test_an_unavailable_list_is_optional_only_when_the_caller_says_so(given):
    given([entry("unavailable", "STATUS_LIST_UNREACHABLE", message="the server did not answer")])
    c = status(status_optional=True)
    assert (c.outcome.value, c.required) == ("not_checked", False) and "the server did not answer" in c.message


def test_no_entry_in_credential_status_is_nothing_to_revoke(given):
    given([])
    c = status()
    assert (c.outcome.value, c.code, c.required) == ("not_checked", "NO_STATUS", False)


def test_the_message_names_the_list_the_purposes_and_where_the_list_came_from(given):
    given([entry("revoked", "OK")])
    assert LIST in status().message
    given([entry("suspended", "OK")])
    assert LIST in status().message
    given([entry("ok", "OK", purpose="suspension", origin="cache", age=7200),
           entry("ok", "OK", purpose="revocation", origin="cache", age=600)])
    message = status().message
    assert "revocation, suspension" in message and "cached copy 2 h" in message
    given([entry("ok", "OK", origin="presented"), entry("ok", "OK", origin="network")])
    assert "supplied with the credential" in status().message
    given([entry("ok", "OK", origin="network"), entry("ok", "OK", origin="directory")])
    assert "fetched from the issuer" in status().message
    given([entry("ok", "OK", origin="directory")])
    assert status().message.endswith("(checked: revocation).")
    given([entry("ok", "OK", origin="cache", age=None)])
    assert "cached" not in status().message


def test_the_callers_clock_and_maximum_age_reach_the_list_check(given):
    calls = given([entry("ok", "OK")])
    status(status_max_age=timedelta(days=2))
    assert calls[0]["now"] == NOW and calls[0]["max_age"] == timedelta(days=2)


def test_only_the_issuers_registered_status_urls_are_fetched(given):
    calls = given([entry("ok", "OK")])
    school = Institution("did:example:school", "School", "IT", ("host",), status_prefixes=("https://school.example/status/",))
    trust = TrustRegistry("r", {"did:example:school": school})
    status(trust=trust)
    status(trust=TrustRegistry("r", {}))                                          # issuer not listed
    status(trust=TrustRegistry("r", {"did:example:school": school}, untrusted="bad anchor proof"))
    status()                                                                       # no registry
    status(credential(issuer=None), trust=trust)                                   # no issuer
    assert [c["allowed_prefixes"] for c in calls] == [("https://school.example/status/",), None, None, None, None]
