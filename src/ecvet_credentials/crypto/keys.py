"""Key pairs (Ed25519, P-256, P-384), Multikey encoding and encrypted key files.

Private keys at rest are PKCS#8 PEM encrypted with a passphrase, written with mode 0600. No message,
repr or exception built here ever contains private key bytes or the passphrase.
"""
from __future__ import annotations

import functools
import getpass
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from ecvet_credentials.core import multibase as mb
from ecvet_credentials.core.errors import KeyFileError, PassphraseError
from ecvet_credentials.i18n import _

KEY_TYPES = ("Ed25519", "P-256", "P-384")

# key_type -> (public header, private header, curve or None, hash or None, scalar/coordinate size)
# key type -> (public multicodec header, private header, curve class, hash class, size): curve and hash are
# None for Ed25519, whose code paths never read them.
_SPEC: dict[str, tuple[bytes, bytes, Any, Any, int]] = {
    "Ed25519": (mb.ED25519_PUB, mb.ED25519_PRIV, None, None, 32),
    "P-256": (mb.P256_PUB, mb.P256_PRIV, ec.SECP256R1, hashes.SHA256, 32),
    "P-384": (mb.P384_PUB, mb.P384_PRIV, ec.SECP384R1, hashes.SHA384, 48),
}
_BY_PUB_HEADER = {spec[0]: kt for kt, spec in _SPEC.items()}
_BY_PRIV_HEADER = {spec[1]: kt for kt, spec in _SPEC.items()}
_MAX_KEY_FILE_BYTES = 64 * 1024
_KEY_FILE_HINT = "expected an encrypted PEM written by `ecvet keys generate` or a Multikey pair JSON"


def _check_type(key_type: str) -> None:
    if key_type not in _SPEC:
        raise ValueError(f"'key_type' must be one of {KEY_TYPES}, not {key_type!r}")


class PublicKey:
    """A public key with its Multikey encoding. `verify` never raises for a bad signature."""

    __slots__ = ("key_type", "raw", "multibase", "_key")

    def __init__(self, key_type: str, key) -> None:
        _check_type(key_type)
        self.key_type = key_type
        self._key = key
        if key_type == "Ed25519":
            self.raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        else:
            self.raw = key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
        self.multibase = mb.encode_multicodec(_SPEC[key_type][0], self.raw)

    @property
    def did(self) -> str:
        return "did:key:" + self.multibase

    @property
    def hash_algorithm(self) -> str:
        """Hash used by Data Integrity suites with this key ('sha384' only for P-384)."""
        return "sha384" if self.key_type == "P-384" else "sha256"

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            if self.key_type == "Ed25519":
                self._key.verify(signature, data)
                return True
            size = _SPEC[self.key_type][4]
            if len(signature) != 2 * size:  # raw r||s only; DER is not accepted
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            self._key.verify(encode_dss_signature(r, s), data, ec.ECDSA(_SPEC[self.key_type][3]()))
            return True
        except (InvalidSignature, ValueError):
            return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and other.multibase == self.multibase

    def __hash__(self) -> int:
        return hash(self.multibase)

    def __repr__(self) -> str:
        return f"PublicKey({self.key_type}, {self.multibase})"


def public_key_from_multibase(value: str) -> PublicKey:
    """Parse a Multikey `publicKeyMultibase` (z6Mk.., zDna.., z82L..). KeyFileError for junk."""
    if isinstance(value, str) and len(value) <= 128:  # every Multikey we read is ~50-70 characters
        return _known_public_key(value)
    return _parse_public_key(value)


@functools.lru_cache(maxsize=1024)
def _known_public_key(value: str) -> PublicKey:
    """Verifying many credentials of few issuers decodes each key once (PublicKey is never changed);
    errors are raised again each time (lru_cache keeps only results)."""
    return _parse_public_key(value)


def _parse_public_key(value) -> PublicKey:
    try:
        header, raw = mb.decode_multicodec(value)
    except ValueError as e:
        raise KeyFileError(f"Invalid public key multibase: {e}.", code="INVALID_PUBLIC_KEY") from None
    key_type = _BY_PUB_HEADER.get(header)
    if key_type is None:
        raise KeyFileError(
            "Unsupported public key type (multicodec header is not Ed25519, P-256 or P-384).",
            code="UNSUPPORTED_KEY_TYPE",
        )
    key: ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey
    try:
        if key_type == "Ed25519":
            if len(raw) != 32:
                raise ValueError("wrong length")
            key = ed25519.Ed25519PublicKey.from_public_bytes(raw)
        else:
            if len(raw) != _SPEC[key_type][4] + 1:  # compressed point only, as Multikey requires
                raise ValueError("not a compressed point")
            key = ec.EllipticCurvePublicKey.from_encoded_point(_SPEC[key_type][2](), raw)
    except ValueError:
        raise KeyFileError(f"Invalid {key_type} public key bytes.", code="INVALID_PUBLIC_KEY") from None
    return PublicKey(key_type, key)


