"""The demo journey (bootstrap version: sign and verify a sample credential)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from .fileutil import atomic_write_text


def run_demo(out: Path, *, echo: Callable[[str], None] = print) -> bool:
    from .keys import KeyPair
    from .proofs import sign
    from .verify import verify_credential
    from .verify.render_text import render_text

    out.mkdir(parents=True, exist_ok=True)
    key = KeyPair.generate("Ed25519")
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:0b9b2b5e-7f41-4c2b-9f0c-1d2f3e4a5b6c",
        "type": ["VerifiableCredential"],
        "issuer": {"id": key.did, "name": "Example VET school"},
        "validFrom": "2026-06-30T00:00:00Z",
        "name": "Sample credential",
        "credentialSubject": {"id": "urn:uuid:5f0e0e6e-1f7b-4b7e-8a52-3c0f64e9a1d2", "name": "Sample learner"},
    }
    echo("1. Signing a sample credential with a fresh Ed25519 did:key (eddsa-rdfc-2022)")
    signed = sign(credential, key)
    path = out / "signed-sample.json"
    atomic_write_text(path, json.dumps(signed, indent=2) + "\n")
    echo(f"   wrote {path}")
    echo("2. Verifying it")
    report = verify_credential(signed)
    echo(render_text(report))
    return report.verified
