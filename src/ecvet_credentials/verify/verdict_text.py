"""The verdict and the issuer in the same words everywhere (CLI report, wallet, pages).

An issuer the verifier's registries do not recognise is only a claim: its name is shown as
"claims to be ...", never as fact.
"""
from __future__ import annotations

from .report import Outcome, Verdict, VerificationReport

VERDICT_WORDS = {
    Verdict.VERIFIED: "VERIFIED",
    Verdict.ISSUER_NOT_RECOGNISED: "GENUINE SIGNATURE, ISSUER NOT RECOGNISED",
    Verdict.COULD_NOT_CHECK: "COULD NOT CHECK",
    Verdict.NOT_VERIFIED: "NOT VERIFIED",
}
# Colour is an extra, never the only signal: green, amber (yellow) for "not recognised" and
# "could not check", red only for a check that failed.
VERDICT_COLOURS = {
    Verdict.VERIFIED: "green",
    Verdict.ISSUER_NOT_RECOGNISED: "yellow",
    Verdict.COULD_NOT_CHECK: "yellow",
    Verdict.NOT_VERIFIED: "red",
}


def verdict_words(verdict: Verdict | str) -> str:
    return VERDICT_WORDS[Verdict(verdict)]


def issuer_recognised(report: VerificationReport) -> bool:
    check = report.get("issuer-trusted")
    return check is not None and check.outcome in (Outcome.PASSED, Outcome.WARNING)


def issuer_text(document: dict, recognised: bool) -> str:
    """'Berufskolleg (did:key:...)' when recognised, else 'claims to be "Berufskolleg" (did:key:...)'."""
    did = document.get("issuer") or "?"
    name = document.get("issuerName")
    if recognised:
        return f"{name} ({did})" if name else did
    claim = f'claims to be "{name}"' if name else "names no institution"
    return f"{claim} ({did}); not recognised by a trust registry you use"


def learner_text(document: dict) -> str:
    return document.get("learner") or "(not named)"
