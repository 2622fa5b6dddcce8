"""Institution setup, registries that travel (editions, no rollback), the allow-list for status lists,
the issuing refusal without a status base URL, and the server's defaults (no example trust, real scheme)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from ecvet_credentials.cli.main import cli
from ecvet_credentials.core.errors import InputError, StatusListUnavailableError
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.net import Fetcher
from ecvet_credentials.status.fetch import StatusListSource, prefix_matches
from ecvet_credentials.trust.registry import parse_trust_registry
from ecvet_credentials.trust import subscriptions as subs
from ecvet_credentials.trust.editing import add_institution, institution_entry, new_registry
from ecvet_credentials.trust.signing import sign_trust_registry

REPO = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
URL = "https://agency.example/registry.json"


# --- the allow-list: nothing is requested from a host the issuer's registry entry does not list ------------
@pytest.mark.parametrize("url", [
    "https://evil.example/status/revocation-1",                 # another host
    "https://school.example/status-evil/revocation-1",          # the listed prefix is a path, not a string
    "https://school.example.evil.example/status/revocation-1",
    "http://school.example/status/revocation-1",                # not https
    "https://169.254.169.254/status/revocation-1",              # cloud metadata: never
])
def test_status_list_outside_the_registry_prefixes_is_never_requested(tmp_path, url):
    seen = []
    fetcher = Fetcher(cache_dir=tmp_path, allowed_hosts=["evil.example", "169.254.169.254"],
                      transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, content=b"{}")))
    source = StatusListSource(fetcher=fetcher)
    with pytest.raises(StatusListUnavailableError) as info:
        source.get(url, now=T0, allowed_prefixes=("https://school.example/status/",))
    assert getattr(info.value, "code", "") == "STATUS_FETCH_REFUSED" and seen == [] and fetcher.requested == []


def test_prefix_boundaries():
    assert prefix_matches("https://s.example/ecvet/status/r-1", "https://s.example/ecvet/status")
    assert not prefix_matches("https://s.example/ecvet/statusx/r-1", "https://s.example/ecvet/status")
    assert not prefix_matches("https://s.example.evil/ecvet/status/r-1", "https://s.example/ecvet/status/")


def test_verify_with_a_list_on_an_unlisted_host_requests_nothing(runner, demo_dir, monkeypatch, tmp_path):
    """End to end through `ecvet verify`: the example registry lists no status prefix for the host, so its
    status URLs (on bk-rhein-ruhr.example) are refused before any connection is opened."""
    def no_network(*a, **k):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr("httpx.Client.send", no_network)
    lone = tmp_path / "pt.json"
    lone.write_bytes((demo_dir / "transcript.json").read_bytes())
    result = runner.invoke(cli, ["verify", str(lone), "--json", "--trust", "example"])
    report = json.loads(result.stdout)
    status = next(c for c in report["checks"] if c["id"] == "status")
    assert result.exit_code == 1 and status["code"] == "STATUS_FETCH_REFUSED" and report["verdict"] == "could_not_check"


# --- registries: editions, anchors, no rollback -------------------------------------------------------------
def signed_edition(anchor, version: int, names=("A",), **extra) -> dict:
    data = new_registry("R")
    for n, name in enumerate(names):
        data, _ = add_institution(data, institution_entry(f"did:key:z6Mk{name}{n}", name=name, country="DE",
                                                          roles=["host"], status_prefixes=[]))
    data.update(version=version, **extra)
    return sign_trust_registry(data, anchor, created="2026-11-30T00:00:00Z")


class Agency:
    """The agency's web server as a mock transport: serves whatever `body` holds now."""

    def __init__(self):
        self.body = b""
        self.requests = 0

    def fetcher(self):
        def handler(request):
            self.requests += 1
            return httpx.Response(200, content=self.body)
        return Fetcher(transport=httpx.MockTransport(handler))


