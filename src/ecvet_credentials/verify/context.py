"""What a verification run knows: the document, the caller's options, and results shared between checks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from ecvet_credentials.verify.report import CHECK_ORDER

DEFAULT_CLOCK_SKEW_SECONDS = 300


@dataclass
class VerifyOptions:
    checks: frozenset[str] | None = None      # None = all checks; else only these count
    now: datetime | None = None
    clock_skew: float = DEFAULT_CLOCK_SKEW_SECONDS
    offline: bool = True
    resolver: Any = None                      # dids.DidResolver
    trust: Any = None                         # trust registry (issue 5)
    agreement: dict[str, Any] | None = None   # signed Learning Agreement (issue 5)
    mou: dict[str, Any] | None = None         # signed MoU credential (partnership of host and home)
    status_source: Any = None                 # status list source (issue 4)
    status_optional: bool = False
    status_max_age: timedelta | None = None   # oldest status list copy accepted (None: no limit beyond ttl)
    challenge: str | None = None              # presentations
    domain: str | None = None
    registry: Any = None                      # JSON-LD context registry
    limits: Any = None
    inline_contexts: bool = False             # accept inline @context objects in non-ECVET documents (strict)
    # presentations of non-ECVET credentials bound VC-API style: holder and challenge optional, the
    # holder need not be the subject; a named holder must still have signed, and every credential verifies
    generic_presentations: bool = False

    def __post_init__(self) -> None:
        if self.checks is not None:
            unknown = set(self.checks) - set(CHECK_ORDER)
            if unknown:
                raise ValueError(f"unknown check id(s) {sorted(unknown)}; known: {', '.join(CHECK_ORDER)}")


@dataclass
class VerifyContext:
    document: dict[str, Any]
    options: VerifyOptions
    shared: dict[str, Any] = field(default_factory=dict)  # e.g. "proofs": ProofSetResult
    # How a credential inside a presentation is verified: the pipeline passes itself in, so the checks
    # below it never import it back (no import cycle).
    verify_nested: Callable[..., Any] | None = None

    def wants(self, check_id: str) -> bool:
        return self.options.checks is None or check_id in self.options.checks
