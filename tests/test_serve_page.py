"""The verification page without a browser: the plain form (no JavaScript needed), a server-rendered
result with the checklist in words and the credential's content, escaping of hostile content, the
message catalogue, TLS with the development certificate, and the config file."""
from __future__ import annotations

import json
import re
import ssl

import pytest

from serve_helpers import KEYS, PASSPHRASE, running_server, unsigned_transcript

from ecvet_credentials.core.errors import InputError


@pytest.fixture(scope="module")
def client(tmp_path_factory, demo_dir):
    with running_server(tmp_path_factory.mktemp("page-home"), status_directory=demo_dir / "status") as srv, srv.client() as c:
        yield c


def upload(client, *, file=None, text=None, agreement=None, **kw):
    files = {}
    if file is not None:
        files["file"] = file
    if agreement is not None:
        files["agreement"] = ("la.json", agreement, "application/json")
    return client.post("/verify/upload", files=files or None, data={"text": text} if text is not None else None, **kw)


def test_form_is_plain_html(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<html lang="en">' in page
    assert '<form method="post" action="/verify/upload?lang=en" enctype="multipart/form-data"' in page
    for field in ("file", "photo", "text", "agreement"):  # every control has a label
        assert re.search(f'<label for="{field}"[ >]', page) and f'id="{field}" name="{field}"' in page
    assert '<button type="submit">' in page and "<h1>" in page


def test_upload_json_verified_with_units(client, demo_dir):
    r = upload(client, file=("pt.json", (demo_dir / "transcript.json").read_bytes(), "application/json"),
               agreement=(demo_dir / "learning-agreement.json").read_bytes())
    assert r.status_code == 200, r.text
    assert re.search(r'<span id="verdict-word">Verified</span>', r.text)
    assert r.text.count('<span class="mark">PASS</span>') >= 8
    for unit in ("ENO-U1", "Giulia Rossi", "Berufskolleg Rhein-Ruhr"):
        assert unit in r.text
    assert "Total ECVET points" in r.text
    assert "not confirmed" not in r.text


def test_upload_qr_png_and_pasted_text(client, demo_dir):
    r = upload(client, file=("pt.png", (demo_dir / "transcript-qr.png").read_bytes(), "image/png"),
               agreement=(demo_dir / "learning-agreement.json").read_bytes())
    assert '<span id="verdict-word">Verified</span>' in r.text, r.text
    r = upload(client, text=(demo_dir / "recognition.json").read_text())
    assert '<span id="verdict-word">Verified</span>' in r.text
    assert "Recognition of credit" in r.text


def test_tampered_file_says_which_check_failed(client, demo_dir):
    pt = json.loads((demo_dir / "transcript.json").read_text())
    pt["credentialSubject"]["familyName"] = "Mallory"  # someone else's name on a genuine transcript
    r = upload(client, file=("pt.json", json.dumps(pt).encode(), "application/json"))
    assert r.status_code == 200
    assert '<span id="verdict-word">Not verified</span>' in r.text
    assert re.search(r'data-check="proof"><span class="mark">FAIL</span>', r.text)
    # the altered content is shown as a claim, never as fact
    assert "What the document claims (not confirmed)" in r.text and "may have been altered" in r.text
    assert "What the credential says" not in r.text


def test_escaping_credential_content(client):
    """A signed credential whose learner's name is a script: shown as text, never as markup."""
    from ecvet_credentials.ecvet.issue import issue_credential
    from ecvet_credentials.crypto.keys import load_key_file

    host = load_key_file(KEYS / "host.key", passphrase=PASSPHRASE)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    signed = issue_credential(unsigned_transcript(given_name=evil), host).credential
    r = upload(client, file=("evil.json", json.dumps(signed).encode(), "application/json"))
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in r.text
    # a generic credential, unsigned, with hostile keys and values
    generic = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
               "issuer": "did:example:<b>", "credentialSubject": {"<svg onload=alert(1)>": "<script>x</script>"}}
    r = upload(client, text=json.dumps(generic))
    assert "<svg" not in r.text and "<script>x" not in r.text and "&lt;svg onload=alert(1)&gt;" in r.text
    # hostile text in the input error message path and in ?lang=
    r = upload(client, text='{"<script>": ', params={"lang": '"><script>alert(1)</script>'})
    assert r.status_code == 400 and "<script>alert" not in r.text and '<html lang="en">' in r.text


def test_bad_uploads_are_plain_messages(client):
    assert upload(client, text="   ").status_code == 400
    r = upload(client, file=("x.json", b"\x00\x01", "application/json"))
    assert r.status_code == 400 and "binary" in r.text
    r = upload(client, file=("x.png", b"\x89PNG\r\n\x1a\n...", "image/png"))
    assert r.status_code == 400 and "could not be read" in r.text
    r = upload(client, file=("x.json", b"{}", "application/json"), text="{}")
    assert r.status_code == 400
    r = client.post("/verify/upload", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 415 and "<html" in r.text


def test_dev_tls_certificate_and_https(tmp_path):
    import httpx
    from cryptography import x509

    from ecvet_credentials.serve.tls import dev_certificate

    cert, key = dev_certificate(tmp_path)
    assert (key.stat().st_mode & 0o777) == 0o600
    parsed = x509.load_pem_x509_certificate(cert.read_bytes())
    san = parsed.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert dev_certificate(tmp_path) == (cert, key) and cert.read_bytes() == cert.read_bytes()  # reused
    with running_server(tmp_path, ssl=(cert, key)) as srv:
        context = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(base_url=srv.url, verify=context, timeout=30) as c:
            assert c.get("/").status_code == 200
        with httpx.Client(base_url=srv.url, timeout=30) as c, pytest.raises(httpx.ConnectError):
            c.get("/")  # not trusted by default: it is self-signed


def test_config_file(tmp_path, repo_dir):
    from ecvet_credentials.serve.config import load_config

    cfg = load_config(repo_dir / "examples" / "serve.toml")
    assert cfg.is_example_key() and cfg.host == "127.0.0.1" and cfg.max_json_bytes == 1024 * 1024
    assert cfg.passphrase() == b"ecvet-example-do-not-use"
    bad = tmp_path / "bad.toml"
    for text, words in [("[server]\nhots = 1\n", "unknown setting server.hots"), ("[server]\nport = 'x'\n", "positive number"),
                        ("[issuer]\ncryptosuite = 'rsa'\n", "cryptosuite"), ("not toml [", "not valid TOML"),
                        ("[status]\nbase_url = 'ftp://x'\n", "http(s)"), ("[status]\nmax_age = 'soon'\n", "duration"),
                        ("server = 1\n", "must be a table")]:
        bad.write_text(text)
        with pytest.raises(InputError, match=re.escape(words)):
            load_config(bad)
    other = tmp_path / "k.toml"
    other.write_text(f"[issuer]\nkey = '{tmp_path / 'mine.key'}'\npassphrase_env = 'ECVET_TEST_UNSET_VAR'\n")
    with pytest.raises(InputError, match="ECVET_TEST_UNSET_VAR"):  # the example passphrase is only for example keys
        load_config(other).passphrase()


def test_cli_help():
    from click.testing import CliRunner

    from ecvet_credentials.cli.main import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--dev-tls" in result.output and "--config" in result.output
    result = CliRunner().invoke(cli, ["serve", "--tls-cert", __file__])
    assert result.exit_code == 2
