"""`ecvet serve`'s settings and small parts no other test ran: config values of the wrong kind, the
institution profile's key and status URL, a server without HOME or trust registry, the settings handed
to worker processes through the environment (a real server from them), the challenge memory's bound,
the development certificate's renewal, the status list's cache headers without ttl or validFrom, the
allocator trim without glibc, and "nothing to check"."""
from __future__ import annotations

import asyncio
import json
import logging
import shutil
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import uvicorn
from starlette.requests import Request

from serve_helpers import KEYS, PASSPHRASE, TOKEN, RunningServer, bound_socket

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.crypto.keys import load_key_file
from ecvet_credentials.ecvet.institution import InstitutionProfile, save_profile
from ecvet_credentials.serve import ServeConfig, app as app_module, challenge, memory
from ecvet_credentials.serve.config import load_config
from ecvet_credentials.serve.documents import document_from_parts
from ecvet_credentials.serve.service import Service
from ecvet_credentials.serve.status_http import status_list_response
from ecvet_credentials.serve.tls import LIFETIME, dev_certificate

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


# --- the config file ---------------------------------------------------------------------------------
@pytest.mark.parametrize("toml, message", [
    ('[trust]\nregistry = 5', "trust.registry must be a file path string"),
    ('[issuer]\nkey = ""', "issuer.key must be a file path string"),
    ('[registry]\nenabled = "yes"', "registry.enabled must be true or false"),
    ('[issuer]\ncryptosuite = 2022', "issuer.cryptosuite must be a string"),
    ('[server]\nport = 70000', "port 70000 is not a TCP port"),
    ('[status]\nmax_age = "soon"', "status.max_age 'soon' is not a duration"),
])
def test_config_values_of_the_wrong_kind_are_refused_by_name(tmp_path, toml, message):
    path = tmp_path / "serve.toml"
    path.write_text(toml)
    with pytest.raises(InputError, match=message):
        load_config(path)


def test_config_paths_are_relative_to_the_file_and_a_valid_max_age_is_kept(tmp_path):
    path = tmp_path / "conf" / "serve.toml"
    path.parent.mkdir()
    path.write_text('[trust]\nregistry = "registries/trusted.json"\n[status]\nmax_age = "7d"\n')
    cfg = load_config(path)
    assert cfg.trust_registry == path.parent / "registries" / "trusted.json"
    assert cfg.trust_path() == cfg.trust_registry  # the configured registry, never the example one
    assert cfg.status_max_age == "7d"


# --- identity --------------------------------------------------------------------------------------
@pytest.fixture
def own_home(tmp_path, monkeypatch) -> Path:
    """HOME set up as an institution with its own copy of a key (so not the bundled example key)."""
    home = tmp_path / "home"
    (home / "keys").mkdir(parents=True)
    shutil.copy(KEYS / "host.key", home / "keys" / "school.key")
    did = load_key_file(KEYS / "host.key", passphrase=PASSPHRASE).did
    save_profile(home, InstitutionProfile(name="Own school", country="DE", did=did,
                                          base_url="https://own-school.example/ecvet", key="keys/school.key"))
    monkeypatch.setenv("ECVET_COVB_PASSPHRASE", PASSPHRASE.decode())
    return home


def test_the_profile_gives_the_key_and_where_status_lists_are_published(own_home):
    cfg = replace(ServeConfig(), home=own_home, passphrase_env="ECVET_COVB_PASSPHRASE")
    assert cfg.key_path() == own_home / "keys" / "school.key"
    assert not cfg.is_example_key() and cfg.trust_path() is None
    assert cfg.base_url() == "https://own-school.example/ecvet/status"
    # an explicit key is not the profile's: its lists are served here unless status.base_url says otherwise
    explicit = replace(cfg, key=own_home / "keys" / "school.key", port=8443, tls=True)
    assert explicit.base_url() == "https://127.0.0.1:8443/status"


def test_a_server_without_home_or_trust_registry_recognises_nobody(own_home, caplog):
    cfg = replace(ServeConfig(), key=own_home / "keys" / "school.key", home=None, registry=False,
                  passphrase_env="ECVET_COVB_PASSPHRASE")
    with caplog.at_level(logging.WARNING, logger="ecvet.serve"):
        service = Service(cfg)
    try:
        assert service.trust is None and service.registry is None and service.own_lists is None
        assert "no trust registry" in caplog.text and "EXAMPLE key" not in caplog.text
        report = service.verify({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]})
        assert report.get("issuer-trusted").code == "NO_TRUST_REGISTRY"
    finally:
        service.close()


