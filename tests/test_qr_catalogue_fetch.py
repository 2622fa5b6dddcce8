"""A catalogue-compressed QR code read without the Learning Agreement: the catalogue is fetched by its
digest from the issuer's allowed host (loopback HTTPS: the real `ecvet serve` and a static site), checked
against the digest, and only then used; offline, unpublished or altered → the plain-words message."""
from __future__ import annotations

import json
import ssl
from dataclasses import dataclass, field

import pytest

from ecvet_credentials.core.errors import QrPayloadError
from ecvet_credentials.net import Fetcher
from ecvet_credentials.render.qr import catalogue_digest, decode_texts, encode_credential
from ecvet_credentials.render.qr.catalogue_fetch import (
    catalogue_document,
    catalogue_source,
    catalogue_urls,
    dictionary_from_document,
    trusted_prefixes,
)

from ecvet_credentials.cli.main import cli

from serve_helpers import KEYS, bound_socket, running_server
from test_qr_payload import samples
from tls_helpers import make_test_ca, static_https

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@dataclass
class Inst:
    status_prefixes: tuple = ()


@dataclass
class Registry:
    institutions: dict = field(default_factory=dict)
    untrusted: str | None = None


def test_published_catalogue_round_trips_and_is_checked_against_its_digest():
    s = samples()
    digest, body = catalogue_document(s["la"])
    assert digest == catalogue_digest(s["la"])
    assert dictionary_from_document(body, digest) is not None
    strings = json.loads(body)
    strings[0] += "x"  # one changed unit text: another catalogue
    assert dictionary_from_document(json.dumps(strings).encode(), digest) is None
    assert dictionary_from_document(b'{"not": "a list"}', digest) is None
    assert dictionary_from_document(b"[1, 2]", digest) is None
    assert catalogue_urls("D" * 13, ["https://a.example/status/", "https://a.example/status"]) == [
        "https://a.example/status/catalogues/DDDDDDDDDDDDD.json"]
    assert len(catalogue_urls("D" * 13, [f"https://h{i}.example/status/" for i in range(100)])) == 16
    assert trusted_prefixes(Registry({"a": Inst(("https://a/",))}, untrusted="bad proof")) == []


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    return make_test_ca(tmp_path_factory.mktemp("ca"))


def test_code_read_with_catalogue_served_by_ecvet_serve(tmp_path, tls, runner):
    ca, cert, key = tls
    s = samples()
    enc = encode_credential(s["pt"], agreement=s["la"], dictionary="catalogue")
    la_path = tmp_path / "la.json"
    la_path.write_text(json.dumps(s["la"]))
    home = tmp_path / "home"  # the runner's ECVET_HOME
    # `ecvet status publish --agreement` writes OUT/catalogues/<digest>.json and HOME/catalogues/ for serve
    result = runner.invoke(cli, ["status", "publish", "--key", str(KEYS / "host.key"), "--out", str(tmp_path / "pub"),
                                 "--agreement", str(la_path)])
    assert result.exit_code == 0, result.output
    digest = catalogue_digest(s["la"])
    assert (tmp_path / "pub" / "catalogues" / f"{digest}.json").read_bytes() == catalogue_document(s["la"])[1]
    assert (home / "catalogues" / f"{digest}.json").is_file()
    with running_server(home, ssl=(cert, key)) as srv:
        prefix = f"{srv.url}/status/"
        fetcher = Fetcher(ca_bundle=str(ca))
        lookup = catalogue_source(fetcher, trusted_prefixes(Registry({"h": Inst((prefix,))})))
        assert decode_texts(enc.texts, catalogue=lookup) == s["pt"]
        assert fetcher.requested == [f"{prefix}catalogues/{digest}.json"]
        with srv.client(verify=ssl.create_default_context(cafile=str(ca))) as client:
            assert client.get("/status/catalogues/AAAAAAAAAAAAA.json").status_code == 404
            assert client.get("/status/catalogues/..%2Fregistry.sqlite.json").status_code == 404


def test_altered_or_missing_catalogue_is_never_used(tmp_path, tls):
    ca, cert, key = tls
    s = samples()
    enc = encode_credential(s["pt"], agreement=s["la"], dictionary="catalogue")
    digest, body = catalogue_document(s["la"])
    site = tmp_path / "site"
    (site / "status" / "catalogues").mkdir(parents=True)
    strings = json.loads(body)
    strings[-1] = strings[-1].replace("a", "o")  # a forged copy under the right name
    (site / "status" / "catalogues" / f"{digest}.json").write_text(json.dumps(strings))
    sock = bound_socket()
    base = f"https://127.0.0.1:{sock.getsockname()[1]}"
    with static_https(site, cert, key, sock) as requested:
        fetcher = Fetcher(ca_bundle=str(ca))
        # a prefix with nothing published, then one with a forged copy: both tried, neither used
        lookup = catalogue_source(fetcher, [f"{base}/elsewhere/", f"{base}/status/"])
        with pytest.raises(QrPayloadError) as err:
            decode_texts(enc.texts, catalogue=lookup)
        assert err.value.code == "QR_DICTIONARY_MISSING" and digest in str(err.value)
        assert requested == [f"/elsewhere/catalogues/{digest}.json", f"/status/catalogues/{digest}.json"]
        # offline: nothing is requested, the same plain-words message
        offline = Fetcher(ca_bundle=str(ca), offline=True)
        with pytest.raises(QrPayloadError) as err:
            decode_texts(enc.texts, catalogue=catalogue_source(offline, [f"{base}/status/"]))
        assert err.value.code == "QR_DICTIONARY_MISSING" and len(requested) == 2 and offline.requested == []
