"""Between real schools, on loopback: two institutions, each with its own HOME, profile and `ecvet serve`
over HTTPS (a test CA) on its own port; an agency that signs and serves a registry naming both; an
employer HOME that only subscribed to that registry URL with the agency's DID.

The employer verifies the host's transcript and the home's Recognition (both VERIFIED, lists fetched
from the schools); the host revokes the transcript (refused on the next check); a forged transcript
(fresh key, the host's name, its own lists beside it) is never VERIFIED (CLI, page, wallet, printable);
the agency publishes a newer registry without the host (not recognised), and an older one is never
accepted again; the servers stop and the employer, offline, still verifies from its cache and is told
how old it is.
"""
from __future__ import annotations

import contextlib
import json
import shutil
import ssl
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
from click.testing import CliRunner  # noqa: E402

from ecvet_credentials.cli.main import cli  # noqa: E402
from ecvet_credentials.serve import ServeConfig  # noqa: E402

from serve_helpers import TOKEN, RunningServer, bound_socket  # noqa: E402
from tls_helpers import make_test_ca, static_https  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
KEYS = REPO / "keys-example"
PASS = "ecvet-example-do-not-use"
LA_AT = "2026-09-15T10:00:00Z"


def school_server(home: Path, sock, tls) -> RunningServer:
    port = sock.getsockname()[1]
    # no key, no [trust], no status base URL: all from the institution profile and HOME's subscriptions
    config = replace(ServeConfig(), host="127.0.0.1", port=port, home=home, token=TOKEN, tls=True, request_timeout=30.0)
    return RunningServer(config, sock, ssl=tls).start()


class World:
    def __init__(self, tmp: Path, monkeypatch):
        self.tmp = tmp
        self.runner = CliRunner()
        monkeypatch.setenv("ECVET_PASSPHRASE", PASS)
        monkeypatch.delenv("ECVET_STATUS_BASE_URL", raising=False)
        monkeypatch.delenv("ECVET_HOME", raising=False)

    def ecvet(self, home: Path, *args, code: int | None = 0):
        result = self.runner.invoke(cli, ["--home", str(home), *[str(a) for a in args]])
        if code is not None:
            assert result.exit_code == code, (args, result.output, result.stderr if result.stderr_bytes else "")
        return result

    def verify(self, home: Path, path: Path, *args):
        result = self.ecvet(home, "verify", path, "--json", *args, code=None)
        return result.exit_code, json.loads(result.stdout)


def check(report, check_id):
    return next(c for c in report["checks"] if c["id"] == check_id)


