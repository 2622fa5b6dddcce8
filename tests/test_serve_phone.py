"""The verification page on a phone-sized Chromium (390x844), in German and Polish: a transcript in two
QR codes verified from two files, from one photo of both codes, from its printable page and from its
printed PDF (the signed credential embedded in it, when WeasyPrint's Pango is installed); the units
table fits the screen; a presentation the wallet made for the page's own challenge verified, and its
replay refused. Screenshots go to test-artifacts/serve-phone-*.png. Skips without chromium."""
from __future__ import annotations

import json

import pytest

from serve_helpers import running_server
from test_serve_browser import browser, shot  # noqa: F401 - the module's Chromium fixture

WIDTH, HEIGHT = 390, 844


@pytest.fixture(scope="module")
def two_codes(demo_dir, tmp_path_factory):
    """The demo transcript's self-contained codes (two): as two PNG files and as one photo of both."""
    from PIL import Image

    from ecvet_credentials.render.page import render_printable
    from ecvet_credentials.render.qr import encode_credential
    from ecvet_credentials.render.qr.images import png_bytes

    out = tmp_path_factory.mktemp("codes")
    credential = json.loads((demo_dir / "transcript.json").read_text())
    compact = json.dumps(credential, separators=(",", ":"), ensure_ascii=False).encode()
    texts = encode_credential(compact).texts
    assert len(texts) == 2                         # the point of the test: a transcript that needs two codes
    files = []
    for i, text in enumerate(texts, 1):
        path = out / f"code-{i}.png"
        path.write_bytes(png_bytes(text))
        files.append(path)
    first, second = (Image.open(p) for p in files)
    both = Image.new("L", (first.width + second.width + 40, max(first.height, second.height)), 255)
    both.paste(first, (0, 0))
    both.paste(second, (first.width + 40, 0))
    photo = out / "both-codes.jpg"
    both.save(photo, quality=90)
    page = out / "transcript.html"
    page.write_text(render_printable(credential, lang="de"), encoding="utf-8")
    return files, photo, page


