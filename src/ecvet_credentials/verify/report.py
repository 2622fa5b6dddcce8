"""The verification report (DESIGN section 4).

Each check has a stable id, an outcome, a stable code and a plain message that says what to do.
`verified` is true only when every required check passed (or passed with a warning):
"could not check" (not_checked) on a required check is never a pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Verdict(str, Enum):
    """One verdict, said the same way everywhere (DESIGN section 4)."""
    VERIFIED = "verified"                            # every required check passed, issuer recognised
    ISSUER_NOT_RECOGNISED = "issuer_not_recognised"  # genuine signature, nobody the verifier trusts vouches
    COULD_NOT_CHECK = "could_not_check"              # something required could not be checked (amber)
    NOT_VERIFIED = "not_verified"                    # a check failed (red)


class Outcome(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    NOT_CHECKED = "not_checked"


# Stable check ids, in the order they run.
CHECK_ORDER = (
    "input",             # parse and limits
    "contexts",          # only bundled, pinned contexts; strict JSON-LD (no undefined terms)
    "schema",            # JSON Schema for the credential type
    "proof",             # every Data Integrity proof
    "issuer-binding",    # verification method controller = issuer
    "issuer-trusted",    # trust registry, MoU partner
    "validity-period",   # validFrom / validUntil with clock skew
    "status",            # revocation / suspension, list[Any] freshness
    "ecvet-consistency", # points add up, dates inside the mobility, grades on a scheme
    "agreement-match",   # PT vs LA
    "holder-binding",    # presentations: challenge, domain, holder = subject
)


@dataclass
class CheckResult:
    id: str
    outcome: Outcome
    code: str
    message: str
    required: bool = True
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "outcome": self.outcome.value,
            "code": self.code,
            "message": self.message,
        }
        if not self.required:
            out["required"] = False
        if self.details:
            out["details"] = self.details
        return out


@dataclass
class VerificationReport:
    checks: list[CheckResult] = field(default_factory=list)
    document: dict[str, Any] = field(default_factory=dict)  # id, type, issuer when readable
    extra: dict[str, Any] = field(default_factory=dict)      # e.g. per-proof results, nested reports

    def add(self, check: CheckResult) -> CheckResult:
        self.checks.append(check)
        return check

    def passed(self, id: str, message: str, *, code: str = "OK", **details: Any) -> CheckResult:
        return self.add(CheckResult(id, Outcome.PASSED, code, message, details=details))

    def failed(self, id: str, code: str, message: str, **details: Any) -> CheckResult:
        return self.add(CheckResult(id, Outcome.FAILED, code, message, details=details))

    def warning(self, id: str, code: str, message: str, **details: Any) -> CheckResult:
        return self.add(CheckResult(id, Outcome.WARNING, code, message, details=details))

    def not_checked(self, id: str, code: str, message: str, *, required: bool = True, **details: Any) -> CheckResult:
        return self.add(CheckResult(id, Outcome.NOT_CHECKED, code, message, required=required, details=details))

    def get(self, id: str) -> CheckResult | None:
        return next((c for c in self.checks if c.id == id), None)

    @property
    def verified(self) -> bool:
        required = [c for c in self.checks if c.required]
        return bool(required) and all(c.outcome in (Outcome.PASSED, Outcome.WARNING) for c in required)

    @property
    def verdict(self) -> Verdict:
        """The one verdict. A failed check other than issuer-trusted is NOT_VERIFIED; then a required
        issuer-trusted that did not pass, with the signature genuine, is ISSUER_NOT_RECOGNISED (a forger's
        valid signature lands here, never on VERIFIED); then any required not_checked is COULD_NOT_CHECK."""
        required = [c for c in self.checks if c.required]
        if not required:
            return Verdict.COULD_NOT_CHECK
        if any(c.outcome is Outcome.FAILED and c.id != "issuer-trusted" for c in required):
            return Verdict.NOT_VERIFIED
        trusted = self.get("issuer-trusted")
        if trusted is not None and trusted.required and trusted.outcome not in (Outcome.PASSED, Outcome.WARNING):
            proof = self.get("proof")
            if trusted.outcome is Outcome.FAILED or (proof is not None and proof.outcome is Outcome.PASSED):
                return Verdict.ISSUER_NOT_RECOGNISED
        if any(c.outcome is Outcome.NOT_CHECKED for c in required):
            return Verdict.COULD_NOT_CHECK
        return Verdict.VERIFIED if self.verified else Verdict.NOT_VERIFIED

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if c.required and c.outcome not in (Outcome.PASSED, Outcome.WARNING)]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "VerificationReport":
        """The report back from its `to_json()` form (as the wallet stores it); `verified` is recomputed."""
        checks = [CheckResult(c["id"], Outcome(c["outcome"]), c.get("code", ""), c.get("message", ""),
                              required=c.get("required", True), details=dict(c.get("details") or {}))
                  for c in data.get("checks", [])]
        extra = {k: v for k, v in data.items() if k not in ("verified", "verdict", "checks", "document")}
        return cls(checks=checks, document=dict(data.get("document") or {}), extra=extra)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"verified": self.verified, "verdict": self.verdict.value, "checks": [c.to_json() for c in self.checks]}
        if self.document:
            out["document"] = self.document
        out.update(self.extra)
        return out
