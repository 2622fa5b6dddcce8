"""Printable output: the demo's three credentials as self-contained A4 HTML pages whose QR codes and data
block carry the exact signed credential; escaping; who signed an LA; `ecvet render`, cohort --print, wallet
export html. (PDF/A-3 output, the layout's structure and the verdicts: test_render_pdf.py, test_render_page.py.)
With Debian's chromium present, the page is printed to PDF and a rendered QR code is read back."""
from __future__ import annotations

import copy
import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from ecvet_credentials.cli.main import cli
from ecvet_credentials.render.page import render_printable
from ecvet_credentials.render.qr import decode_texts
from ecvet_credentials.render.qr.images import svg_text

UNITS = ("ENO-U1", "ENO-U2", "ENO-U3")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def qr_texts(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<figure class="qr" data-qr-text="([^"]*)"', page)]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.style = set(), set(), ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and attrs == [("type", "application/vc+ld+json"), ("id", "credential")]:
            return  # the credential's data block: a browser never runs it (not a script type), CSP aside
        if tag == "img" and len(attrs) == 2 and dict(attrs).get("src", "").startswith("data:image/"):
            return  # the institution's logo, inline
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def self_contained(page: str) -> None:
    """Parsed, not grepped (escaped text may say anything): no element or attribute that loads or runs."""
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    parsed = _Tags()
    parsed.feed(page)
    assert not parsed.tags & {"script", "link", "img", "iframe", "object", "embed", "base", "form"}, parsed.tags
    assert not {a for a in parsed.attrs if a in ("src", "href", "srcset", "style") or a.startswith("on")}, parsed.attrs
    assert "@page { size: A4" in parsed.style and "url(" not in parsed.style and "@import" not in parsed.style
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)


@pytest.fixture(scope="module")
def la(demo_dir):
    return load(demo_dir / "learning-agreement.json")


def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args])


def test_transcript_page_shows_units_outcomes_assessment_grades_points(demo_dir, la):
    page = render_printable(load(demo_dir / "transcript.json"), agreement=la)
    self_contained(page)
    assert '<h1 id="doc-title">Personal Transcript</h1>' in page and '<p class="learner-name" id="learner-name">Giulia Rossi</p>' in page
    for text in (*UNITS, "Preparing and cooking hot dishes", "Applies HACCP critical-control-point checks and records them",
                 "2 (gut)", "1 (sehr gut)", "German school grades 1-6", "assessed by Klaus Weber", "2026-11-16",
                 "practical", "Berufskolleg Rhein-Ruhr (EXAMPLE)", "2026-09-28 to 2026-11-20", "8 weeks, 7.5 hours a day"):
        assert html.escape(text, quote=True) in page, text
    assert re.search(r"Total ECVET points</th><td>10</td>", page)
    assert ">Verification</h2>" in page and '<p class="verdict" id="verdict-word">Not checked when printed</p>' in page
    assert "unit catalogue" not in page                              # self-contained codes by default
    home = render_printable(load(demo_dir / "transcript.json"), agreement=la, catalogue=True)
    assert "unit catalogue of the Learning Agreement " + la["id"] in home and home.count("<svg") < page.count("<svg")


def test_agreement_page_lists_parties_arrangements_and_who_signed(demo_dir, la):
    page = render_printable(la)
    self_contained(page)
    for text in ("Marco Rossi (Father)", "Catering operator (EQF 3)", "Total ECVET points to acquire",
                 "Assessment arrangements", "Last two weeks of the placement", "Validation (home institution)",
                 "Laura Bianchi (Head teacher)", "All 4 parties have signed this agreement digitally."):
        assert html.escape(text, quote=True) in page, text
    for role in ("host", "home", "learner", "guardian"):
        assert f'data-role="{role}" data-signed="yes"' in page
    # the guardian's proof removed: the page says the guardian has not signed
    unsigned = copy.deepcopy(la)
    unsigned["proof"] = [p for p in la["proof"] if "z6MkmTifVdJc" not in p["verificationMethod"]]
    page = render_printable(unsigned)
    assert 'data-role="guardian" data-signed="no"' in page and "NOT SIGNED" in page
    assert "3 of 4 parties have signed this agreement digitally." in page
    assert "checked" not in page.split('id="signature-summary"')[1].split("</p>")[0]  # the page was not checked