def test_subscription_accepts_newer_editions_only(tmp_path):
    anchor, intruder = KeyPair.generate("Ed25519"), KeyPair.generate("Ed25519")
    agency = Agency()
    agency.body = json.dumps(signed_edition(anchor, 5)).encode()
    acc = subs.subscribe(tmp_path, URL, anchor.did, fetcher=agency.fetcher(), now=T0)
    assert acc.version == 5
    cases = [
        (signed_edition(anchor, 4), "older than the accepted edition 5"),
        (signed_edition(anchor, 5, names=("B",)), "must carry a higher version"),
        (signed_edition(intruder, 9), "not by the trust anchor"),
        (signed_edition(anchor, 9, validUntil="2026-01-01T00:00:00Z"), "expired"),
        ({**signed_edition(anchor, 9), "name": "changed after signing"}, "does not verify"),
    ]
    for doc, why in cases:
        agency.body = json.dumps(doc).encode()
        [result] = subs.refresh(tmp_path, fetcher=agency.fetcher(), now=T0 + timedelta(hours=1), force=True)
        assert result.outcome == "refused" and why in result.message, (why, result.message)
        assert subs.accepted(tmp_path, URL).version == 5
    agency.body = json.dumps(signed_edition(anchor, 6, names=("A", "C"))).encode()
    [result] = subs.refresh(tmp_path, fetcher=agency.fetcher(), now=T0 + timedelta(hours=2), force=True)
    assert result.outcome == "updated" and subs.accepted(tmp_path, URL).version == 6
    [registry] = subs.load_subscribed(tmp_path, offline=True, now=T0 + timedelta(hours=5))
    assert registry.signed_by == anchor.did and len(registry.institutions) == 2
    assert registry.age_note.endswith(", 3 hours old")  # fresh enough: no "refresh failed"


def test_refresh_follows_the_ttl(tmp_path):
    anchor = KeyPair.generate("Ed25519")
    agency = Agency()
    agency.body = json.dumps(signed_edition(anchor, 1, ttl="12h")).encode()
    subs.subscribe(tmp_path, URL, anchor.did, fetcher=agency.fetcher(), now=T0)
    assert [r.outcome for r in subs.refresh(tmp_path, fetcher=agency.fetcher(), now=T0 + timedelta(hours=11))] == ["fresh"]
    assert agency.requests == 1
    assert [r.outcome for r in subs.refresh(tmp_path, fetcher=agency.fetcher(), now=T0 + timedelta(hours=13))] == ["unchanged"]
    assert agency.requests == 2


def test_a_changed_stored_copy_is_not_trusted(tmp_path):
    anchor = KeyPair.generate("Ed25519")
    agency = Agency()
    agency.body = json.dumps(signed_edition(anchor, 1)).encode()
    subs.subscribe(tmp_path, URL, anchor.did, fetcher=agency.fetcher(), now=T0)
    [path] = (tmp_path / "trust" / "accepted").glob("*.json")
    entry = json.loads(path.read_text())
    entry["registry"]["institutions"][0]["did"] = "did:key:z6MkForger"
    path.write_text(json.dumps(entry))
    [registry] = subs.load_subscribed(tmp_path, offline=True, now=T0)
    assert registry.untrusted and "does not verify" in registry.untrusted


def test_registry_version_valid_until_and_prefixes_are_validated():
    assert parse_trust_registry({"institutions": [], "version": 3, "validUntil": "2027-01-01T00:00:00Z",
                                 "ttl": "1d"}).version == 3
    for bad in ({"version": "3"}, {"version": -1}, {"validUntil": "soon"}, {"ttl": "often"},
                {"institutions": [{"did": "did:key:z", "statusListPrefixes": ["ftp://x/"]}]}):
        with pytest.raises(InputError) as info:
            parse_trust_registry({"institutions": [], **bad})
        assert info.value.code == "TRUST_REGISTRY_INVALID"


def test_expired_registry_recognises_nobody(runner, demo_dir, tmp_path):
    data = json.loads((REPO / "keys-example" / "trust-registry.json").read_text())
    data["validUntil"] = "2026-01-01T00:00:00Z"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(cli, ["verify", str(demo_dir / "transcript.json"), "--json", "--trust", str(path)])
    report = json.loads(result.stdout)
    trusted = next(c for c in report["checks"] if c["id"] == "issuer-trusted")
    assert result.exit_code == 1 and trusted["code"] == "TRUST_REGISTRY_EXPIRED"
    assert report["verdict"] == "issuer_not_recognised"