# --- worker processes --------------------------------------------------------------------------------
def test_settings_handed_to_a_worker_through_the_environment_serve_the_same(tmp_path, monkeypatch, demo_dir):
    sock = bound_socket()
    port = sock.getsockname()[1]
    config = replace(ServeConfig(), host="127.0.0.1", port=port, key=KEYS / "host.key", home=tmp_path,
                     db=str(tmp_path / "registry.sqlite"), token=TOKEN, status_directory=demo_dir / "status",
                     status_allowed_hosts=("status.example",), status_base_url=f"http://127.0.0.1:{port}/status")
    raw = json.loads(app_module.config_to_env(config))
    assert raw["key"] == str(KEYS / "host.key") and raw["trust_registry"] is None
    monkeypatch.setenv(app_module.CONFIG_ENV, app_module.config_to_env(config))
    worker_app = app_module.app_from_env()  # what `ecvet serve --workers N` runs in each worker
    srv = RunningServer(config, sock)
    srv.server = uvicorn.Server(uvicorn.Config(worker_app, log_level="warning", lifespan="on", timeout_keep_alive=2))
    srv.thread = threading.Thread(target=srv.server.run, kwargs={"sockets": [sock]}, daemon=True)
    srv.start()
    try:
        with srv.client() as client:
            r = client.post("/credentials/verify",
                            json={"verifiableCredential": json.loads((demo_dir / "transcript.json").read_text())})
    finally:
        srv.stop()
    assert r.status_code == 200, r.text[:500]  # the key, trust and status directory came through as paths
    assert r.json()["verified"] is True


# --- small parts -------------------------------------------------------------------------------------
def test_the_used_challenges_memory_is_bounded_oldest_first(monkeypatch):
    monkeypatch.setattr(challenge, "_MAX_USED", 2)
    monkeypatch.setattr(challenge, "_USED", type(challenge._USED)())
    now = 1_800_000_000.0
    issued = [challenge.issue(now) for _ in range(3)]
    assert [challenge.accept(c, now) for c in issued] == [None, None, None]
    assert list(challenge._USED) == issued[1:]
    assert challenge.accept(issued[2], now) is not None  # still remembered: refused as used


def test_the_development_certificate_is_reused_then_renewed_near_its_end(tmp_path):
    now = datetime(2026, 11, 30, tzinfo=timezone.utc)
    cert, key = dev_certificate(tmp_path, now=now)
    first = cert.read_bytes()
    assert dev_certificate(tmp_path, now=now + timedelta(days=10)) == (cert, key) and cert.read_bytes() == first
    dev_certificate(tmp_path, now=now + LIFETIME - timedelta(hours=12))  # less than a day left: a new one
    assert cert.read_bytes() != first
    cert.write_bytes(b"not a certificate")  # unreadable: made again
    dev_certificate(tmp_path, now=now)
    assert cert.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")


def _request(**headers) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/status/x",
                    "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]})


def test_a_status_list_without_ttl_or_valid_from_gets_the_default_cache_time_and_no_last_modified():
    doc = {"id": "https://s.example/status/1", "credentialSubject": {"encodedList": "uH4sI"}}
    r = status_list_response(_request(), doc)
    assert r.headers["cache-control"] == "public, max-age=300" and "last-modified" not in r.headers
    dated = dict(doc, validFrom="2026-11-30T10:00:00Z", credentialSubject={"ttl": 60_000})
    r = status_list_response(_request(), dated)
    assert r.headers["cache-control"] == "public, max-age=60"
    assert r.headers["last-modified"] == "Mon, 30 Nov 2026 10:00:00 GMT"
    assert status_list_response(_request(if_none_match=r.headers["etag"]), dated).status_code == 304


def test_without_glibc_the_trimmer_stops_at_once(monkeypatch):
    monkeypatch.setattr(memory, "_libc", lambda: None)
    assert memory.tune_allocator() is False
    assert asyncio.run(asyncio.wait_for(memory.trim_periodically(every=0.01), timeout=5)) is None


def test_nothing_given_is_nothing_to_check():
    with pytest.raises(InputError, match="Nothing to check"):
        document_from_parts([], "   ", agreement=None, max_bytes=1000)


def test_status_list_media_type_follows_q_values_and_ignores_a_broken_one():
    from ecvet_credentials.serve.status_http import negotiated_type

    assert negotiated_type("application/json;q=abc, application/vc+ld+json;q=0.5") == "application/vc+ld+json"
    assert negotiated_type("application/json;q=0.9, application/ld+json") == "application/ld+json"
    assert negotiated_type("text/html, */*") == "application/vc"
