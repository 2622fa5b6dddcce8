"""Makes acapy-eddsa-jcs-2022.json the way ACA-Py's eddsa-jcs-2022 signer does (aries_cloudagent
vc/data_integrity/cryptosuites/eddsa_jcs_2022.py): the proof configuration is the proof options
exactly (type, cryptosuite, verificationMethod, proofPurpose, created; no @context added), and the
signature is Ed25519 over sha256(JCS(proof configuration)) || sha256(JCS(document without proof)).

Independent of ecvet_credentials' proof engine (only rfc8785, hashlib and cryptography). Run once:
    python tests/data/interop/make_acapy_jcs.py > tests/data/interop/acapy-eddsa-jcs-2022.json
"""
import hashlib
import json

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58(data: bytes) -> str:
    n, out = int.from_bytes(data, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def make() -> dict:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # a fixed test seed, not a secret
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    multikey = "z" + b58(b"\xed\x01" + public)
    did = "did:key:" + multikey
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "name": "Alumni Credential",
        "issuer": did,
        "validFrom": "2023-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    }
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
               "verificationMethod": f"{did}#{multikey}", "proofPurpose": "assertionMethod",
               "created": "2024-05-01T12:00:00Z"}
    to_sign = hashlib.sha256(rfc8785.dumps(options)).digest() + hashlib.sha256(rfc8785.dumps(document)).digest()
    return {**document, "proof": {**options, "proofValue": "z" + b58(key.sign(to_sign))}}


if __name__ == "__main__":
    print(json.dumps(make(), indent=2))
