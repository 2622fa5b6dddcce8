"""PDF without a browser: each document type as PDF/A-3b (WeasyPrint) whose attached credential.json is
the exact signed file, verifies, and equals what the QR code on a 150 dpi rendering of the page decodes to;
the layout's structure read from the text of each page; a PDF/A structural check; the CLI paths."""
from __future__ import annotations

import json
from io import BytesIO

import pytest

from ecvet_credentials.render.pdf import pdf_available

from pdfa_check import pdfa3_problems
from render_helpers import VERIFY_URL, load, make_profile

pytestmark = pytest.mark.skipif(not pdf_available(), reason="WeasyPrint or Debian's Pango (libpango-1.0-0, "
                                "libpangoft2-1.0-0) is not installed: PDF output not tested")

DOCS = {"transcript.json": "Personal Transcript", "learning-agreement.json": "Learning Agreement",
        "recognition.json": "Recognition of credit"}


def page_texts(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages]


def qr_texts_at_150_dpi(pdf: bytes) -> list[str]:
    pdfium = pytest.importorskip("pypdfium2")
    pytest.importorskip("zxingcpp")
    from ecvet_credentials.render.qr import read_texts

    texts = []
    doc = pdfium.PdfDocument(pdf)
    for page in doc:
        image = page.render(scale=150 / 72).to_pil()
        buf = BytesIO()
        image.save(buf, format="PNG")
        texts += read_texts(buf.getvalue(), name="page")
    return texts


@pytest.fixture(scope="module")
def trusted(demo_dir, repo_dir):
    from ecvet_credentials.status.fetch import StatusListSource
    from ecvet_credentials.trust.signing import load_trust_registry

    return {"trust": load_trust_registry(repo_dir / "keys-example" / "trust-registry.json"),
            "status_source": StatusListSource(directory=demo_dir / "status", offline=True)}


@pytest.mark.parametrize("name", ["transcript.json", pytest.param("learning-agreement.json", marks=pytest.mark.slow),
                                  pytest.param("recognition.json", marks=pytest.mark.slow)])