def test_recognition_page_shows_credit_decision_and_references(demo_dir):
    rec = load(demo_dir / "recognition.json")
    page = render_printable(rec)
    self_contained(page)
    from ecvet_credentials.model import from_credential

    decided = from_credential(rec).decision_date
    for text in (*UNITS, "ECVET points credited toward the qualification", "Laura Bianchi (Head teacher)",
                 f"<dt>Decision date</dt><dd>{decided}</dd>", "<dt>Personal Transcript</dt>", "<dt>Learning Agreement</dt>"):
        assert text in page, text
    model_refs = re.findall(r"urn:uuid:[0-9a-f-]{36} \(SHA-256 u[\w-]+\)", page)
    assert len(model_refs) == 2  # the PT and the LA, by id and digest
    assert re.search(r"credited toward the qualification</th><td>10</td>", page)


@pytest.mark.parametrize("name", ["transcript.json", "recognition.json", "learning-agreement.json"])
def test_embedded_qr_codes_decode_to_the_exact_credential(demo_dir, la, name):
    credential = load(demo_dir / name)
    page = render_printable(credential, agreement=la)
    texts = qr_texts(page)
    assert texts
    compact = json.dumps(credential, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert decode_texts(texts, agreement=la) == compact
    for text in texts:  # the picture is the code of that text (svg_text is checked against zxing elsewhere)
        assert svg_text(text) in page
    if name == "learning-agreement.json":  # an LA's own code never needs an agreement to read
        assert decode_texts(texts) == compact and "unit catalogue" not in page


def test_hostile_values_are_escaped_and_unverified_content_is_marked(demo_dir):
    from ecvet_credentials.verify import verify_credential

    pt = load(demo_dir / "transcript.json")
    pt["credentialSubject"]["givenName"] = '<script>alert("x")</script>'
    pt["issuer"]["name"] = "<img src=x onerror=alert(1)>"
    page = render_printable(pt, report=verify_credential(pt))
    self_contained(page)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert '<p class="verdict" id="verdict-word">Not verified</p>' in page
    assert 'data-check="proof"><span class="mark">FAIL</span>' in page
    assert "What the document claims (not confirmed)" in page
    assert page.count("</script>") == 1 and "\\u003cscript\\u003e" in page  # the data block cannot be closed early


def test_render_cli_writes_the_page_and_exit_codes(runner, demo_dir, tmp_path, repo_dir):
    out = tmp_path / "pt.html"
    r = run(runner, "render", demo_dir / "transcript.json", "--agreement", demo_dir / "learning-agreement.json",
            "--verify", "--trust", repo_dir / "keys-example" / "trust-registry.json", "-o", out)
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert '<p class="verdict" id="verdict-word">Verified</p>' in page and 'data-check="agreement-match"' in page
    assert "Checked on " in page
    # the QR image of the demo (both self-contained codes in one image) is read back and rendered too
    r = run(runner, "render", demo_dir / "transcript-qr.png", "--agreement", demo_dir / "learning-agreement.json", "-o", tmp_path / "q.html")
    assert r.exit_code == 0, r.output
    assert "ENO-U3" in (tmp_path / "q.html").read_text()
    # unreadable inputs: exit 2 with one error line, nothing written
    bad = tmp_path / "bad.json"
    bad.write_text('{"a":')
    for args in ([bad], [tmp_path / "missing.json"], [tmp_path]):
        r = run(runner, "render", *args, "-o", tmp_path / "x.html")
        assert r.exit_code == 2, (args, r.output)
        assert r.stderr.count("error:") == 1 and "Traceback" not in r.output
    assert not (tmp_path / "x.html").exists()
    # verified and failed: the page is still written, saying so; exit 1
    tampered = load(demo_dir / "recognition.json")
    tampered["credentialSubject"]["familyName"] = "Bianchi"
    (tmp_path / "t.json").write_text(json.dumps(tampered))
    r = run(runner, "render", tmp_path / "t.json", "--verify", "--status-dir", demo_dir / "status", "-o", tmp_path / "t.html")
    assert r.exit_code == 1 and "not verified" in r.stderr
    assert '<p class="verdict" id="verdict-word">Not verified</p>' in (tmp_path / "t.html").read_text()


def test_cohort_print_writes_one_page_per_learner(runner, tmp_path, repo_dir):
    out = tmp_path / "cohort"
    r = run(runner, "issue", "transcript", "--cohort", repo_dir / "examples" / "cohort.csv",
            "--template", repo_dir / "examples" / "cohort-template.yaml", "--key", repo_dir / "keys-example" / "host.key",
            "--out-dir", out, "--print")
    assert r.exit_code == 0, r.output
    learners = {"IPL-2024-0456": "Giulia Rossi", "IPL-2024-0457": "Luca Ferrari", "IPL-2024-0458": "Sara Esposito"}
    assert sorted(p.stem for p in out.glob("*.html")) == sorted(learners)
    for lid, name in learners.items():
        page = (out / f"{lid}.html").read_text(encoding="utf-8")
        assert f'<p class="learner-name" id="learner-name">{name}</p>' in page
        credential = load(out / f"{lid}.json")
        assert json.loads(decode_texts(qr_texts(page))) == credential


def test_wallet_export_html(runner, demo_dir, tmp_path, repo_dir):
    assert run(runner, "wallet", "init", "--import-key", repo_dir / "keys-example" / "learner.key").exit_code == 0
    r = run(runner, "wallet", "import", demo_dir, "--trust", repo_dir / "keys-example" / "trust-registry.json",
            "--status-dir", demo_dir / "status")
    assert r.exit_code == 0, r.output
    entries = json.loads(run(runner, "wallet", "list", "--json").stdout)
    entries = entries if isinstance(entries, list) else entries["credentials"]
    pt = next(e for e in entries if e["ecvetType"] == "EcvetPersonalTranscript")
    out = tmp_path / "pt.html"
    r = run(runner, "wallet", "export", pt["id"], "--format", "html", "-o", out)
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    self_contained(page)
    assert '<p class="verdict" id="verdict-word">Verified</p>' in page and f"Checked on {pt['importedAt']}" in page
    la = load(demo_dir / "learning-agreement.json")  # the wallet's LA gave the unit catalogue
    assert json.loads(decode_texts(qr_texts(page), agreement=la)) == load(demo_dir / "transcript.json")


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium): "
                                             "printing to PDF not tested")
def test_chromium_prints_a4_pdf_and_the_rendered_code_reads_back(demo_dir, la, tmp_path):
    page = tmp_path / "pt.html"
    page.write_text(render_printable(load(demo_dir / "transcript.json"), agreement=la), encoding="utf-8")
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"]
    pdf, shot = tmp_path / "pt.pdf", tmp_path / "pt.png"
    subprocess.run([*base, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, timeout=60, check=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]", data)  # A4 in points
    # the code as the browser draws it (3x scale, the top of the first page) is read by zxing and decodes
    from ecvet_credentials.render.qr import read_texts

    subprocess.run([*base, "--force-device-scale-factor=3", "--window-size=800,700", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=60, check=True)
    texts = read_texts(shot.read_bytes(), name="screenshot")
    assert json.loads(decode_texts(texts, agreement=la)) == load(demo_dir / "transcript.json")