def test_trust_commands_edit_and_list(runner, tmp_path):
    reg = tmp_path / "r.json"
    assert runner.invoke(cli, ["trust", "init", str(reg), "--name", "NA"]).exit_code == 0
    assert runner.invoke(cli, ["trust", "init", str(reg), "--name", "NA"]).exit_code == 2  # exists
    added = runner.invoke(cli, ["trust", "add", str(reg), "did:key:z6MkA", "--name", "A", "--role", "host",
                                "--status-prefix", "https://a.example/status"])
    assert added.exit_code == 0 and "edition 2" in added.output
    assert runner.invoke(cli, ["trust", "add", str(reg), "did:key:z6MkB", "--name", "B", "--role", "boss"]).exit_code == 2
    assert runner.invoke(cli, ["trust", "add", str(reg), "did:key:z6MkB", "--name", "B", "--role", "home",
                               "--status-prefix", "http://b.example/"]).exit_code == 2
    listed = json.loads(runner.invoke(cli, ["trust", "list", str(reg), "--json"]).output)
    assert listed[0]["institutions"][0]["statusListPrefixes"] == ["https://a.example/status/"]
    assert runner.invoke(cli, ["trust", "remove", str(reg), "did:key:z6MkA"]).exit_code == 0
    assert json.loads(reg.read_text())["version"] == 3
    assert runner.invoke(cli, ["trust", "remove", str(reg), "did:key:z6MkA"]).exit_code == 2
    assert runner.invoke(cli, ["trust", "subscribe", "http://agency.example/r.json", "--anchor", "did:key:z6Mk"]).exit_code == 1
    assert runner.invoke(cli, ["trust", "subscribe", URL, "--anchor", "not-a-did"]).exit_code == 2


# --- institution setup and issuing -------------------------------------------------------------------------
def test_issuing_without_a_status_base_url_is_refused_with_how_to_set_it(runner, monkeypatch, tmp_path):
    monkeypatch.delenv("ECVET_STATUS_BASE_URL")
    src = REPO / "examples" / "transcript.yaml"
    key = REPO / "keys-example" / "host.key"
    result = runner.invoke(cli, ["issue", "transcript", str(src), "--key", str(key), "-o", str(tmp_path / "pt.json")])
    assert result.exit_code == 2 and "ecvet institution init" in result.output and "--status-base-url" in result.output
    assert not (tmp_path / "pt.json").exists()
    dev = runner.invoke(cli, ["issue", "transcript", str(src), "--key", str(key), "--dev", "-o", str(tmp_path / "d.json")])
    assert dev.exit_code == 0
    urls = {e["statusListCredential"] for e in json.loads((tmp_path / "d.json").read_text())["credentialStatus"]}
    assert all(u.startswith("http://127.0.0.1:8080/status/") for u in urls)


def test_institution_init_then_issue_from_the_profile(runner, monkeypatch, tmp_path):
    monkeypatch.delenv("ECVET_STATUS_BASE_URL")
    init = runner.invoke(cli, ["institution", "init", "--name", "BK", "--country", "de", "--base-url",
                               "https://bk.example/ecvet/", "--key", str(REPO / "keys-example" / "host.key"),
                               "--signatory", "Anna", "--language", "de", "--language", "en"])
    assert init.exit_code == 0 and "https://bk.example/ecvet/status/" in init.output
    shown = json.loads(runner.invoke(cli, ["institution", "show", "--json"]).output)
    assert shown["country"] == "DE" and shown["languages"] == ["de", "en"] and shown["base_url"] == "https://bk.example/ecvet"
    out = tmp_path / "pt.json"
    issued = runner.invoke(cli, ["issue", "transcript", str(REPO / "examples" / "transcript.yaml"), "-o", str(out)])
    assert issued.exit_code == 0, issued.output
    urls = {e["statusListCredential"].rsplit("/", 1)[0] for e in json.loads(out.read_text())["credentialStatus"]}
    assert urls == {"https://bk.example/ecvet/status"}
    published = runner.invoke(cli, ["status", "publish", "--out", str(tmp_path / "site")])   # key from the profile
    assert published.exit_code == 0 and "https://bk.example/ecvet/status/revocation-1" in published.output
    assert runner.invoke(cli, ["institution", "init", "--name", "x", "--country", "de", "--base-url",
                               "https://x.example"]).exit_code == 2          # exists: --force
    assert runner.invoke(cli, ["institution", "init", "--name", "x", "--country", "de", "--force", "--base-url",
                               "http://bk.example"]).exit_code == 2          # not https