class KeyPair:
    """A private key and its public Multikey / did:key identity."""

    __slots__ = ("key_type", "_private", "public_key")

    def __init__(self, key_type: str, private_key) -> None:
        _check_type(key_type)
        self.key_type = key_type
        self._private = private_key
        self.public_key = PublicKey(key_type, private_key.public_key())

    # --- identity ------------------------------------------------------------------------------
    @property
    def public_multibase(self) -> str:
        return self.public_key.multibase

    @property
    def did(self) -> str:
        return self.public_key.did

    @property
    def verification_method_id(self) -> str:
        return f"{self.did}#{self.public_multibase}"

    def __repr__(self) -> str:  # never the private key
        return f"KeyPair({self.key_type}, {self.did})"

    # --- signing -------------------------------------------------------------------------------
    def sign(self, data: bytes) -> bytes:
        """Ed25519 signature, or deterministic (RFC 6979) ECDSA as raw r||s over hash(data)."""
        if self.key_type == "Ed25519":
            return self._private.sign(data)
        _, _, _, hash_cls, size = _SPEC[self.key_type]
        der = self._private.sign(data, ec.ECDSA(hash_cls(), deterministic_signing=True))
        r, s = decode_dss_signature(der)
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    # --- construction --------------------------------------------------------------------------
    @classmethod
    def generate(cls, key_type: str) -> KeyPair:
        _check_type(key_type)
        if key_type == "Ed25519":
            return cls(key_type, ed25519.Ed25519PrivateKey.generate())
        return cls(key_type, ec.generate_private_key(_SPEC[key_type][2]()))

    @classmethod
    def from_private_bytes(cls, key_type: str, raw: bytes) -> KeyPair:
        """From a raw Ed25519 seed or EC scalar (big-endian). KeyFileError if unusable."""
        _check_type(key_type)
        size = _SPEC[key_type][4]
        try:
            if len(raw) != size:
                raise ValueError("wrong length")
            if key_type == "Ed25519":
                return cls(key_type, ed25519.Ed25519PrivateKey.from_private_bytes(raw))
            return cls(key_type, ec.derive_private_key(int.from_bytes(raw, "big"), _SPEC[key_type][2]()))
        except ValueError:
            raise KeyFileError(f"Invalid {key_type} secret key bytes.", code="INVALID_SECRET_KEY") from None

    @classmethod
    def from_multikey(cls, obj: dict) -> KeyPair:
        """From W3C vector JSON: publicKeyMultibase + secretKeyMultibase (or privateKeyMultibase)."""
        if not isinstance(obj, dict):
            raise KeyFileError("Multikey pair must be a JSON object.", code="INVALID_KEY_FILE")
        secret = obj.get("secretKeyMultibase", obj.get("privateKeyMultibase"))
        if not isinstance(secret, str):
            raise KeyFileError(
                "Multikey JSON has no secretKeyMultibase/privateKeyMultibase: a public key cannot sign.",
                code="SECRET_KEY_MISSING",
            )
        try:
            header, raw = mb.decode_multicodec(secret)
        except ValueError:
            raise KeyFileError("secretKeyMultibase is not a valid multibase value.", code="INVALID_SECRET_KEY") from None
        key_type = _BY_PRIV_HEADER.get(header)
        if key_type is None:
            raise KeyFileError(
                "Unsupported secret key type (multicodec header is not Ed25519, P-256 or P-384).",
                code="UNSUPPORTED_KEY_TYPE",
            )
        pair = cls.from_private_bytes(key_type, raw)
        public = obj.get("publicKeyMultibase")
        if public is not None and public != pair.public_multibase:
            # A mismatched pair would sign under someone else's identifier.
            raise KeyFileError(
                "publicKeyMultibase does not match the secret key in this Multikey pair.", code="KEY_PAIR_MISMATCH"
            )
        return pair

    def to_multikey(self) -> dict:
        """Multikey pair JSON (UNENCRYPTED secret: for tests and example keys only)."""
        return {"publicKeyMultibase": self.public_multibase, "secretKeyMultibase": mb.encode_multicodec(
            _SPEC[self.key_type][1], self._private_bytes())}

    def _private_bytes(self) -> bytes:
        if self.key_type == "Ed25519":
            return self._private.private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
        return self._private.private_numbers().private_value.to_bytes(_SPEC[self.key_type][4], "big")

    # --- PEM -----------------------------------------------------------------------------------
    def to_pem(self, passphrase: bytes) -> bytes:
        """PKCS#8 PEM encrypted with `passphrase` (cryptography's BestAvailableEncryption)."""
        if not isinstance(passphrase, bytes):
            raise TypeError("'passphrase' must be bytes")
        if not passphrase:
            raise PassphraseError("The passphrase is empty; choose a non-empty passphrase.", code="PASSPHRASE_EMPTY")
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )

    @classmethod
    def from_pem(cls, data: bytes, passphrase: bytes | None) -> KeyPair:
        encrypted = b"ENCRYPTED" in data  # PKCS#8 "ENCRYPTED PRIVATE KEY" or legacy "Proc-Type: 4,ENCRYPTED"
        if encrypted and not passphrase:
            raise PassphraseError(
                "The key file is encrypted and no passphrase was given: set ECVET_PASSPHRASE or pass "
                "--passphrase-env NAME.",
                code="PASSPHRASE_REQUIRED",
            )
        try:
            key = serialization.load_pem_private_key(data, password=passphrase if encrypted else None)
        except ValueError as e:
            if encrypted and ("decrypt" in str(e).lower() or "password" in str(e).lower()):
                raise PassphraseError(
                    "Wrong passphrase for this key file (or the file is corrupted).", code="WRONG_PASSPHRASE"
                ) from None
            raise KeyFileError(f"Not a readable private key PEM; {_KEY_FILE_HINT}.", code="INVALID_KEY_FILE") from None
        except (TypeError, UnsupportedAlgorithm):
            raise KeyFileError(f"Not a readable private key PEM; {_KEY_FILE_HINT}.", code="INVALID_KEY_FILE") from None
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return cls("Ed25519", key)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            for kt in ("P-256", "P-384"):
                if isinstance(key.curve, _SPEC[kt][2]):
                    return cls(kt, key)
        raise KeyFileError(
            f"Unsupported private key type in PEM; supported: {', '.join(KEY_TYPES)}.", code="UNSUPPORTED_KEY_TYPE"
        )


