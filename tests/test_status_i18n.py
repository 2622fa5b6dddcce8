"""The status check's message is wholly in the reader's language: the status layer's own texts (an expired
list, a list too old, ...) go through the catalogue, not only the report's frame around them."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ecvet_credentials.core.timeutil import iso
from instants import DEMO_NOW

TEN_YEARS_LATER = iso(DEMO_NOW.replace(year=DEMO_NOW.year + 10))
VALID_UNTIL = iso(DEMO_NOW + timedelta(days=7))  # the demo's status lists are valid 7 days
# What the English message says about an expired list: none of it may be left in another language.
ENGLISH = ("status list expired", "says nothing", "expired list", "the revocation status", "the suspension status",
           "get the issuer's current list")


def _status_line(runner, demo_dir, lang: str) -> str:
    from ecvet_credentials.cli.main import cli

    result = runner.invoke(cli, ["--lang", lang, "verify", str(demo_dir / "transcript.json"), "--status-dir",
                                 str(demo_dir / "status"), "--offline", "--now", TEN_YEARS_LATER])
    assert result.exit_code == 1, result.output  # not verified: an expired list never passes
    lines = [line for line in result.output.splitlines() if VALID_UNTIL in line]  # the status line
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize("lang, words", [
    ("pl", ("Nie udało się sprawdzić unieważnienia", "lista statusu wygasła", "wygasła lista nie mówi nic",
            "pobierz aktualną listę wystawcy")),
    ("de", ("Der Widerruf konnte nicht geprüft werden", "die Statusliste ist am", "abgelaufen",
            "besorgen Sie die aktuelle Liste des Ausstellers")),
])
def test_an_expired_status_list_is_reported_wholly_in_the_readers_language(runner, demo_dir, lang, words):
    line = _status_line(runner, demo_dir, lang)
    assert all(word in line for word in words), line
    assert not any(english in line for english in ENGLISH), line


def test_in_english_the_expired_list_message_is_unchanged(runner, demo_dir):
    line = _status_line(runner, demo_dir, "en")
    assert f"Revocation could not be checked: status list expired at {VALID_UNTIL}:" in line
    assert "an expired list says nothing about the revocation status now; get the issuer's current list" in line


def test_list_ages_are_told_by_the_one_age_formatter_in_the_readers_language():
    """A stale cached copy's age comes from net.describe_age (its plural forms), not an English '2.0 hours'."""
    from ecvet_credentials.i18n import use_language
    from ecvet_credentials.status.check import _too_old

    class Copy:  # a retrieved copy five hours old
        def age(self, now):
            return timedelta(hours=5)

    with use_language("pl"):  # two of Polish's plural forms: 5 godzin, 3 godziny
        told = _too_old({}, Copy(), DEMO_NOW, timedelta(hours=3))
    assert told == "wiek listy: 5 godzin (najwyżej akceptowany: 3 godziny)"
    with use_language("en"):
        assert _too_old({}, Copy(), DEMO_NOW, timedelta(hours=3)) == "list is 5 hours old (maximum accepted 3 hours)"


def test_an_offline_list_without_a_copy_is_reported_in_the_readers_language_down_to_the_fetcher(tmp_path):
    """The fetcher's own reason (offline, no cached copy) is translated too, inside the status layer's sentence."""
    from ecvet_credentials.i18n import use_language
    from ecvet_credentials.status.check import check_status
    from ecvet_credentials.status.fetch import StatusListSource

    url = "https://status.example/ecvet/revocation-1"
    credential = {"issuer": "did:example:school", "credentialStatus": {
        "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "3",
        "statusListCredential": url}}
    source = StatusListSource(cache_dir=tmp_path / "cache", offline=True)
    with use_language("pl"):
        [check] = check_status(credential, source, now=DEMO_NOW)
    assert (check.outcome, check.code) == ("unavailable", "STATUS_LIST_UNAVAILABLE")
    # the reason only: the report's frame ("Revocation could not be checked: ...") says what was not checked
    assert check.message == f"nie udało się pobrać listy statusu {url}: offline i brak kopii {url} w pamięci podręcznej"
    with use_language("en"):
        [check] = check_status(credential, source, now=DEMO_NOW)
    assert check.message == f"could not fetch status list {url}: offline and no cached copy of {url}"


@pytest.mark.parametrize("lang, checked", [("pl", "unieważnienie, zawieszenie"), ("de", "Widerruf, Aussetzung"),
                                           ("en", "revocation, suspension")])
def test_a_passed_status_check_names_what_it_checked_in_the_readers_language(runner, demo_dir, lang, checked):
    from ecvet_credentials.cli.main import cli

    result = runner.invoke(cli, ["--lang", lang, "verify", str(demo_dir / "transcript.json"), "--status-dir",
                                 str(demo_dir / "status"), "--offline", "--trust", "example"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if checked + ")" in line)
    assert ("revocation" in line) == (lang == "en"), line
