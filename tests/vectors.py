"""Locate the W3C Data Integrity vectors (vc-di-eddsa, vc-di-ecdsa) under ../shared/vectors."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# (suite folder relative to vectors/, key pair file relative to the TestVectors dir, cryptosuite)
SUITES = [
    ("vc-di-eddsa/TestVectors/eddsa-rdfc-2022", "keyPair.json", "eddsa-rdfc-2022"),
    ("vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ", "keyPair.json", "eddsa-rdfc-2022"),
    ("vc-di-eddsa/TestVectors/eddsa-jcs-2022", "keyPair.json", "eddsa-jcs-2022"),
    ("vc-di-ecdsa/TestVectors/ecdsa-rdfc-2019-p256", "p256KeyPair.json", "ecdsa-rdfc-2019"),
    ("vc-di-ecdsa/TestVectors/ecdsa-rdfc-2019-p256/employ", "p256KeyPair.json", "ecdsa-rdfc-2019"),
    ("vc-di-ecdsa/TestVectors/ecdsa-rdfc-2019-p384", "p384KeyPair.json", "ecdsa-rdfc-2019"),
    ("vc-di-ecdsa/TestVectors/ecdsa-rdfc-2019-p384/employ", "p384KeyPair.json", "ecdsa-rdfc-2019"),
    ("vc-di-ecdsa/TestVectors/ecdsa-jcs-2019-p256", "p256KeyPair.json", "ecdsa-jcs-2019"),
    ("vc-di-ecdsa/TestVectors/ecdsa-jcs-2019-p384", "p384KeyPair.json", "ecdsa-jcs-2019"),
]
SUITE_IDS = [s[0].split("TestVectors/")[1] for s in SUITES]


@dataclass
class VectorCase:
    folder: Path
    key_file: Path
    cryptosuite: str
    unsigned: Path
    signed: Path
    proof_config: Path

    def one(self, prefix: str) -> Path:
        matches = sorted(self.folder.glob(f"{prefix}*"))
        assert len(matches) == 1, (self.folder, prefix, matches)
        return matches[0]


def vector_case(shared: Path, index: int) -> VectorCase:
    rel, key_name, suite = SUITES[index]
    folder = shared / "vectors" / rel
    root = folder.parent.parent if folder.name == "employ" else folder.parent
    unsigned = root / ("employmentAuth.json" if folder.name == "employ" else "unsigned.json")
    signed = next(folder.glob("signed*.json"))
    proof_config = next(folder.glob("proofConfig*.json"))
    return VectorCase(folder, root / key_name, suite, unsigned, signed, proof_config)
