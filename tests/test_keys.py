"""Keys: generation, Multikey, deterministic signatures, encrypted PEM files, passphrases."""
from __future__ import annotations

import json
import os
import stat

import pytest

from ecvet_credentials.core import multibase as mb
from ecvet_credentials.core.errors import KeyFileError, PassphraseError
from ecvet_credentials.crypto.keys import (
    KEY_TYPES,
    KeyPair,
    load_key_file,
    passphrase_from_env,
    public_key_from_multibase,
    save_key_file,
)

PREFIX = {"Ed25519": "z6Mk", "P-256": "zDna", "P-384": "z82L"}
SIG_LEN = {"Ed25519": 64, "P-256": 64, "P-384": 96}


@pytest.fixture(scope="module", params=KEY_TYPES)
def key(request):
    return KeyPair.generate(request.param)


def _secret_strings(key: KeyPair) -> list[str]:
    secret = key.to_multikey()["secretKeyMultibase"]
    raw = mb.decode(secret)[2:]
    return [secret, raw.hex(), secret[1:]]


# --- multibase ----------------------------------------------------------------------------------
def test_base58_round_trip_and_leading_zeros():
    for data in (b"", b"\0", b"\0\0\x01", bytes(range(256)), b"hello world"):
        assert mb.b58decode(mb.b58encode(data)) == data
    assert mb.b58encode(b"hello world") == "StV1DL6CwTryKyV"
    assert mb.encode(b"\xff\xfe", "u") == "u__4"
    assert mb.decode("u__4") == b"\xff\xfe"


@pytest.mark.parametrize("junk", ["", "x123", "z0OIl", "zé1", "u+/=", "z" + "1" * 5000, 5])
def test_multibase_rejects_junk(junk):
    with pytest.raises(ValueError):
        mb.decode(junk)


# --- key pairs ----------------------------------------------------------------------------------
def test_generate_sign_verify(key):
    assert key.public_multibase.startswith(PREFIX[key.key_type])
    assert key.did == "did:key:" + key.public_multibase
    assert key.verification_method_id == f"{key.did}#{key.public_multibase}"
    sig = key.sign(b"payload")
    assert len(sig) == SIG_LEN[key.key_type]
    assert key.public_key.verify(sig, b"payload")
    assert not key.public_key.verify(sig, b"payloaD")
    assert not key.public_key.verify(sig[:-1], b"payload")
    assert not key.public_key.verify(b"", b"payload")
    assert not key.public_key.verify(bytes(len(sig)), b"payload")


def test_ecdsa_is_deterministic(key):
    # RFC 6979 (and Ed25519 by construction): the W3C vectors depend on it.
    assert key.sign(b"same") == key.sign(b"same")


def test_multikey_round_trip(key):
    again = KeyPair.from_multikey(key.to_multikey())
    assert again.public_key == key.public_key
    assert public_key_from_multibase(key.public_multibase) == key.public_key
    legacy = {"publicKeyMultibase": key.public_multibase, "privateKeyMultibase": key.to_multikey()["secretKeyMultibase"]}
    assert KeyPair.from_multikey(legacy).did == key.did


def test_multikey_mismatch_and_missing_secret():
    a, b = KeyPair.generate("Ed25519"), KeyPair.generate("Ed25519")
    mixed = {"publicKeyMultibase": b.public_multibase, "secretKeyMultibase": a.to_multikey()["secretKeyMultibase"]}
    with pytest.raises(KeyFileError) as e:
        KeyPair.from_multikey(mixed)
    assert e.value.code == "KEY_PAIR_MISMATCH"
    with pytest.raises(KeyFileError) as e:
        KeyPair.from_multikey({"publicKeyMultibase": a.public_multibase})
    assert e.value.code == "SECRET_KEY_MISSING"


@pytest.mark.parametrize("junk", ["", "zzzz", "z6MkNOTAKEY", "u" + "A" * 44, 17, None,
                                  mb.encode_multicodec(mb.ED25519_PUB, b"\1" * 31),
                                  mb.encode_multicodec(mb.P256_PUB, b"\5" + b"\1" * 32),
                                  mb.encode_multicodec(b"\xe7\x01", b"\2" * 33)])
def test_public_key_from_multibase_rejects_junk(junk):
    with pytest.raises(KeyFileError) as e:
        public_key_from_multibase(junk)
    assert e.value.code in ("INVALID_PUBLIC_KEY", "UNSUPPORTED_KEY_TYPE")


def test_unknown_key_type_is_programmer_error():
    with pytest.raises(ValueError):
        KeyPair.generate("RSA")


