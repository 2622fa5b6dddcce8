"""The learner key: a did:key (Ed25519) encrypted at rest in the wallet (learner.key, mode 0600),
with its public identity in holder.json (readable without the passphrase)."""
from __future__ import annotations

import json
from pathlib import Path

from ecvet_credentials.core.files import atomic_write_bytes
from ecvet_credentials.crypto.keys import KeyPair, load_key_file, save_key_file
from ecvet_credentials.wallet.store import Wallet, WalletError, load_wallet_json

KEY_FILE = "learner.key"
HOLDER_FILE = "holder.json"


def holder_did(wallet: Wallet) -> str | None:
    data = load_wallet_json(wallet.root / HOLDER_FILE)
    return data.get("did") if isinstance(data, dict) and isinstance(data.get("did"), str) else None


def init_key(wallet: Wallet, *, passphrase: bytes, import_from: Path | None = None,
             import_passphrase: bytes | None = None) -> KeyPair:
    """Create (or import) the learner key. WalletError if the wallet already has one."""
    path = wallet.root / KEY_FILE
    if path.exists():
        raise WalletError(f"the wallet already has a learner key ({holder_did(wallet) or path}); "
                          "one wallet holds one learner identity.", code="KEY_EXISTS")
    if import_from is not None:
        key = load_key_file(import_from, passphrase=import_passphrase or passphrase)
        if key.key_type != "Ed25519":
            raise WalletError(f"{import_from} is a {key.key_type} key; a learner key is Ed25519.", code="KEY_TYPE")
    else:
        key = KeyPair.generate("Ed25519")
    wallet.root.mkdir(parents=True, exist_ok=True, mode=0o700)
    save_key_file(path, key, passphrase=passphrase)  # encrypted PEM, 0600, never overwrites
    atomic_write_bytes(wallet.root / HOLDER_FILE, (json.dumps(
        {"did": key.did, "verificationMethod": key.verification_method_id, "keyType": key.key_type}, indent=2) + "\n").encode(),
        mode=0o600)
    return key


def load_key(wallet: Wallet, *, passphrase: bytes) -> KeyPair:
    path = wallet.root / KEY_FILE
    if not path.exists():
        raise WalletError("the wallet has no learner key yet: run `ecvet wallet init` (or `--import-key FILE`).",
                          code="NO_KEY")
    return load_key_file(path, passphrase=passphrase)
