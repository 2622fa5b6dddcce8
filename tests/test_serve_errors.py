"""`ecvet serve` paths no other test ran, on real servers on 127.0.0.1: every QR decoder busy (503), a
server without a registry, a client that gives up while its verification runs (the work stops), a
request pipelined behind one in work, a body over the limit that keeps streaming, the page's form
refusals, presentations on the page, pasted QR texts, an older printable page carrying only QR texts,
a server with its own institution key and no trust registry (the issuer is only a claim), and a
credential id issued twice."""
from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import threading
import time
import uuid
from dataclasses import replace

import pytest
import uvicorn

from serve_helpers import (
    KEYS,
    PASSPHRASE,
    TOKEN,
    RunningServer,
    assert_problem,
    bound_socket,
    running_server,
    unsigned_transcript,
)

from ecvet_credentials.core.errors import LimitExceededError
from ecvet_credentials.crypto.keys import load_key_file
from ecvet_credentials.ecvet.institution import InstitutionProfile, save_profile
from ecvet_credentials.jsonld.limits import check_cancelled
from ecvet_credentials.render.qr import images
from ecvet_credentials.serve import ServeConfig, create_app
from ecvet_credentials.serve.protocol import GuardedH11Protocol
from ecvet_credentials.serve.service import Service
from ecvet_credentials.verify.presentation import sign_presentation

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_dir):
    with running_server(tmp_path_factory.mktemp("serve-errors"), status_directory=demo_dir / "status") as srv:
        yield srv


def _connect(server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=20)


def _read_answers(sock: socket.socket, count: int) -> list[bytes]:
    """`count` HTTP answers with a Content-Length body each, in order (bounded by the socket timeout)."""
    data, answers = b"", []
    for _ in range(10_000):
        while len(answers) < count and b"\r\n\r\n" in data:
            head, rest = data.split(b"\r\n\r\n", 1)
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
            if len(rest) < length:
                break
            answers.append(head + b"\r\n\r\n" + rest[:length])
            data = rest[length:]
        if len(answers) == count:
            return answers
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return answers


# --- the API ---------------------------------------------------------------------------------------
def test_every_qr_decoder_busy_is_503_with_retry_after(server, demo_dir, monkeypatch):
    monkeypatch.setattr(images, "_DECODES", threading.BoundedSemaphore(1))
    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 0.05)
    images._DECODES.acquire()  # another request holds the only decoder slot
    try:
        with server.client() as client:
            r = client.post("/verify/qr", content=(demo_dir / "transcript-qr.png").read_bytes(),
                            headers={"content-type": "image/png"})
    finally:
        images._DECODES.release()
    body = assert_problem(r, 503)
    assert body["code"] == "QR_BUSY" and r.headers["retry-after"] == "10"
    with server.client() as client:  # the slot free again: the same photo verifies
        r = client.post("/verify/qr", content=(demo_dir / "transcript-qr.png").read_bytes(),
                        headers={"content-type": "image/png"})
    assert r.status_code == 200, r.text[:300]


def test_a_server_without_registry_refuses_status_changes_and_reads_published_lists(tmp_path, demo_dir):
    with running_server(tmp_path, registry=False, status_directory=demo_dir / "status") as srv, srv.client() as client:
        body = assert_problem(client.post("/status", headers=srv.auth, json={
            "credentialId": "urn:uuid:x", "credentialStatus": [{"status": "revoked"}]}), 403)
        assert "without a registry" in body["detail"]
        # no lists of its own: the transcript's lists come from the configured directory
        r = client.post("/credentials/verify",
                        json={"verifiableCredential": json.loads((demo_dir / "transcript.json").read_text())})
        assert r.status_code == 200, r.text[:500]
        status = next(c for c in r.json()["checks"] if c["id"] == "status")
        assert status["outcome"] == "passed"


