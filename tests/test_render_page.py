"""The printed document's layout and words (HTML, no PDF library needed): the letterhead comes from the
issuer's own institution profile or the page says there is none; the four verdicts are said plainly, an
unchecked page never claims a check; the embedded credential is read back by the one reader."""
from __future__ import annotations

import copy
import json
import html
import re

import pytest

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.render.extract import credential_bytes, script_block
from ecvet_credentials.render.page import render_printable
from ecvet_credentials.verify.report import CheckResult, Outcome, VerificationReport, Verdict

from render_helpers import VERIFY_URL, load, make_profile


@pytest.fixture(scope="module")
def pt(demo_dir):
    return load(demo_dir / "transcript.json")


def text_of(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.DOTALL)
    assert match, element_id
    return html.unescape(match.group(1))


def report_with(verdict_checks: dict[str, Outcome]) -> VerificationReport:
    report = VerificationReport()
    for cid in ("input", "contexts", "schema", "proof", "issuer-binding", "issuer-trusted", "validity-period", "status"):
        report.add(CheckResult(cid, verdict_checks.get(cid, Outcome.PASSED), "X", f"{cid} message"))
    return report


def test_letterhead_signatory_and_verification_address_come_from_the_issuers_profile(pt, tmp_path):
    profile = make_profile(tmp_path, pt)
    page = render_printable(pt, profile=profile, home=tmp_path, lang="de")
    head = page.split('id="letterhead"')[1].split("</header>")[0]
    assert "Berufsschule Test" in head and "Hauptstraße 5, 44135 Dortmund, DE" in head and "Erasmus: D DORTMUN99" in head
    assert '<img src="data:image/png;base64,' in head and "no-profile" not in page
    assert text_of(page, "doc-title") == "Persönlicher Leistungsnachweis"
    assert '<p id="signatory"><strong>Dr. Anna Schmidt</strong></p><p>Schulleiterin</p>' in page
    assert text_of(page, "place-date") == "Dortmund, " + pt["validFrom"][:10]
    assert text_of(page, "verification-address") == f"Prüfen unter {VERIFY_URL}"
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert captions and all(f"Prüfen unter {VERIFY_URL}" in html.unescape(c) for c in captions)


def test_without_a_profile_or_with_another_institutions_the_page_says_so_and_invents_nothing(pt, tmp_path):
    other = copy.deepcopy(pt)
    other["issuer"] = dict(pt["issuer"], id="did:key:z6MkotherSchoolNotTheIssuer")
    profile = make_profile(tmp_path, other)        # this HOME's profile is some other school's
    for page in (render_printable(pt), render_printable(pt, profile=profile, home=tmp_path)):
        assert "No institution profile was given for the issuer" in text_of(page, "no-profile")
        assert "Test Vocational School" not in page and "Dr. Anna Schmidt" not in page and "<img" not in page
        assert "Issuer as named in the credential" in page and html.escape(pt["issuer"]["name"]) in page
        assert text_of(page, "signatory") == "No signatory is named in an institution profile."
        assert "verification-address" not in page


def test_a_forged_credential_naming_the_institution_never_gets_its_letterhead(pt, tmp_path):
    profile = make_profile(tmp_path, pt)
    forged = copy.deepcopy(pt)
    forged["credentialSubject"]["familyName"] = "Bianchi"      # the signature no longer matches
    for report in (None, report_with({"proof": Outcome.FAILED})):
        page = render_printable(forged, profile=profile, home=tmp_path, report=report, lang="en")
        assert "Test Vocational School" not in page and "<img" not in page and "Dr. Anna Schmidt" not in page
        assert "was not used: the credential's signature by that DID could not be confirmed" in text_of(page, "no-profile")
    assert "Test Vocational School" in render_printable(pt, profile=profile, home=tmp_path, report=report_with({}))


@pytest.mark.parametrize("verdict, checks, word, must, never", [
    (Verdict.VERIFIED, {}, "Verified", "is recognised by a trust registry", "Not verified"),
    (Verdict.ISSUER_NOT_RECOGNISED, {"issuer-trusted": Outcome.FAILED}, "Genuine signature, issuer not recognised",
     "who claims to be Berufskolleg", "is recognised by"),
    (Verdict.COULD_NOT_CHECK, {"status": Outcome.NOT_CHECKED}, "Could not check", "could not be checked (", "is recognised by"),
    (Verdict.NOT_VERIFIED, {"proof": Outcome.FAILED}, "Not verified", "a check failed (", "is recognised by"),
])
def test_each_verdict_is_said_plainly_with_the_date_checked(pt, verdict, checks, word, must, never):
    report = report_with(checks)
    assert report.verdict is verdict
    page = render_printable(pt, report=report, checked_at="2026-12-01 10:00 UTC")
    assert f'data-verdict="{verdict.value}"' in page and text_of(page, "verdict-word") == word
    said = text_of(page, "verdict-text")
    assert said.startswith("Checked on 2026-12-01 10:00 UTC") and must in said and never not in said
    assert 'id="checks"' in page.split('id="technical"')[1]  # the checklist is on the last page, not the first


