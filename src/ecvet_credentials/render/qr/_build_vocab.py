"""Developer tool: (re)generate a built-in dictionary source file, e.g. `vocab-v1.json`.

Run once per dictionary version:  python -m ecvet_credentials.render.qr._build_vocab 2 > vocab-v2.json
A released vocab-vN.json is never regenerated or edited: QR codes already printed name it by version,
and `dictionaries.py` pins its SHA-256. The runtime only reads the JSON file, never this script
(whose output depends on the model builders and the test samples of the day).

Fragments, in order (DEFLATE prefers near distances, so the most frequent material goes last):
1. JSON keys and values of the VC 2.0 / Data Integrity / status vocabulary, cryptosuite names, DID prefixes;
2. every term of the bundled contexts' @context of our ECVET context, as `"term":`;
3. skeletons of the three ECVET credentials (LA, Recognition, Transcript) built by the model builders from
   `tests/model_samples.py`, with instance data blanked out and lists cut to one item;
4. a Data Integrity proof skeleton.

v2 (context v2 documents): the terms of `contexts/ecvet/v2.jsonld`; after them the concept IRIs the model
writes (outcome kinds, assessment methods, activity types, grade status, EQF levels); and before the
three skeletons, those of the MoU (`examples/mou.yaml`) and of the manual's full transcript
(`tests/data/templates/transcript.yaml`: assessment sheet, further assessments, signatories, enclosures).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

_UUID = re.compile(r"urn:uuid:[0-9a-f-]{36}")

VC_KEYS = ["@context", "id", "type", "issuer", "validFrom", "validUntil", "name", "description",
           "credentialSubject", "credentialStatus", "credentialSchema", "evidence", "termsOfUse", "refreshService",
           "statusPurpose", "statusListIndex", "statusListCredential", "statusSize", "proof", "cryptosuite",
           "created", "expires", "verificationMethod", "proofPurpose", "proofValue", "challenge", "domain",
           "previousProof", "nonce", "holder", "verifiableCredential", "encodedList", "ttl"]
VC_VALUES = ["VerifiableCredential", "VerifiablePresentation", "DataIntegrityProof", "BitstringStatusListEntry",
             "BitstringStatusListCredential", "BitstringStatusList", "JsonSchema", "revocation", "suspension",
             "assertionMethod", "authentication", "eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019",
             "ecdsa-jcs-2019", "did:web:", "did:key:zDn", "did:key:z82L", "did:key:z6Mk"]


# v2 keeps only vocabulary IRIs (v1 also kept the samples' other URLs, such as example homepages)
VOCAB_IRIS = ("https://www.w3.org/", "https://w3id.org/", "http://data.europa.eu/", "http://publications.europa.eu/")


def _blank(value, key=None, iris=("http://", "https://")):
    """Keep vocabulary (types, IRIs, structure); drop instance data (names, texts, dates, uuids)."""
    if isinstance(value, dict):
        return {k: _blank(v, k, iris) for k, v in value.items()}
    if isinstance(value, list):
        items = value[:1] if value and isinstance(value[0], dict) else value
        return [_blank(v, key, iris) for v in items]
    if isinstance(value, str):
        if key in ("type", "@context") or value.startswith(iris):
            return value
        if value.startswith("urn:uuid:"):
            return _UUID.sub("urn:uuid:", value)
        if value.startswith("did:key:"):
            return "did:key:z6Mk"
        return ""
    return value


def fragments(version: int = 1) -> list[str]:
    root = Path(__file__).resolve().parents[4]
    sys.path.insert(0, str(root / "tests"))
    import model_samples as m  # type: ignore[import-not-found]  # noqa: E402  (dev tool: tests/ is put on sys.path above)

    from ecvet_credentials.model import (
        build_agreement_credential,
        build_recognition_credential,
        build_transcript_credential,
    )

    out = [json.dumps(u) for u in sorted(json.loads((root / "contexts/index.json").read_text())["contexts"])]
    out += [json.dumps(v) for v in VC_VALUES] + ['"%s":' % k for k in VC_KEYS]
    ours = json.loads((root / f"contexts/ecvet/v{min(version, 2)}.jsonld").read_text())["@context"]
    out += ['"%s":' % t for t in ours if not t.startswith("@")]
    cid = "urn:uuid:00000000-0000-4000-8000-000000000000"
    docs = [build_agreement_credential(m.la, credential_id=cid), build_recognition_credential(m.rec, credential_id=cid),
            build_transcript_credential(m.pt, credential_id=cid)]
    if version >= 2:
        from ecvet_credentials.ecvet.authoring.documents import load
        from ecvet_credentials.model import build_mou_credential
        from ecvet_credentials.model import concepts as c

        concept_iris = (list(c.OUTCOME_KINDS.values()) + list(c.ASSESSMENT_METHODS.values()) + list(c.ACTIVITY_TYPES.values())
                + [c.GRADE_PASSED, c.GRADE_NOT_ACHIEVED] + [c.EQF_PREFIX + str(i) for i in range(1, 9)])
        out += [json.dumps(v) for v in concept_iris]
        mou: Any = load(root / "examples/mou.yaml").model
        full: Any = load(root / "tests/data/templates/transcript.yaml").model
        docs[2:2] = [build_mou_credential(mou, credential_id=cid), build_transcript_credential(full, credential_id=cid)]
        docs.insert(0, docs.pop(2))  # MoU first (rarest), then LA, Recognition, full transcript, plain transcript
    iris = VOCAB_IRIS if version >= 2 else ("http://", "https://")
    out += [json.dumps(_blank(d, iris=iris), separators=(",", ":"), ensure_ascii=False) for d in docs]
    out.append('"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","created":"",'
               '"verificationMethod":"did:key:z6Mk#z6Mk","proofPurpose":"assertionMethod","proofValue":"z')
    return out


if __name__ == "__main__":
    version = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    doc = {"version": version, "note": "ECVET QR built-in DEFLATE dictionary; frozen once released; "
                                       "dictionary bytes = UTF-8 of the fragments joined with no separator",
           "fragments": fragments(version)}
    print(json.dumps(doc, indent=0, ensure_ascii=False))
