"""The learner's e-portfolio: a directory of verified credentials, a learner key, presentations.

    wallet = Wallet.open(home)                       # <home>/wallet/
    entry, created = wallet.add(credential, report)   # report: VerificationReport.to_json()
    for entry in wallet.entries(): ...
"""
from ecvet_credentials.wallet.store import CredentialRefused, Wallet, WalletError, credential_digest

__all__ = ["CredentialRefused", "Wallet", "WalletError", "credential_digest"]