def test_repr_never_shows_secret(key):
    text = repr(key) + str(key)
    assert not any(s in text for s in _secret_strings(key))


# --- PEM and key files --------------------------------------------------------------------------
def test_pem_round_trip_encrypted(key):
    pem = key.to_pem(b"correct horse")
    assert b"ENCRYPTED PRIVATE KEY" in pem
    assert KeyPair.from_pem(pem, b"correct horse").public_key == key.public_key


def test_wrong_or_missing_passphrase(key):
    pem = key.to_pem(b"correct horse")
    with pytest.raises(PassphraseError) as e:
        KeyPair.from_pem(pem, b"battery staple")
    assert e.value.code == "WRONG_PASSPHRASE" and "passphrase" in str(e.value).lower()
    with pytest.raises(PassphraseError) as e:
        KeyPair.from_pem(pem, None)
    assert "ECVET_PASSPHRASE" in str(e.value)


def test_save_and_load_key_file(tmp_path, key):
    path = tmp_path / "issuer.pem"
    save_key_file(path, key, passphrase=b"pw-1")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_key_file(path, passphrase=b"pw-1").did == key.did
    assert [p.name for p in tmp_path.iterdir()] == ["issuer.pem"]  # no temp file left behind
    with pytest.raises(KeyFileError) as e:
        save_key_file(path, KeyPair.generate("Ed25519"), passphrase=b"pw-1")
    assert e.value.code == "KEY_FILE_EXISTS"
    assert load_key_file(path, passphrase=b"pw-1").did == key.did  # untouched
    other = KeyPair.generate(key.key_type)
    save_key_file(path, other, passphrase=b"pw-2", overwrite=True)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_key_file(path, passphrase=b"pw-2").did == other.did


def test_load_multikey_json_file(tmp_path, key):
    path = tmp_path / "k.json"
    path.write_text(json.dumps(key.to_multikey()))
    assert load_key_file(path).did == key.did


@pytest.mark.parametrize("content,code", [
    (b"not a key", "INVALID_KEY_FILE"),
    (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "INVALID_KEY_FILE"),
    (b"\x00\xff\xfe binary", "INVALID_KEY_FILE"),
    (b"[1, 2]", "INVALID_KEY_FILE"),
])
def test_load_junk_key_file(tmp_path, content, code):
    path = tmp_path / "junk"
    path.write_bytes(content)
    with pytest.raises(KeyFileError) as e:
        load_key_file(path, passphrase=b"x")
    assert e.value.code == code


def test_missing_key_file(tmp_path):
    with pytest.raises(KeyFileError) as e:
        load_key_file(tmp_path / "nope.pem")
    assert e.value.code == "KEY_FILE_NOT_FOUND"


def test_errors_never_contain_key_material(tmp_path, key):
    secrets = _secret_strings(key)
    pem = key.to_pem(b"pw")
    messages = []
    for call in (
        lambda: KeyPair.from_pem(pem, b"wrong"),
        lambda: KeyPair.from_pem(pem, None),
        lambda: KeyPair.from_multikey({"publicKeyMultibase": KeyPair.generate("Ed25519").public_multibase,
                                       "secretKeyMultibase": secrets[0]}),
        lambda: KeyPair.from_multikey({"secretKeyMultibase": secrets[0][:-3] + "0OI"}),
    ):
        with pytest.raises(KeyFileError) as e:
            call()
        messages.append(str(e.value) + repr(e.value.details))
    text = "\n".join(messages)
    assert not any(s in text for s in secrets) and "pw" not in text.split()


# --- passphrases --------------------------------------------------------------------------------
def test_passphrase_from_env(monkeypatch):
    monkeypatch.setenv("ECVET_PASSPHRASE", "s3cret")
    assert passphrase_from_env() == b"s3cret"
    monkeypatch.setenv("OTHER_PW", "x")
    assert passphrase_from_env("OTHER_PW") == b"x"


def test_passphrase_missing_non_interactive(monkeypatch):
    monkeypatch.delenv("ECVET_PASSPHRASE", raising=False)
    with pytest.raises(PassphraseError) as e:
        passphrase_from_env(interactive=False)
    assert "set ECVET_PASSPHRASE or pass --passphrase-env NAME" in str(e.value)


def test_passphrase_prompt(monkeypatch):
    monkeypatch.delenv("ECVET_PASSPHRASE", raising=False)
    answers = iter(["typed", "typed"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert passphrase_from_env(interactive=True, confirm=True) == b"typed"
    answers = iter(["one", "two"])
    with pytest.raises(PassphraseError):
        passphrase_from_env(interactive=True, confirm=True)
