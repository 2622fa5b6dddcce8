"""agreement-match: does a transcript keep to its Learning Agreement, unit by unit (the agreed unit: code,
title, level, outcomes, points), for the same learner, host and home, partners of an MoU on the dates?
Used by the verifier's check and by recognition and issuance (which sit above it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.model import (
    LearningAgreement,
    PersonalTranscript,
    UnitOfLearningOutcomes,
    agreement_from_credential,
    transcript_from_credential,
)
from ecvet_credentials.model.recognition import digest_multibase

if TYPE_CHECKING:
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.model import Learner
    from ecvet_credentials.trust.registry import TrustRegistry
    from ecvet_credentials.verify.agreement_signatures import CheckedAgreement


@dataclass
class UnitMatch:
    code: str
    # "matched", "not-agreed" (decided one by one at recognition), "unit-changed", "assessed-late",
    # "not-assessed". More points than agreed is "unit-changed": the agreed unit's points must be the
    # unit's own, and a transcript's model never awards more than its unit's points.
    outcome: str
    agreed_points: str | None = None
    awarded_points: str | None = None
    message: str = ""

    @property
    def refused(self) -> bool:
        """True when this unit alone makes agreement-match fail."""
        return self.outcome in ("unit-changed", "assessed-late")

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}

@dataclass
class AgreementMatch:
    problems: list[tuple[str, str]] = field(default_factory=list)   # (code, message): each fails the match
    warnings: list[tuple[str, str]] = field(default_factory=list)
    units: list[UnitMatch] = field(default_factory=list)
    partnership: str | None = None      # what showed host and home partners on the mobility dates

    @property
    def matched(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"matched": self.matched, "problems": [{"code": c, "message": m} for c, m in self.problems],
                "warnings": [{"code": c, "message": m} for c, m in self.warnings], "units": [u.to_json() for u in self.units],
                "partnership": self.partnership}

def _points(value: Decimal | None) -> str | None:
    return None if value is None else str(value)

def spec_differences(agreed: UnitOfLearningOutcomes, got: UnitOfLearningOutcomes) -> list[str]:
    """How a unit differs from the agreed one: a unit matches only when it IS the agreed unit (code,
    title, EQF level, learning outcomes, points), never on its code alone."""
    diffs = []
    agreed_titles, got_titles = dict(agreed.title.values), dict(got.title.values)
    shared = agreed_titles.keys() & got_titles.keys()
    if not shared or any(agreed_titles[k] != got_titles[k] for k in shared):
        diffs.append(f"title {str(got.title)!r} (agreed {str(agreed.title)!r})")
    if agreed.eqf_level != got.eqf_level:
        diffs.append(f"EQF level {got.eqf_level} (agreed {agreed.eqf_level})")
    if {frozenset(o.text.values) for o in agreed.outcomes} != {frozenset(o.text.values) for o in got.outcomes}:
        diffs.append("learning outcomes differ from the agreed ones")
    if agreed.ecvet_points != got.ecvet_points:
        diffs.append(f"{_points(got.ecvet_points) or 'no'} ECVET points (agreed {_points(agreed.ecvet_points) or 'none'})")
    return diffs

def match_units(pt: PersonalTranscript, la: LearningAgreement) -> list[UnitMatch]:
    """Unit by unit, what agreement-match makes of a transcript (model objects, signed or not): the
    function to ask "would agreement-match refuse this transcript, and why" before issuing it."""
    out, assessed = [], set()
    for result in pt.units:
        code, awarded = result.unit.code, result.points_awarded
        assessed.add(code)
        agreed = la.unit(code)
        if agreed is None:
            out.append(UnitMatch(code, "not-agreed", None, _points(awarded),
                                 f"Unit {code} was assessed but is not in the Learning Agreement; the home institution "
                                 "decides on it separately."))
            continue
        diffs = spec_differences(agreed, result.unit)
        last_day = la.assessment_until(code)
        if diffs:
            out.append(UnitMatch(code, "unit-changed", _points(agreed.ecvet_points), _points(awarded),
                                 f"Unit {code} is not the agreed unit: " + "; ".join(diffs) + "."))
        elif result.assessment.date > last_day:
            out.append(UnitMatch(code, "assessed-late", _points(agreed.ecvet_points), _points(awarded),
                                 f"Unit {code} was assessed on {result.assessment.date}, after {last_day}, the last day "
                                 "the agreement allows (assessment after the return needs an arrangement that says until when)."))
        else:
            out.append(UnitMatch(code, "matched", _points(agreed.ecvet_points), _points(awarded)))
    for unit in la.units:
        if unit.code not in assessed:
            out.append(UnitMatch(unit.code, "not-assessed", _points(unit.ecvet_points), None,
                                 f"Agreed unit {unit.code} ({unit.title}) was not assessed."))
    return out

_PROBLEM_CODES = {"unit-changed": "UNIT_CHANGED", "assessed-late": "ASSESSED_AFTER_AGREED_DATE"}

def match_agreement(transcript: dict[str, Any], agreement: dict[str, Any], *, resolver: DidResolver | None = None,
                    check_signatures: bool = True, trust: TrustRegistry | None = None, mou: dict[str, Any] | None = None,
                    transcript_model: PersonalTranscript | None = None,
                    checked: CheckedAgreement | None = None) -> AgreementMatch:
    """Compare a PT with the signed LA it was made under, and check that host and home are partners
    of an MoU valid on the mobility dates (from `mou`, the signed MoU credential, or from `trust`,
    a trust registry). Raises EcvetError if either document is not readable as such.
    `transcript_model`, `checked` (la_signatures.checked_agreement): what the caller already has (verification does)."""
    from ecvet_credentials.verify.agreement_signatures import checked_agreement

    pt = transcript_model or transcript_from_credential(transcript)
    if check_signatures:
        checked = checked or checked_agreement(agreement, resolver=resolver)
        if checked.model is None:
            raise EcvetError("The agreement does not match the Learning Agreement schema.", code="AGREEMENT_INVALID")
        la, la_digest = checked.model, checked.digest
    else:
        checked, la, la_digest = None, agreement_from_credential(agreement), None
    result = AgreementMatch()

    def problem(code: str, message: str) -> None:
        result.problems.append((code, message))

    def warning(code: str, message: str) -> None:
        result.warnings.append((code, message))

    if checked and checked.signatures is not None:  # (it has them whenever it has the model)
        status = checked.signatures
        if not status.complete:
            absent = ", ".join(s.role for s in status.missing) or "none"
            problem("AGREEMENT_SIGNATURE_MISSING",
                    f"The Learning Agreement is not signed by every party (missing: {absent}"
                    + (f"; {len(status.invalid)} invalid signature(s)" if status.invalid else "") + ").")
    if pt.agreement is not None:
        if pt.agreement.id != agreement.get("id"):
            problem("OTHER_AGREEMENT", f"The transcript was made under agreement {pt.agreement.id}, not {agreement.get('id')}.")
        elif pt.agreement.digest_multibase and pt.agreement.digest_multibase != (la_digest or digest_multibase(agreement)):
            problem("AGREEMENT_DIGEST_MISMATCH", "The transcript pins another version of this agreement (digest differs).")
    if not _same_learner(pt.learner, la.learner):
        problem("OTHER_LEARNER", f"The transcript is for {pt.learner.full_name}, the agreement for {la.learner.full_name}.")
    if pt.host.id != la.host.id:
        problem("OTHER_HOST", f"The transcript was issued by {pt.host.name}, but the agreed host is {la.host.name}.")
    if pt.start < la.start or pt.end > la.end:
        problem("DATES_OUTSIDE_PERIOD", f"The mobility {pt.start} to {pt.end} is outside the agreed period {la.start} to {la.end}.")
    from ecvet_credentials.verify.partnership import partnership_problem

    found, missing = partnership_problem(la, pt.start, pt.end, trust=trust, mou=mou, resolver=resolver)
    result.partnership = found
    if missing is not None:
        (problem if missing[0] != "MOU_NOT_CHECKED" else warning)(*missing)
    result.units = match_units(pt, la)
    for unit in result.units:
        if unit.refused:
            problem(_PROBLEM_CODES[unit.outcome], unit.message)
        elif unit.outcome == "not-agreed":
            result.warnings.append(("UNIT_NOT_AGREED", unit.message))
        elif unit.outcome == "not-assessed":
            result.warnings.append(("UNIT_NOT_ASSESSED", unit.message))
    return result

def _same_learner(a: Learner, b: Learner) -> bool:
    if a.did and b.did:
        return a.did == b.did
    return (a.learner_id, a.full_name, a.date_of_birth) == (b.learner_id, b.full_name, b.date_of_birth)
