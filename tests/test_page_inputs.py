"""What the verification page accepts: our printable HTML and PDF (render/extract.py), the page's
challenges for presentations, the language from Accept-Language, the four verdicts in words."""
from __future__ import annotations

import io
import json

import pytest

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.render.extract import read_document


def test_html_script_element_and_qr_texts():
    signed = b'{"id":"urn:x","proof":{"proofValue":"z1"}}'
    page = (b'<!doctype html><html><body><figure data-qr-text="EC1:abc"></figure>'
            b'<script type="application/vc+ld+json" id="credential">' + signed + b'</script></body></html>')
    found = read_document(page)
    assert found.kind == "html" and found.credential == signed and found.qr_texts == ["EC1:abc"]
    only_codes = read_document(b'<!doctype html><p data-qr-text="EC1:a"></p><p data-qr-text="EC1:b"></p>')
    assert only_codes.credential is None and only_codes.qr_texts == ["EC1:a", "EC1:b"]
    with pytest.raises(InputError, match="no credential"):
        read_document(b"<!doctype html><p>hello</p>")
    assert read_document(b'{"a": 1}') is None                  # not a document we read: the caller parses JSON


def test_pdf_embedded_credential_json():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("credential.json", b'{"id":"urn:pdf"}')
    buf = io.BytesIO()
    writer.write(buf)
    found = read_document(buf.getvalue())
    assert found.kind == "pdf" and json.loads(found.credential) == {"id": "urn:pdf"}
    bare = PdfWriter()
    bare.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    bare.write(buf)
    with pytest.raises(InputError, match="no embedded credential.json"):
        read_document(buf.getvalue())
    with pytest.raises(InputError, match="not a readable PDF"):
        read_document(b"%PDF-1.7 garbage")


def test_challenges_are_ours_fresh_and_used_once():
    from ecvet_credentials.serve import challenge

    c = challenge.issue(now=1_000_000)
    assert challenge.accept(c, now=1_000_100) is None
    assert "already used" in challenge.accept(c, now=1_000_101)
    assert "expired" in challenge.accept(challenge.issue(now=1_000_000), now=1_000_000 + 16 * 60)
    forged = c.rsplit("-", 1)[0] + "-" + "0" * 20
    assert "not made for a challenge" in challenge.accept(forged, now=1_000_100)
    assert "not made for a challenge" in challenge.accept("x" * 500)


def test_page_language_from_accept_language_and_switch(tmp_path):
    pytest.importorskip("starlette")
    from serve_helpers import running_server

    with running_server(tmp_path / "home") as srv, srv.client() as client:
        r = client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
        assert '<html lang="pl">' in r.text and "Sprawdź poświadczenie ECVET" in r.text
        assert 'href="/?lang=de"' in r.text and 'aria-current="true">polski' in r.text
        assert 'capture="environment"' in r.text and 'id="challenge"' in r.text


def test_page_check_messages_in_the_page_language(tmp_path, demo_dir):
    pytest.importorskip("starlette")
    from serve_helpers import running_server

    text = (demo_dir / "transcript.json").read_text(encoding="utf-8")
    with running_server(tmp_path / "home") as srv, srv.client() as client:
        r = client.post("/verify/upload?lang=es", data={"text": text})
        assert "La firma es válida: el contenido es exactamente el que se firmó." in r.text
        r = client.post("/verify/upload?lang=de", data={"text": "[1]"})
        assert "Erwartet wurde ein JSON-Objekt" in r.text or "kein JSON-Objekt" in r.text, r.text[-600:]
        r = client.post("/verify/upload?lang=en", data={"text": text})
        assert "The signature is valid: the content is exactly what was signed." in r.text