# --- key files ------------------------------------------------------------------------------------
def save_key_file(path, key: KeyPair, *, passphrase: bytes, overwrite: bool = False) -> None:
    """Write `key` as encrypted PEM, mode 0600, atomically; refuse to replace a file unless `overwrite`."""
    path = Path(path)
    pem = key.to_pem(passphrase)
    if path.exists() and not overwrite:
        raise KeyFileError(f"Key file {path} already exists; refusing to overwrite it.", code="KEY_FILE_EXISTS")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".key-", suffix=".tmp", dir=path.parent)  # mkstemp: mode 0600
    except OSError as e:
        raise KeyFileError(f"Cannot write key file {path}: {e.strerror}.", code="KEY_FILE_UNWRITABLE") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if `path` appeared meanwhile: no silent replacement
            except FileExistsError:
                raise KeyFileError(
                    f"Key file {path} already exists; refusing to overwrite it.", code="KEY_FILE_EXISTS"
                ) from None
            except OSError:  # filesystem without hard links
                fd2 = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd2, "wb") as f:
                    f.write(pem)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_key_file_bytes(path) -> bytes:
    """The bytes of a key file through the one bounded read (never a FIFO or a device)."""
    from ecvet_credentials.core.files import read_bounded

    try:
        return read_bounded(path, max_bytes=_MAX_KEY_FILE_BYTES, source=_("Key file {path}").format(path=path), error=KeyFileError)
    except KeyFileError as e:
        code = {"FILE_NOT_FOUND": "KEY_FILE_NOT_FOUND", "LIMIT_EXCEEDED": "INVALID_KEY_FILE"}.get(e.code, "KEY_FILE_UNREADABLE")
        hint = f"; {_KEY_FILE_HINT}" if code == "INVALID_KEY_FILE" else ""
        raise KeyFileError(f"{e}{hint}", code=code) from None


def load_key_file(path, *, passphrase: bytes | None = None) -> KeyPair:
    """Load an encrypted PEM (from `save_key_file`) or a Multikey pair JSON (W3C vector style)."""
    path = Path(path)
    data = read_key_file_bytes(path)
    if data.lstrip().startswith(b"-----BEGIN"):
        return KeyPair.from_pem(data, passphrase)
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.jsonld.limits import parse_json

    try:
        obj = parse_json(data, source=_("Key file {path}").format(path=path))
    except InputError:
        raise KeyFileError(f"Key file {path} is neither PEM nor JSON; {_KEY_FILE_HINT}.", code="INVALID_KEY_FILE") from None
    return KeyPair.from_multikey(obj)


def passphrase_from_env(env_name: str = "ECVET_PASSPHRASE", *, interactive: bool | None = None,
                        confirm: bool = False) -> bytes:
    """The passphrase from `env_name`, else a prompt on a TTY, else PassphraseError.

    `confirm=True` asks twice when prompting (use it when creating a key).
    """
    value = os.environ.get(env_name)
    if value:
        return value.encode("utf-8")
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    if not interactive:
        hint = "set ECVET_PASSPHRASE or pass --passphrase-env NAME"
        if env_name != "ECVET_PASSPHRASE":
            hint = f"set {env_name} (named by --passphrase-env) or ECVET_PASSPHRASE"
        raise PassphraseError(f"No key passphrase available: {hint}.", code="PASSPHRASE_REQUIRED")
    first = getpass.getpass("Key passphrase: ")
    if not first:
        raise PassphraseError("The passphrase is empty; choose a non-empty passphrase.", code="PASSPHRASE_EMPTY")
    if confirm and getpass.getpass("Repeat passphrase: ") != first:
        raise PassphraseError("The two passphrases differ; try again.", code="PASSPHRASE_MISMATCH")
    return first.encode("utf-8")