def _submit(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    from selenium.common.exceptions import WebDriverException

    form = browser.find_element(By.TAG_NAME, "form")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # While the result page replaces the form, Chromium can answer "node does not belong to the document"
    # instead of "stale element": both mean the old page is going, so keep waiting (bounded) for it to go.
    WebDriverWait(browser, 60, ignored_exceptions=(WebDriverException,)).until(EC.staleness_of(form))
    return WebDriverWait(browser, 60).until(EC.presence_of_element_located((By.ID, "verdict-word"))).text


def _fits(browser) -> None:
    """Nothing runs off the screen: the page does not scroll sideways, every units cell is inside it."""
    width = browser.execute_script("return document.documentElement.clientWidth")
    wide = browser.execute_script(
        "return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > "
        "document.documentElement.clientWidth + 0.5).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width, wide
    rights = browser.execute_script(
        "return Array.from(document.querySelectorAll('#units th, #units td')).map(e => e.getBoundingClientRect().right)")
    assert rights and max(rights) <= width + 0.5


def test_page_on_a_phone_in_german_and_polish(browser, demo_dir, tmp_path, two_codes):  # noqa: F811
    from selenium.webdriver.common.by import By

    files, photo, page = two_codes
    browser.set_window_size(WIDTH, HEIGHT)
    try:
        with running_server(tmp_path / "home", status_directory=demo_dir / "status") as srv:
            browser.get(srv.url + "/?lang=de")
            assert browser.find_element(By.TAG_NAME, "h1").text == "ECVET-Nachweis prüfen"
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
            camera = browser.find_element(By.ID, "photo")
            assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
            shot(browser, "phone-de-form")

            browser.find_element(By.ID, "file").send_keys("\n".join(str(p) for p in files))   # two files
            assert _submit(browser) == "Verifiziert"
            assert "ENO-U1" in browser.find_element(By.ID, "units").text
            _fits(browser)
            browser.execute_script("document.getElementById('units').scrollIntoView()")
            shot(browser, "phone-de-two-files-units")

            browser.get(srv.url + "/?lang=pl")
            assert browser.find_element(By.TAG_NAME, "h1").text == "Sprawdź poświadczenie ECVET"
            shot(browser, "phone-pl-form")
            browser.find_element(By.ID, "file").send_keys(str(photo))                           # one photo of both
            assert _submit(browser) == "Zweryfikowano"
            assert "Suma punktów ECVET" in browser.find_element(By.ID, "units").text
            _fits(browser)
            shot(browser, "phone-pl-one-photo")

            browser.get(srv.url + "/?lang=pl")
            browser.find_element(By.ID, "file").send_keys(str(page))                            # the printable page
            assert _submit(browser) == "Zweryfikowano"
            _fits(browser)
            browser.execute_script("document.getElementById('units').scrollIntoView()")
            shot(browser, "phone-pl-printable-units")

            from ecvet_credentials.render.pdf import pdf_available, render_pdf

            if pdf_available():                                                                  # the printed PDF
                pdf = tmp_path / "transcript.pdf"
                pdf.write_bytes(render_pdf((demo_dir / "transcript.json").read_bytes(), lang="de"))
                browser.get(srv.url + "/?lang=de")
                browser.find_element(By.ID, "file").send_keys(str(pdf))
                assert _submit(browser) == "Verifiziert"
                assert "ENO-U1" in browser.find_element(By.ID, "units").text
                _fits(browser)
                shot(browser, "phone-de-printed-pdf")
    finally:
        browser.set_window_size(1200, 1600)


def test_wallet_presentation_for_the_pages_challenge_on_a_phone(browser, demo_dir, tmp_path, repo_dir,  # noqa: F811
                                                                monkeypatch):
    """The page issues a challenge; the learner's wallet (the CLI) signs a presentation for it; the page,
    on a 390x844 Chromium in German, verifies it (holder bound, nested transcript verified) and refuses
    the same presentation a second time."""
    from click.testing import CliRunner
    from selenium.webdriver.common.by import By

    from ecvet_credentials.cli.main import cli

    monkeypatch.setenv("ECVET_PASSPHRASE", "ecvet-example-do-not-use")
    runner, wallet = CliRunner(), tmp_path / "wallet"

    def ecvet(*args):
        result = runner.invoke(cli, ["--home", str(wallet), *map(str, args)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    ecvet("wallet", "init", "--import-key", repo_dir / "keys-example" / "learner.key")
    ecvet("wallet", "import", demo_dir / "transcript.json", "--trust", repo_dir / "keys-example" / "trust-registry.json",
          "--status-dir", demo_dir / "status")
    transcript_id = next(e["id"] for e in json.loads(ecvet("wallet", "list", "--json")) if e["type"] == "Transcript")
    browser.set_window_size(WIDTH, HEIGHT)
    try:
        with running_server(tmp_path / "home", status_directory=demo_dir / "status") as srv:
            browser.get(srv.url + "/?lang=de")
            challenge = browser.find_element(By.ID, "challenge").text
            assert challenge.count("-") == 2                            # issued by this page, shown as text
            assert browser.find_element(By.CSS_SELECTOR, ".challenge-qr svg").is_displayed()   # and as a QR code
            browser.execute_script("document.getElementById('challenge').scrollIntoView()")
            shot(browser, "phone-de-challenge")
            vp = tmp_path / "vp.json"
            ecvet("wallet", "present", transcript_id, "--challenge", challenge, "-o", vp)
            browser.find_element(By.ID, "file").send_keys(str(vp))
            assert _submit(browser) == "Verifiziert"
            holder = browser.find_element(By.CSS_SELECTOR, '[data-check="holder-binding"]')
            assert "OK" in holder.text and "Von der Inhaberin oder dem Inhaber vorgelegt" in holder.text
            main = browser.find_element(By.TAG_NAME, "main").text
            assert "Nachweis 1: Persönlicher Leistungsnachweis urn:uuid:" in main     # the nested result, in words
            assert "Jeder enthaltene Nachweis ist verifiziert: Alle 1 Nachweis(e) darin sind verifiziert." in main
            assert "None" not in main
            assert browser.execute_script("return document.documentElement.scrollWidth <= "
                                          "document.documentElement.clientWidth")   # nothing runs off the screen
            shot(browser, "phone-de-presentation")
            browser.execute_script("arguments[0].scrollIntoView()", holder)
            shot(browser, "phone-de-presentation-holder")

            browser.get(srv.url + "/?lang=de")                           # the same presentation and challenge again
            browser.execute_script("document.querySelector('input[name=challenge]').value = arguments[0]", challenge)
            browser.find_element(By.ID, "file").send_keys(str(vp))
            assert _submit(browser) != "Verifiziert"
            assert "bereits verwendet" in browser.find_element(By.ID, "challenge-note").text
            shot(browser, "phone-de-presentation-replayed")
    finally:
        browser.set_window_size(1200, 1600)
