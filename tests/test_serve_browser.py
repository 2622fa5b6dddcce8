"""The verification page in a real browser: Debian's chromium, headless, driven by Selenium, against a
server on 127.0.0.1. Upload the demo's QR code with its Learning Agreement: "Verified" and the units;
upload a tampered JSON file: "Not verified" and the failed check. Screenshots go to test-artifacts/.

Skips when chromium / chromedriver are not installed (.ci/run installs them when it can).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from serve_helpers import running_server

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1200,1600"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    if missing:
        pytest.skip(f"chromium/chromedriver not installed: {', '.join(missing)} missing "
                    "(apt-get install chromium chromium-driver)")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never download anything
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    # never let Selenium Manager look for (or download) a driver: the Debian one is given
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"serve-{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


def test_page_in_chromium(browser, demo_dir, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    def verdict_after_submit() -> str:
        """Submit, then wait for the result page (a busy 2-core machine can take a while)."""
        from selenium.common.exceptions import WebDriverException

        form = browser.find_element(By.TAG_NAME, "form")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # As in test_serve_phone: while the result page replaces the form, Chromium can answer "node does not
        # belong to the document" instead of "stale element"; both mean the old page is going.
        WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(EC.staleness_of(form))
        return WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "verdict-word"))).text

    with running_server(tmp_path / "home", status_directory=demo_dir / "status") as srv:
        browser.get(srv.url + "/")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Check an ECVET credential"
        # the labels name the controls (what a screen reader announces)
        assert browser.find_element(By.CSS_SELECTOR, "label[for=file]").text.startswith("Or choose files")
        shot(browser, "1-form")

        browser.find_element(By.ID, "file").send_keys(str(demo_dir / "transcript-qr.png"))
        browser.find_element(By.ID, "agreement").send_keys(str(demo_dir / "learning-agreement.json"))
        assert verdict_after_submit() == "Verified"
        units = browser.find_element(By.ID, "units").text
        assert "ENO-U1" in units and "Preparing and cooking hot dishes" in units
        assert "Giulia Rossi" in browser.page_source
        shot(browser, "2-qr-verified")

        browser.find_element(By.LINK_TEXT, "Check another credential").click()
        WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "file")))
        tampered = json.loads((demo_dir / "transcript.json").read_text())
        tampered["credentialSubject"]["familyName"] = "Mallory"
        path = tmp_path / "tampered.json"
        path.write_text(json.dumps(tampered))
        browser.find_element(By.ID, "file").send_keys(str(path))
        assert verdict_after_submit() == "Not verified"
        proof = browser.find_element(By.CSS_SELECTOR, "li[data-check=proof]").text
        assert proof.startswith("FAIL") and "Signature" in proof
        shot(browser, "3-tampered")
        # no script ran that we did not ship: the page's own script is the only one
        scripts = [s.get_attribute("src") for s in browser.find_elements(By.TAG_NAME, "script")]
        assert scripts == [srv.url + "/static/page.js"]