def test_each_document_type_carries_the_exact_credential_which_verifies_and_matches_its_qr(demo_dir, tmp_path, trusted, name):
    from ecvet_credentials.jsonld.limits import parse_json
    from ecvet_credentials.render.qr import decode_texts
    from ecvet_credentials.render.extract import credential_bytes
    from ecvet_credentials.render.pdf import render_pdf
    from ecvet_credentials.verify import verify_credential

    raw = (demo_dir / name).read_bytes()
    la = load(demo_dir / "learning-agreement.json")
    credential = json.loads(raw)
    profile = make_profile(tmp_path, credential)
    pdf = render_pdf(raw, agreement=la, profile=profile, home=tmp_path, lang="en")
    assert pdfa3_problems(pdf) == []
    embedded = credential_bytes(pdf)
    assert embedded == raw                                          # byte for byte
    options = dict(trusted, agreement=la) if name == "transcript.json" else trusted
    report = verify_credential(parse_json(embedded), **options)
    assert report.verdict.value == "verified", report.to_json()
    compact = json.dumps(credential, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert decode_texts(qr_texts_at_150_dpi(pdf), agreement=la) == compact
    # the structure: heading, institution, verification address on page 1; signatory; technical last page
    pages = page_texts(pdf)
    assert DOCS[name] in pages[0] and "Test Vocational School" in pages[0] and f"Verify at {VERIFY_URL}" in pages[0]
    assert "Not checked when printed" in pages[0]
    everything = " ".join(pages)
    if name == "learning-agreement.json":
        assert all(who in everything for who in ("Giulia Rossi", "Marco Rossi", "Host institution", "Parent or guardian"))
    else:
        assert "Dr. Anna Schmidt" in everything and "Head of school" in everything and "Dortmund, " in everything
    assert pages[-1].startswith("Technical details") and "SHA-256 of the embedded credential" in pages[-1]
    assert not any("Technical details" in p for p in pages[:-1])


def test_loading_weasyprint_leaves_pillow_refusing_truncated_images():
    from PIL import ImageFile

    from ecvet_credentials.render.pdf import _weasyprint

    _weasyprint.cache_clear()
    assert pdf_available() and ImageFile.LOAD_TRUNCATED_IMAGES is False


def _bigger_transcript(pt: dict, n: int) -> dict:
    """The demo transcript with its units repeated under new codes (unsigned: layout only)."""
    import copy

    pt = copy.deepcopy(pt)
    claim = pt["credentialSubject"]["hasClaim"]
    parts = claim["hasPart"]
    extra = []
    for i in range(n):
        part = copy.deepcopy(parts[i % len(parts)])
        text = json.dumps(part).replace("ENO-U", f"X{i:02d}-U")
        part_id = json.loads(text)["id"]
        text = text.replace(json.dumps(part_id), json.dumps(f"{part_id}-x{i}"))
        extra.append(json.loads(text))
    claim["hasPart"] = parts + extra
    return pt


@pytest.mark.parametrize("extra_units", [0, pytest.param(9, marks=pytest.mark.slow)])
def test_no_unit_is_split_and_the_table_never_starts_with_its_header_alone(demo_dir, extra_units):
    from ecvet_credentials.model import from_credential
    from ecvet_credentials.render.pdf import render_pdf

    pt = _bigger_transcript(load(demo_dir / "transcript.json"), extra_units)
    units = from_credential(pt).units
    pages = page_texts(render_pdf(json.dumps(pt).encode(), lang="en"))
    on = {}
    for r in units:   # a unit's code and title print on one page
        on[r.unit.code] = [i for i, p in enumerate(pages) if r.unit.code in p]
        assert len(on[r.unit.code]) == 1 and r.unit.title.get("en").split()[0] in pages[on[r.unit.code][0]], (r.unit.code, on)
    first, last = on[units[0].unit.code][0], on[units[-1].unit.code][0]
    caption = [i for i, p in enumerate(pages) if "Units of learning outcomes" in p]
    header = [i for i, p in enumerate(pages) if "Learning outcomes Assessment" in p]
    assert caption == [first] and header == list(range(first, last + 1))  # the header repeats, never alone
    total = [i for i, p in enumerate(pages) if "Total ECVET points" in p]
    assert total == [last]                                                  # once, after the last unit


def test_cli_render_pdf_then_verify_import_and_export_read_the_embedded_credential(runner, demo_dir, tmp_path, repo_dir):
    from click.testing import Result  # noqa: F401 - the runner's results
    from ecvet_credentials.cli.main import cli

    def run(*args):
        return runner.invoke(cli, [str(a) for a in args])

    trust = repo_dir / "keys-example" / "trust-registry.json"
    out = tmp_path / "pt.pdf"
    r = run("render", demo_dir / "transcript.json", "--agreement", demo_dir / "learning-agreement.json", "-o", out)
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF-") and pdfa3_problems(out.read_bytes()) == []
    from ecvet_credentials.serve.documents import document_from_upload  # the verification page's upload

    assert document_from_upload(out.read_bytes(), name="pt.pdf", agreement=None, max_bytes=2_000_000) == \
        load(demo_dir / "transcript.json")
    r = run("verify", out, "--agreement", demo_dir / "learning-agreement.json", "--trust", trust,
            "--status-dir", demo_dir / "status", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["verdict"] == "verified"
    # an altered attachment is read and refused as not verified (exit 1), never passed
    from ecvet_credentials.render.pdf import html_to_pdf
    from ecvet_credentials.render.page import render_printable

    forged = load(demo_dir / "transcript.json")
    forged["credentialSubject"]["familyName"] = "Bianchi"
    raw = json.dumps(forged).encode()
    (tmp_path / "forged.pdf").write_bytes(html_to_pdf(render_printable(forged, raw=raw), raw))
    r = run("verify", tmp_path / "forged.pdf", "--trust", trust, "--status-dir", demo_dir / "status", "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["verdict"] == "not_verified"
    # a PDF that is not ours: exit 2 with one error line
    import weasyprint

    (tmp_path / "other.pdf").write_bytes(weasyprint.HTML(string="<p>hello</p>").write_pdf())
    r = run("verify", tmp_path / "other.pdf")
    assert r.exit_code == 2 and r.stderr.count("error:") == 1 and "credential.json" in r.stderr
    # the wallet imports the PDF (its credential) and exports it again as PDF
    assert run("wallet", "init", "--import-key", repo_dir / "keys-example" / "learner.key").exit_code == 0
    r = run("wallet", "import", out, "--trust", trust, "--status-dir", demo_dir / "status")
    assert r.exit_code == 0, r.output
    entry = json.loads(run("wallet", "list", "--json").stdout)
    entry = (entry if isinstance(entry, list) else entry["credentials"])[0]
    r = run("wallet", "export", entry["id"], "--format", "pdf", "-o", tmp_path / "again.pdf")
    assert r.exit_code == 0, r.output
    from ecvet_credentials.render.extract import credential_bytes

    assert json.loads(credential_bytes((tmp_path / "again.pdf").read_bytes())) == load(demo_dir / "transcript.json")
    assert "Verified" in page_texts((tmp_path / "again.pdf").read_bytes())[0]


@pytest.mark.slow
def test_cohort_print_format_pdf_writes_one_pdf_per_learner_with_its_credential(runner, tmp_path, repo_dir):
    from ecvet_credentials.cli.main import cli
    from ecvet_credentials.render.extract import credential_bytes

    out = tmp_path / "cohort"
    r = runner.invoke(cli, [str(a) for a in (
        "issue", "transcript", "--cohort", repo_dir / "examples" / "cohort.csv", "--template",
        repo_dir / "examples" / "cohort-template.yaml", "--key", repo_dir / "keys-example" / "host.key",
        "--out-dir", out, "--print", "--print-format", "pdf")])
    assert r.exit_code == 0, r.output
    issued = sorted(p.stem for p in out.glob("*.json"))
    assert issued and sorted(p.stem for p in out.glob("*.pdf")) == issued
    for stem in issued:
        assert credential_bytes((out / f"{stem}.pdf").read_bytes()) == (out / f"{stem}.json").read_bytes()