@pytest.mark.slow
def test_two_schools_an_agency_and_an_employer(tmp_path, monkeypatch):
    w = World(tmp_path, monkeypatch)
    ca, cert, key = make_test_ca(tmp_path)
    monkeypatch.setenv("ECVET_CA_BUNDLE", str(ca))   # every HOME here trusts the test CA, nothing else changes
    socks = {name: bound_socket() for name in ("host", "home", "agency")}
    port = {name: s.getsockname()[1] for name, s in socks.items()}
    base = {name: f"https://127.0.0.1:{port[name]}" for name in socks}
    homes = {name: tmp_path / name for name in ("host", "home", "agency", "employer", "forger")}
    work = tmp_path / "work"
    work.mkdir()

    # --- each school sets itself up once (the example keys imported: any key would do) ---------------
    for name, country in (("host", "DE"), ("home", "IT")):
        out = w.ecvet(homes[name], "institution", "init", "--name", f"{name} school", "--country", country,
                      "--base-url", base[name], "--key", KEYS / f"{name}.key").output
        assert f"{base[name]}/status/" in out and "Next steps" in out
    host_did = json.loads((homes["host"] / "institution.json").read_text())["did"]
    home_did = json.loads((homes["home"] / "institution.json").read_text())["did"]

    # --- the agency builds, signs and publishes the registry --------------------------------------------
    agency_did = json.loads(w.ecvet(homes["agency"], "keys", "generate", "--out", tmp_path / "agency.key",
                                    "--json").output)["did"]
    registry, site = tmp_path / "registry.json", tmp_path / "site"
    site.mkdir()
    w.ecvet(homes["agency"], "trust", "init", registry, "--name", "Test agency registry")
    w.ecvet(homes["agency"], "trust", "add", registry, host_did, "--name", "Berufskolleg Rhein-Ruhr", "--country",
            "DE", "--role", "host", "--status-prefix", f"{base['host']}/status/")
    w.ecvet(homes["agency"], "trust", "add", registry, home_did, "--name", "Istituto Leonardo", "--country", "IT",
            "--role", "home", "--status-prefix", f"{base['home']}/status/")
    # the two schools' MoU, which recognition needs on the mobility dates
    w.ecvet(homes["agency"], "trust", "partner", registry, host_did, home_did, "--id", "urn:uuid:5e1f4c2a-mou-test",
            "--from", "2026-01-01", "--until", "2028-12-31")
    w.ecvet(homes["agency"], "trust", "sign", registry, "--key", tmp_path / "agency.key", "-o", site / "registry.json")
    first_edition = (site / "registry.json").read_bytes()
    registry_url = f"{base['agency']}/registry.json"

    # --- the mobility: agreement, transcript (key and status URLs from the host's profile) ---------------
    la = work / "la.json"
    w.ecvet(homes["home"], "agreement", "create", REPO / "examples" / "learning-agreement.yaml", "--key",
            KEYS / "home.key", "--created", LA_AT, "-o", la)
    for party in ("host", "learner", "guardian"):
        w.ecvet(homes["home"], "agreement", "sign", la, "--key", KEYS / f"{party}.key", "--created", LA_AT, "-o", la)
    pt = work / "pt.json"
    w.ecvet(homes["host"], "issue", "transcript", REPO / "examples" / "transcript.yaml", "--agreement", la, "-o", pt)
    pt_doc = json.loads(pt.read_text())
    assert {e["statusListCredential"].rsplit("/", 1)[0] for e in pt_doc["credentialStatus"]} == {f"{base['host']}/status"}

    with contextlib.ExitStack() as stack:
        agency_requests = stack.enter_context(static_https(site, cert, key, socks["agency"]))
        host_server = school_server(homes["host"], socks["host"], (cert, key))
        stack.callback(host_server.stop)
        # the home school subscribes, then recognises: the transcript's lists are fetched from the host
        w.ecvet(homes["home"], "trust", "subscribe", registry_url, "--anchor", agency_did)
        rec = work / "recognition.json"
        w.ecvet(homes["home"], "recognize", "--transcript", pt, "--agreement", la, "-o", rec)
        home_server = school_server(homes["home"], socks["home"], (cert, key))
        stack.callback(home_server.stop)

        # --- the employer: one subscription, nothing else -------------------------------------------------
        employer = homes["employer"]
        out = w.ecvet(employer, "trust", "subscribe", registry_url, "--anchor", agency_did).output
        assert "edition 4" in out and "2 institution(s)" in out
        listed = w.ecvet(employer, "trust", "list").output
        assert f"anchor {agency_did}" in listed and "Berufskolleg Rhein-Ruhr (DE; host)" in listed
        assert f"status lists: {base['host']}/status/" in listed
        inbox = tmp_path / "inbox"   # what the learner sent: the files alone, no status folder
        inbox.mkdir()
        shutil.copy(pt, inbox / "pt.json")
        shutil.copy(rec, inbox / "recognition.json")
        for name in ("pt.json", "recognition.json"):
            code, report = w.verify(employer, inbox / name)
            assert (code, report["verdict"]) == (0, "verified"), report
            assert {e["origin"] for e in check(report, "status")["details"]["entries"]} == {"network"}
            assert "Test agency registry" in check(report, "issuer-trusted")["message"]
        text = w.ecvet(employer, "verify", inbox / "pt.json").output
        assert "Learner:  Giulia Rossi" in text and "Issuer:   Berufskolleg Rhein-Ruhr" in text
        assert "Result: VERIFIED" in text

        # --- a forged transcript: fresh key, the host's name, its own status lists beside it ----------------
        forged_dir = tmp_path / "forged"
        forged = forge_transcript(w, homes["forger"], tmp_path, forged_dir)
        code, report = w.verify(employer, forged)
        assert code == 1 and report["verdict"] == "issuer_not_recognised", report
        assert check(report, "proof")["outcome"] == "passed"   # a genuine signature, by nobody we trust
        text = w.ecvet(employer, "verify", forged, code=1).output
        assert 'claims to be "Berufskolleg Rhein-Ruhr (EXAMPLE)"' in text and "VERIFIED" not in text.replace(
            "NOT VERIFIED", "")
        assert "Result: GENUINE SIGNATURE, ISSUER NOT RECOGNISED" in text
        page = home_server.client(verify=ssl.create_default_context(cafile=str(ca))).post(
            "/verify/upload", files={"file": ("pt.json", forged.read_bytes(), "application/json")})
        assert page.status_code == 200 and '<span id="verdict-word">Verified</span>' not in page.text
        imported = w.ecvet(employer, "wallet", "import", forged).output
        assert "GENUINE SIGNATURE, ISSUER NOT RECOGNISED" in imported and "claims to be" in imported
        printable = tmp_path / "forged.html"
        w.ecvet(employer, "render", forged, "--verify", "-o", printable, code=1)
        assert "Not verified" in printable.read_text() or "NOT VERIFIED" in printable.read_text().upper()

        # --- the host revokes the transcript: refused on the next check --------------------------------------
        w.ecvet(homes["host"], "status", "revoke", pt_doc["id"], "--reason", "wrong grade", "--who", "registrar")
        code, report = w.verify(employer, inbox / "pt.json")
        assert code == 1 and check(report, "status")["code"] == "CREDENTIAL_REVOKED", report

        # --- a newer registry without the host: the host is no longer recognised ------------------------------
        w.ecvet(homes["agency"], "trust", "remove", registry, host_did)
        w.ecvet(homes["agency"], "trust", "sign", registry, "--key", tmp_path / "agency.key", "-o", site / "registry.json")
        assert "updated" in w.ecvet(employer, "trust", "refresh", "--force").output
        code, report = w.verify(employer, inbox / "pt.json")
        # (still revoked too: the verdict is the worse one, not verified)
        assert code == 1 and check(report, "issuer-trusted")["code"] == "ISSUER_NOT_TRUSTED", report
        # ...and the older signed edition, served again, never replaces it (no rollback)
        (site / "registry.json").write_bytes(first_edition)
        refused = w.ecvet(employer, "trust", "refresh", "--force", code=1).output
        assert "older than the accepted edition 5" in refused
        code, report = w.verify(employer, inbox / "pt.json")
        assert check(report, "issuer-trusted")["code"] == "ISSUER_NOT_TRUSTED"
        code, report = w.verify(employer, inbox / "recognition.json")
        assert (code, report["verdict"]) == (0, "verified"), report
        assert any(p == "/registry.json" for p in agency_requests)

    # --- every server stopped: offline, from the cache, with its age ------------------------------------------
    code, report = w.verify(employer, inbox / "recognition.json", "--offline")
    assert (code, report["verdict"]) == (0, "verified"), report
    status = check(report, "status")
    assert "from a cached copy" in status["message"] and " old" in status["message"]
    assert {e["origin"] for e in status["details"]["entries"]} == {"cache"}
    assert "subscribed copy of 127.0.0.1" in check(report, "issuer-trusted")["message"]
    # online with the servers gone: the cached copy is used and said to be one, never a silent pass
    code, report = w.verify(employer, inbox / "recognition.json")
    assert "from a cached copy" in check(report, "status")["message"]


def forge_transcript(w: World, forger_home: Path, tmp: Path, out_dir: Path) -> Path:
    """The forger's transcript: the example host's name and data, the forger's fresh key, and status lists
    signed by that key in a status/ folder beside the file."""
    import yaml

    key_file = tmp / "forger.key"
    did = json.loads(w.ecvet(forger_home, "keys", "generate", "--out", key_file, "--json").output)["did"]
    authored = yaml.safe_load((REPO / "examples" / "transcript.yaml").read_text())
    authored["host"]["did"] = did            # the name stays "Berufskolleg Rhein-Ruhr (EXAMPLE)"
    authored.pop("agreement", None)
    src = tmp / "forged.yaml"
    src.write_text(yaml.safe_dump(authored, allow_unicode=True))
    out_dir.mkdir()
    forged = out_dir / "pt.json"
    w.ecvet(forger_home, "issue", "transcript", src, "--key", key_file, "--status-base-url",
            "https://forger.example/status", "-o", forged)
    w.ecvet(forger_home, "status", "publish", "--key", key_file, "--out", out_dir / "status")
    return forged