def test_a_body_over_the_limit_still_streaming_is_drained_then_413(tmp_path):
    with running_server(tmp_path, max_json_bytes=2000) as srv, _connect(srv) as sock:
        sock.sendall(b"POST /credentials/verify HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                     b"transfer-encoding: chunked\r\n\r\n" + b"%x\r\n" % 3000 + b"x" * 3000 + b"\r\n")
        time.sleep(0.3)  # pacing only: the server reads the first chunk before the rest exists
        sock.sendall(b"%x\r\n" % 3000 + b"y" * 3000 + b"\r\n0\r\n\r\n")
        answer = _read_answers(sock, 1)
    assert answer and answer[0].startswith(b"HTTP/1.1 413"), answer
    assert b"too large" in answer[0]


# --- work the client gave up on, and requests behind work ------------------------------------------
class Gate:
    """A verification that waits to be let through, polling for cancellation like the real work does."""

    def __init__(self, verify):
        self.verify, self.entered, self.opened, self.cancelled = verify, threading.Event(), threading.Event(), []

    def __call__(self, document, **kw):
        self.entered.set()
        for _ in range(2000):  # 20 s at most
            if self.opened.is_set():
                return self.verify(document, **kw)
            try:
                check_cancelled()
            except LimitExceededError as exc:
                self.cancelled.append(exc.code)
                raise
            time.sleep(0.01)
        raise AssertionError("the gate was never opened")


@contextlib.contextmanager
def _served(service: Service, config: ServeConfig):
    """create_app with a service built by the caller (as `ecvet serve` tests and embedders do)."""
    sock = bound_socket()
    srv = RunningServer(replace(config, port=sock.getsockname()[1]), sock)
    srv.server = uvicorn.Server(uvicorn.Config(create_app(config, service=service), log_level="warning", lifespan="on",
                                              timeout_keep_alive=2, http=GuardedH11Protocol))
    srv.thread = threading.Thread(target=srv.server.run, kwargs={"sockets": [sock]}, daemon=True)
    try:
        yield srv.start()
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def gated(tmp_path_factory, demo_dir):
    home = tmp_path_factory.mktemp("serve-gated")
    config = replace(ServeConfig(), host="127.0.0.1", key=KEYS / "host.key", home=home, db=str(home / "registry.sqlite"),
                     token=TOKEN, status_base_url="http://127.0.0.1:9/status", status_directory=demo_dir / "status")
    service = Service(config)
    real = service.verify
    with _served(service, config) as srv:
        yield srv, service, real
    # the app did not build the service, so it does not close it either: the caller's registry still works
    assert service.registry.status_lists() is not None
    service.close()


def _verify_request(document: dict) -> bytes:
    body = json.dumps({"verifiableCredential": document}).encode()
    return (b"POST /credentials/verify HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
            b"content-length: %d\r\n\r\n" % len(body)) + body


def test_a_client_that_gives_up_stops_its_verification(gated, demo_dir):
    srv, service, real = gated
    gate = service.verify = Gate(real)
    with _connect(srv) as sock:
        sock.sendall(_verify_request(json.loads((demo_dir / "transcript.json").read_text())))
        assert gate.entered.wait(20)
    # the connection is closed while the work runs: the server tells it to stop
    for _ in range(200):
        if gate.cancelled:
            break
        time.sleep(0.05)
    assert gate.cancelled == ["WORK_CANCELLED"]
    service.verify = real
    with srv.client() as client:
        assert client.get("/openapi.json").status_code == 200


def test_a_request_pipelined_behind_one_in_work_is_answered_after_it(gated, demo_dir):
    srv, service, real = gated
    gate = service.verify = Gate(real)
    try:
        with _connect(srv) as sock:
            sock.sendall(_verify_request(json.loads((demo_dir / "transcript.json").read_text())))
            assert gate.entered.wait(20)
            sock.sendall(b"GET /openapi.json HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")  # while the first is in work
            time.sleep(0.2)  # pacing only: the second request reaches the server before the first is answered
            gate.opened.set()
            first, second = _read_answers(sock, 2)
    finally:
        service.verify = real
    assert first.startswith(b"HTTP/1.1 200") and b'"verified":true' in first.replace(b" ", b"")
    assert second.startswith(b"HTTP/1.1 200") and b'"openapi"' in second


# --- the page --------------------------------------------------------------------------------------
def _upload(client, files=None, data=None):
    return client.post("/verify/upload", files=files, data=data)


def _verdict(r) -> str:
    """The page's verdict (the result section's, not a nested credential's)."""
    return re.search(r'<section class="result [a-z]+" aria-labelledby="verdict" data-verdict="([a-z_]+)"', r.text).group(1)


def test_page_form_refusals_are_pages_with_the_reason(tmp_path):
    with running_server(tmp_path, max_image_bytes=1000) as srv, srv.client() as client:
        r = _upload(client, files={"secret": ("x.json", b"{}", "application/json")})
        assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
        assert "Unexpected file field &#x27;secret&#x27;" in r.text
        r = _upload(client, files={"file": ("big.png", b"\x89PNG" + b"\0" * 5000, "image/png")})
        assert r.status_code == 413 and "larger than 1,000 bytes" in r.text


def test_a_presentation_for_the_pages_challenge_counts_once(server, demo_dir):
    learner = load_key_file(KEYS / "learner.key", passphrase=PASSPHRASE)
    pt = json.loads((demo_dir / "transcript.json").read_text())
    with server.client() as client:
        challenge = re.search(r'name="challenge" value="([^"]+)"', client.get("/").text).group(1)
        vp = json.dumps(sign_presentation([pt], learner, challenge=challenge))
        first = _upload(client, files={"file": ("vp.json", vp, "application/json")}, data={"challenge": challenge})
        again = _upload(client, files={"file": ("vp.json", vp, "application/json")}, data={"challenge": challenge})
    assert _verdict(first) == "verified", first.text[-3000:]
    assert 'id="challenge-note"' not in first.text
    # replayed: the challenge was used, so the presentation is not bound to a fresh one
    assert _verdict(again) == "not_verified"
    assert "The challenge was already used" in again.text


def test_pasted_qr_texts_and_an_older_page_with_only_qr_texts_verify(server, demo_dir):
    texts = images.read_texts((demo_dir / "transcript-qr.png").read_bytes())
    older_page = ("<!doctype html><html><body>"
                  + "".join(f'<img alt="" data-qr-text="{t}">' for t in texts) + "</body></html>").encode()
    with server.client() as client:
        pasted = _upload(client, data={"text": "\n".join(texts)})
        page = _upload(client, files={"file": ("pt.html", older_page, "text/html")})
    for r in (pasted, page):
        assert r.status_code == 200 and _verdict(r) == "verified", r.text[-2000:]


# --- a server with its own key -------------------------------------------------------------------
@pytest.fixture
def own_home(tmp_path, monkeypatch):
    """HOME set up as an institution (`ecvet institution init`) with its own key file, no trust registry."""
    home = tmp_path / "home"
    (home / "keys").mkdir(parents=True)
    shutil.copy(KEYS / "host.key", home / "keys" / "school.key")  # a copy: not the bundled example key
    key = load_key_file(KEYS / "host.key", passphrase=PASSPHRASE)
    save_profile(home, InstitutionProfile(name="Own school", country="DE", did=key.did,
                                          base_url="https://own-school.example/ecvet", key="keys/school.key"))
    monkeypatch.setenv("ECVET_COVB_PASSPHRASE", PASSPHRASE.decode())
    return home


def test_a_server_with_its_own_key_and_no_trust_registry_shows_the_issuer_as_a_claim(own_home, demo_dir, caplog):
    config = replace(ServeConfig(), host="127.0.0.1", home=own_home, db=str(own_home / "registry.sqlite"), token=TOKEN,
                     passphrase_env="ECVET_COVB_PASSPHRASE", status_directory=demo_dir / "status")
    assert config.key_path() == own_home / "keys" / "school.key" and not config.is_example_key()
    assert config.trust_path() is None
    assert config.base_url() == "https://own-school.example/ecvet/status"  # where the profile publishes
    sock = bound_socket()
    with caplog.at_level("WARNING", logger="ecvet.serve"):
        srv = RunningServer(replace(config, port=sock.getsockname()[1]), sock).start()
    try:
        with srv.client() as client:
            r = _upload(client, files={"file": ("pt.json", (demo_dir / "transcript.json").read_bytes(), "application/json")})
    finally:
        srv.stop()
    assert "no trust registry" in caplog.text and "EXAMPLE key" not in caplog.text
    assert _verdict(r) == "issuer_not_recognised", r.text[-3000:]
    claim = re.search(r'<p id="issuer-claim">([^<]*)</p>', r.text).group(1)
    assert claim.startswith("The issuer claims to be Berufskolleg Rhein-Ruhr (EXAMPLE) (did:key:z6Mk")


def test_pasted_qr_texts_keep_the_spaces_inside_them():
    from ecvet_credentials.serve.documents import _split_qr_texts

    assert _split_qr_texts("EC1:AB C\r\nEC1:D E \n\n  EC1:F") == ["EC1:AB C", "EC1:D E ", "EC1:F"]
    assert _split_qr_texts("EC1:AB C EC1:D") == ["EC1:AB C", "EC1:D"]  # two codes on one line


def test_issuing_a_credential_id_already_recorded_is_409(server):
    credential = dict(unsigned_transcript(), id=f"urn:uuid:{uuid.uuid4()}")
    with server.client() as client:
        first = client.post("/credentials/issue", json={"credential": credential}, headers=server.auth)
        again = client.post("/credentials/issue", json={"credential": credential}, headers=server.auth)
    assert first.status_code == 201 and first.json()["verifiableCredential"]["id"] == credential["id"]
    body = assert_problem(again, 409)
    assert body["code"] == "BATCH_CONFLICT" and credential["id"] in body["detail"]