def test_example_profiles_have_distinct_urls():
    from ecvet_credentials.demo import example_profile

    host, home = example_profile("host"), example_profile("home")
    assert host.status_base_url != home.status_base_url
    assert host.did != home.did and host.country == "DE" and home.country == "IT"


# --- the server's defaults -----------------------------------------------------------------------------
def test_server_with_its_own_key_never_trusts_the_examples(tmp_path):
    from ecvet_credentials.serve.config import load_config

    own = tmp_path / "own.toml"
    own.write_text('[issuer]\nkey = "school.key"\n')
    assert load_config(own, home=tmp_path).trust_path() is None
    asked = tmp_path / "asked.toml"
    asked.write_text('[issuer]\nkey = "school.key"\n[trust]\nregistry = "example"\n')
    assert load_config(asked, home=tmp_path).trust_path().name == "trust-registry.json"
    assert load_config(None, home=tmp_path).trust_path().name == "trust-registry.json"   # the demo setting


def test_status_urls_use_the_scheme_and_port_really_served(tmp_path):
    from ecvet_credentials.serve.config import load_config

    cfg = load_config(REPO / "examples" / "serve.toml", port=9443, home=tmp_path)
    assert cfg.base_url() == "http://127.0.0.1:9443/status"
    cfg.tls = True
    assert cfg.base_url() == "https://127.0.0.1:9443/status"


@pytest.mark.parametrize("accept,expected", [
    ("", "application/vc"), ("*/*", "application/vc"), ("application/json", "application/json"),
    ("application/ld+json", "application/ld+json"), ("application/vc, application/json", "application/vc"),
    ("application/vc;q=0.5, application/json", "application/json"), ("text/html", "application/vc"),
])
def test_status_list_content_negotiation(accept, expected):
    from ecvet_credentials.serve.status_http import negotiated_type

    assert negotiated_type(accept) == expected


# --- a list handed over with the credential is never better than the issuer's own -----------------------
def _list(url: str, valid_from: str) -> dict:
    return {"id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"], "validFrom": valid_from,
            "credentialSubject": {"type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": "x"}}


@pytest.mark.parametrize("issuer_up", [True, False])
def test_presented_list_never_beats_the_issuers_own(tmp_path, issuer_up):
    url = "https://school.example/status/revocation-1"
    presented = tmp_path / "beside"
    presented.mkdir()
    (presented / "whatever-name.json").write_text(json.dumps(_list(url, "2026-11-01T00:00:00Z")))
    state = {"up": True}

    def handler(request):
        if not state["up"]:
            raise httpx.ConnectError("down")
        return httpx.Response(200, content=json.dumps(_list(url, "2026-11-20T00:00:00Z")).encode())

    def source():
        fetcher = Fetcher(cache_dir=tmp_path / "cache", transport=httpx.MockTransport(handler))
        return StatusListSource(presented=presented, fetcher=fetcher, refresh_after=timedelta(0))

    prefixes = ("https://school.example/status/",)
    got = source().get(url, now=T0, allowed_prefixes=prefixes)       # the issuer's current list, not the old one
    assert (got.origin, got.document["validFrom"]) == ("network", "2026-11-20T00:00:00Z")
    state["up"] = issuer_up
    got = source().get(url, now=T0 + timedelta(hours=1), allowed_prefixes=prefixes)
    # issuer unreachable: its cached (newer) copy still wins over the older presented one
    assert got.document["validFrom"] == "2026-11-20T00:00:00Z" and got.origin in ("network", "cache")
    # a presented list is used only when nothing of the issuer's can be had, and it says so
    alone = StatusListSource(presented=presented, fetcher=Fetcher(cache_dir=tmp_path / "empty", offline=True))
    got = alone.get(url, now=T0, allowed_prefixes=prefixes)
    assert got.origin == "presented" and "supplied with the credential" in got.note
