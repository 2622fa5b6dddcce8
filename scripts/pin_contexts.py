"""Write contexts/index.json: each bundled context URL -> file and SHA-256.

Run after adding a context file (never edit a released one: add a new version).
`python scripts/pin_contexts.py --check` fails if a pinned file changed.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "contexts"

# URL -> (file under contexts/, note). The note says why it is bundled.
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": ("w3c/credentials-v2.jsonld", "VC Data Model 2.0"),
    "https://www.w3.org/2018/credentials/v1": ("w3c/credentials-v1.jsonld", "VC Data Model 1.1 (reading old credentials)"),
    "https://w3id.org/security/data-integrity/v2": ("w3c/data-integrity-v2.jsonld", "Data Integrity proofs"),
    "https://w3id.org/security/data-integrity/v1": ("w3c/data-integrity-v1.jsonld", "Data Integrity proofs (v1)"),
    "https://w3id.org/security/multikey/v1": ("w3c/multikey-v1.jsonld", "Multikey verification methods"),
    "https://w3id.org/security/jwk/v1": ("w3c/jwk-v1.jsonld", "JsonWebKey verification methods"),
    "https://www.w3.org/ns/did/v1": ("w3c/did-v1.jsonld", "DID documents"),
    "https://www.w3.org/ns/credentials/status/v1": ("w3c/status-list-v1.jsonld", "Bitstring Status List"),
    "https://w3id.org/security/suites/ed25519-2020/v1": ("w3c/ed25519-2020-v1.jsonld", "legacy Ed25519Signature2020 documents"),
    # Example vocabularies: only for the W3C test vectors and interop suites.
    "https://www.w3.org/ns/credentials/examples/v2": ("w3c/credentials-examples-v2.jsonld", "W3C examples (test vectors only; has @vocab)"),
    "https://www.w3.org/2018/credentials/examples/v1": ("w3c/credentials-examples-v1.jsonld", "W3C examples v1 (test vectors only)"),
    "https://www.w3.org/ns/credentials/undefined-terms/v2": ("w3c/credentials-undefined-terms-v2.jsonld", "W3C undefined-terms (test suites only)"),
    "https://w3id.org/citizenship/v4rc1": ("w3c/citizenship-v4rc1.jsonld", "W3C CCG citizenship vocabulary (EAD test vectors only)"),
}


def build() -> dict:
    entries = {}
    extra = ROOT / "ecvet"
    contexts = dict(CONTEXTS)
    # Project contexts: contexts/ecvet/vN.jsonld served at https://w3id.org/ecvet/vN (see ecvet/README).
    if extra.is_dir():
        for path in sorted(extra.glob("v*.jsonld")):
            url = f"https://w3id.org/ecvet-credentials/{path.stem}"
            contexts[url] = (f"ecvet/{path.name}", "ecvet-credentials project context")
    for url, (rel, note) in contexts.items():
        data = (ROOT / rel).read_bytes()
        json.loads(data)  # must be JSON
        entries[url] = {"file": rel, "sha256": hashlib.sha256(data).hexdigest(), "note": note}
    return {"version": 1, "contexts": entries}


def main() -> int:
    index = build()
    target = ROOT / "index.json"
    text = json.dumps(index, indent=2) + "\n"
    if "--check" in sys.argv:
        old = json.loads(target.read_text())
        for url, entry in old["contexts"].items():
            now = index["contexts"].get(url)
            if now is None or now["sha256"] != entry["sha256"]:
                print(f"pinned context changed or missing: {url}", file=sys.stderr)
                return 1
        return 0
    target.write_text(text)
    print(f"wrote {target} ({len(index['contexts'])} contexts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
