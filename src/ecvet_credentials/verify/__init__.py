"""Verification: checks in DESIGN order, returning a report (never raising for a bad credential)."""
from ecvet_credentials.verify.pipeline import verify_credential
from ecvet_credentials.verify.report import CHECK_ORDER, CheckResult, Outcome, VerificationReport

__all__ = ["verify_credential", "VerificationReport", "CheckResult", "Outcome", "CHECK_ORDER"]