def test_an_unchecked_page_claims_no_check_anywhere(demo_dir, pt):
    for credential in (pt, load(demo_dir / "learning-agreement.json")):
        page = render_printable(credential)
        assert text_of(page, "verdict-word") == "Not checked when printed"
        words = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<main>")[1].split('<script type=')[0]))
        assert not re.search(r"(?i)\bverified on\b|each signature checked|every signature checked|checked on", words)
        assert "No checks were run when this page was printed." in words


def test_an_agreement_says_signatures_were_verified_only_when_it_was(demo_dir):
    la = load(demo_dir / "learning-agreement.json")
    assert text_of(render_printable(la), "signature-summary") == "All 4 parties have signed this agreement digitally."
    page = render_printable(la, report=report_with({}), checked_at="2026-12-01")
    assert text_of(page, "signature-summary") == ("All 4 parties have signed this agreement digitally; "
                                                    "the whole agreement was verified on 2026-12-01.")
    page = render_printable(la, report=report_with({"issuer-trusted": Outcome.FAILED}), checked_at="2026-12-01")
    assert "verified" not in text_of(page, "signature-summary")
    for role in ("host", "home", "learner", "guardian"):  # a row and a line to sign on for each party
        assert re.search(rf'<tr data-role="{role}" data-signed="yes">.*?<td class="line"></td></tr>', page)


def test_the_document_is_in_the_readers_language_headings_in_ten(pt, demo_dir):
    page = render_printable(load(demo_dir / "learning-agreement.json"), lang="pl")
    assert '<html lang="pl">' in page and text_of(page, "doc-title") == "Porozumienie o programie zajęć"
    assert text_of(page, "verdict-word") == "Nie sprawdzono przy drukowaniu"
    assert text_of(page, "units-heading") == "Jednostki efektów uczenia się"
    assert text_of(render_printable(pt, lang="fr"), "check-title") == "Vérification"
    # the ECVET headings in the ten languages of the first partnerships, each its own words
    english = render_printable(pt, lang="en")
    ids = ("doc-title", "check-title", "content-title", "units-heading", "technical-title")
    for lang in ("de", "fr", "it", "es", "pl", "pt", "nl", "ro", "cs"):
        page = render_printable(pt, lang=lang)
        assert all(text_of(page, i) != text_of(english, i) for i in ids), lang


def test_the_data_block_round_trips_exact_bytes_and_cannot_be_closed_early(pt, demo_dir):
    raw = (demo_dir / "transcript.json").read_bytes()
    page = render_printable(pt, raw=raw)
    assert credential_bytes(page.encode("utf-8")) == raw
    hostile = b'{"name": "</script><script>alert(1)</script> & <b>"}'
    block = script_block(hostile)
    assert block.count("</script>") == 1
    assert json.loads(credential_bytes(f"<!doctype html><html>{block}</html>".encode())) == json.loads(hostile)


def test_the_reader_refuses_what_it_cannot_read_and_ignores_other_inputs():
    assert credential_bytes(b'{"a": 1}') is None and credential_bytes(b"\x89PNG\r\n\x1a\n") is None
    with pytest.raises(InputError, match="no credential in it"):
        credential_bytes(b"<!doctype html><html><p>hello</p></html>")
    with pytest.raises(InputError, match="not a readable PDF"):
        credential_bytes(b"%PDF-1.7\n garbage")
    with pytest.raises(InputError, match="larger than"):
        credential_bytes(b"<!doctype html>" + script_block(b'"' + b"x" * 3000 + b'"').encode(), max_bytes=1000)


def test_a_cohort_is_printed_on_several_processes_each_file_its_own_credential(demo_dir, tmp_path):
    from ecvet_credentials.render.files import write_printed_files

    pairs = []
    for i in range(4):
        doc = load(demo_dir / "transcript.json")
        doc["credentialSubject"]["givenName"] = f"Learner{i}"
        (tmp_path / f"{i}.json").write_text(json.dumps(doc))
        pairs.append((tmp_path / f"{i}.json", tmp_path / f"{i}.html"))
    written = write_printed_files(pairs, "html", workers=2, lang="en")
    assert written == [str(out) for _, out in pairs]
    for src, out in pairs:
        assert credential_bytes(out.read_bytes()) == src.read_bytes()
        assert f"Learner{src.stem} Rossi" in out.read_text()


def test_render_cli_language_from_its_option_or_the_global_one(runner, demo_dir, tmp_path):
    from ecvet_credentials.cli.main import cli

    out = tmp_path / "pt.html"
    r = runner.invoke(cli, ["--lang", "de", "render", str(demo_dir / "transcript.json"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert text_of(out.read_text(), "doc-title") == "Persönlicher Leistungsnachweis"
    r = runner.invoke(cli, ["render", str(demo_dir / "transcript.json"), "--lang", "fr", "-o", str(out)])
    assert r.exit_code == 0 and text_of(out.read_text(), "verdict-word") == "Non vérifié à l'impression"
    r = runner.invoke(cli, ["render", str(demo_dir / "transcript.json"), "--lang", "xx", "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 2 and "no translation for 'xx'" in r.output and not (tmp_path / "x.html").exists()
