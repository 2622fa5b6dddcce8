"""Data Integrity proofs (hazmat layer): `sign` adds a proof, `verify_proofs` checks every proof.

Most callers want the verification pipeline (ecvet_credentials.verify), which also checks issuer
binding, trust, dates and status; a valid proof alone only says who signed what.
"""
from ecvet_credentials.proofs.engine import (
    PROOF_TYPE,
    ProofResult,
    ProofSetResult,
    VerifyData,
    create_verify_data,
    sign,
    verify_proofs,
)
from ecvet_credentials.proofs.purposes import PURPOSES
from ecvet_credentials.proofs.suites import CRYPTOSUITES, SUITES, Cryptosuite

__all__ = ["CRYPTOSUITES", "PROOF_TYPE", "PURPOSES", "SUITES", "Cryptosuite", "ProofResult", "ProofSetResult",
           "VerifyData", "create_verify_data", "sign", "verify_proofs"]
