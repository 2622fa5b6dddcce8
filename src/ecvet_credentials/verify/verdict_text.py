"""The verdict and the issuer in the same words everywhere (CLI report, wallet, pages).

An issuer the verifier's registries do not recognise is only a claim: its name is shown as
"claims to be ...", never as fact.
"""
from __future__ import annotations

from typing import Any

from ecvet_credentials.i18n import N_, _
from ecvet_credentials.verify.report import Outcome, Verdict, VerificationReport

# The "Result:" line of the text report per verdict, with its colour (words first, colour only as an extra).
VERDICT_LINES = {
    Verdict.VERIFIED: (N_("Result: VERIFIED"), "green"),
    Verdict.ISSUER_NOT_RECOGNISED: (N_("Result: GENUINE SIGNATURE, ISSUER NOT RECOGNISED"), "yellow"),
    Verdict.COULD_NOT_CHECK: (N_("Result: COULD NOT CHECK"), "yellow"),
    Verdict.NOT_VERIFIED: (N_("Result: NOT VERIFIED"), "red"),
}

VERDICT_WORDS = {
    Verdict.VERIFIED: "VERIFIED",
    Verdict.ISSUER_NOT_RECOGNISED: "GENUINE SIGNATURE, ISSUER NOT RECOGNISED",
    Verdict.COULD_NOT_CHECK: "COULD NOT CHECK",
    Verdict.NOT_VERIFIED: "NOT VERIFIED",
}


def verdict_words(verdict: Verdict | str) -> str:
    """The verdict in the run's language: the translated "Result: ..." line of the text report, without
    its "Result:" label (one translation for both places)."""
    line = _(VERDICT_LINES[Verdict(verdict)][0])
    head, sep, words = line.partition(":")
    return words.strip() if sep and words.strip() else VERDICT_WORDS[Verdict(verdict)]


def issuer_recognised(report: VerificationReport) -> bool:
    check = report.get("issuer-trusted")
    return check is not None and check.outcome in (Outcome.PASSED, Outcome.WARNING)


def issuer_text(document: dict[str, Any], recognised: bool) -> str:
    """'Berufskolleg (did:key:...)' when recognised, else 'claims to be "Berufskolleg" (did:key:...)'."""
    did = document.get("issuer") or "?"
    name = document.get("issuerName")
    if recognised:
        return f"{name} ({did})" if name else did
    claim = _('claims to be "{name}"').format(name=name) if name else _("names no institution")
    return _("{claim} ({did}); not recognised by a trust registry you use").format(claim=claim, did=did)


def learner_text(document: dict[str, Any]) -> str:
    return document.get("learner") or _("(not named)")
