"""Personal Transcript vs Learning Agreement, and the Recognition credential built from them.

`match_agreement` says unit by unit what matched; `build_recognition` turns a matched PT and LA
into the Recognition model (validated units, points credited, references by id and digest).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

from .errors import EcvetError
from .model import (Institution, LearningAgreement, PersonalTranscript, Person, RecognisedUnit, Recognition,
                    UnitOfLearningOutcomes, agreement_from_credential, reference_to, transcript_from_credential)
from .model.recognition import Validation, digest_multibase


@dataclass
class UnitMatch:
    code: str
    # "matched", "not-agreed" (decided one by one at recognition), "unit-changed", "points-exceeded",
    # "assessed-late", "not-assessed"
    outcome: str
    agreed_points: str | None = None
    awarded_points: str | None = None
    message: str = ""

    @property
    def refused(self) -> bool:
        """True when this unit alone makes agreement-match fail."""
        return self.outcome in ("unit-changed", "points-exceeded", "assessed-late")

    def to_json(self) -> dict:
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

    def to_json(self) -> dict:
        return {"matched": self.matched, "problems": [{"code": c, "message": m} for c, m in self.problems],
                "warnings": [{"code": c, "message": m} for c, m in self.warnings], "units": [u.to_json() for u in self.units],
                "partnership": self.partnership}


def _points(value) -> str | None:
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
        elif awarded is not None and agreed.ecvet_points is not None and awarded > agreed.ecvet_points:
            out.append(UnitMatch(code, "points-exceeded", _points(agreed.ecvet_points), _points(awarded),
                                 f"Unit {code}: {awarded} points awarded, more than the {agreed.ecvet_points} agreed."))
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


_PROBLEM_CODES = {"unit-changed": "UNIT_CHANGED", "points-exceeded": "POINTS_EXCEEDED",
                  "assessed-late": "ASSESSED_AFTER_AGREED_DATE"}


def match_agreement(transcript: dict, agreement: dict, *, resolver=None, check_signatures: bool = True,
                    trust=None, mou: dict | None = None, transcript_model=None, checked=None) -> AgreementMatch:
    """Compare a PT with the signed LA it was made under, and check that host and home are partners
    of an MoU valid on the mobility dates (from `mou`, the signed MoU credential, or from `trust`,
    a trust registry). Raises EcvetError if either document is not readable as such.
    `transcript_model`, `checked` (la_signatures.checked_agreement): what the caller already has (verification does)."""
    from .la_signatures import checked_agreement

    pt = transcript_model or transcript_from_credential(transcript)
    if check_signatures:
        checked = checked or checked_agreement(agreement, resolver=resolver)
        if checked.model is None:
            raise EcvetError("The agreement does not match the Learning Agreement schema.", code="AGREEMENT_INVALID")
        la, la_digest = checked.model, checked.digest
    else:
        checked, la, la_digest = None, agreement_from_credential(agreement), None
    result = AgreementMatch()
    problem = lambda code, message: result.problems.append((code, message))  # noqa: E731

    if checked:
        status = checked.signatures
        if not status.complete:
            missing = ", ".join(s.role for s in status.missing) or "none"
            problem("AGREEMENT_SIGNATURE_MISSING",
                    f"The Learning Agreement is not signed by every party (missing: {missing}"
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
    from .cycle.partnership import partnership_problem

    found, missing = partnership_problem(la, pt.start, pt.end, trust=trust, mou=mou, resolver=resolver)
    result.partnership = found
    if missing is not None:
        (problem if missing[0] != "MOU_NOT_CHECKED" else lambda c, m: result.warnings.append((c, m)))(*missing)
    result.units = match_units(pt, la)
    for unit in result.units:
        if unit.refused:
            problem(_PROBLEM_CODES[unit.outcome], unit.message)
        elif unit.outcome == "not-agreed":
            result.warnings.append(("UNIT_NOT_AGREED", unit.message))
        elif unit.outcome == "not-assessed":
            result.warnings.append(("UNIT_NOT_ASSESSED", unit.message))
    return result


def _same_learner(a, b) -> bool:
    if a.did and b.did:
        return a.did == b.did
    return (a.learner_id, a.full_name, a.date_of_birth) == (b.learner_id, b.full_name, b.date_of_birth)


@dataclass(frozen=True)
class UnitDecision:
    """The home institution's (or competent authority's) decision on one unit: recognised or not
    (None: the default), why not, its practical consequences and the home unit it counts for."""

    recognised: bool | None = None
    reason: str | None = None
    consequences: tuple[str, ...] = ()
    counts_for: str | None = None


def build_recognition(transcript: dict, agreement: dict, *, decision_date: date, responsible: Person,
                      decisions: Mapping[str, UnitDecision] | None = None, validation: Validation | None = None,
                      awarding: Institution | None = None) -> Recognition:
    """The Recognition model: the agreed units achieved are recognised (outcomes achieved, points
    when used), units not achieved are not (with the reason), and units outside the agreement only
    when `decisions` recognises them one by one. `validation` is recorded on every unit; `awarding`
    is the competent authority when it is not the home institution."""
    pt = transcript_from_credential(transcript)
    la = agreement_from_credential(agreement)
    decisions = decisions or {}
    units = []
    for n, result_unit in enumerate(pt.units):
        code, passed = result_unit.unit.code, result_unit.assessment.passed
        decision = decisions.get(code, UnitDecision())
        agreed = la.unit(code) is not None
        if not passed:
            recognised, reason = False, decision.reason or "not achieved abroad (the assessment was not passed)"
        elif decision.recognised is not None:
            recognised = decision.recognised
            reason = decision.reason or (None if recognised else "not recognised by the competent institution")
        elif agreed:
            recognised, reason = True, None
        else:
            recognised, reason = False, "outside the Learning Agreement, and not recognised by a decision on this unit"
        units.append(RecognisedUnit(
            code=code, title=result_unit.unit.title,
            points=(result_unit.points_awarded if recognised else 0) if result_unit.points_awarded is not None else None,
            recognised=recognised, eqf_level=result_unit.unit.eqf_level,
            transcript_assessment=_assessment_iri(transcript, n), outcomes=result_unit.unit.outcomes,
            reason=reason, consequences=decision.consequences if recognised else (),
            counts_for=decision.counts_for if recognised else None, validation=validation))
    if not units:
        raise EcvetError("The transcript has no units to recognise.", code="NOTHING_TO_RECOGNISE")
    return Recognition(home=awarding or la.home, learner=la.learner, qualification=la.qualification, units=tuple(units),
                       decision_date=decision_date, responsible=responsible,
                       transcript=reference_to(transcript), agreement=reference_to(agreement))


def _assessment_iri(transcript: dict, index: int) -> str | None:
    """The id of the PT node proving unit `index` (hasPart[index].provenBy)."""
    try:
        part = transcript["credentialSubject"]["hasClaim"]["hasPart"]
        node = (part if isinstance(part, list) else [part])[index]["provenBy"]
        node = node[0] if isinstance(node, list) else node  # the deciding assessment comes first
    except (KeyError, IndexError, TypeError):
        return None
    return node if isinstance(node, str) else node.get("id") if isinstance(node, dict) else None


# --- the whole recognition decision, shared by `ecvet recognize` and POST /ecvet/recognize ---------
@dataclass
class Refusal:
    document: str      # "transcript" or "agreement"
    check: str
    code: str
    label: str         # the check in words (render_text.LABELS)
    message: str


@dataclass
class RecognitionOutcome:
    refusals: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    issued: object = None            # issue.IssueResult when not refused

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


def home_institution(agreement: dict) -> str | None:
    """The agreement's issuer: the home institution, who signs the recognition."""
    from .verify.checks_proof import issuer_id

    return issuer_id(agreement)


def recognizer(agreement: dict, did: str, *, mou: dict | None = None, trust=None) -> Institution | None:
    """The institution `did` may recognise as: the agreement's home institution, or a competent
    authority named in the MoU (partner role competent-authority) or in the trust registry (role
    competent-authority, partner of the home institution). None: it may not."""
    la = agreement_from_credential(agreement)
    if did == la.home.id:
        return la.home
    if mou is not None:
        from .model import mou_from_credential

        partner = mou_from_credential(mou).partner(did)
        if partner is not None and "competent-authority" in partner.roles:
            return partner.institution
    if trust is not None and not getattr(trust, "untrusted", None):
        entry = trust.institution(did)
        if entry is not None and "competent-authority" in entry.roles and any(
                did in p.members and la.home.id in p.members for p in trust.partnerships):
            return Institution(did, entry.name, entry.country or la.home.country)
    return None


def default_validation(agreement: dict, decision_date: date, *, person: Person | None = None,
                       method: str | None = None, organisation: str | None = None) -> Validation:
    """The validation as the agreement's validation arrangement describes it, unless told otherwise."""
    la = agreement_from_credential(agreement)
    first = la.validation.responsible[0]
    return Validation(decision_date, method or str(la.validation.how), person or Person(first.name, first.email, first.role),
                      organisation or la.home.id)


def recognize(transcript: dict, agreement: dict, key, *, verify, decision_date: date, responsible: str | None = None,
              role: str | None = None, issued_at=None, created: str | None = None, registry=None,
              status_base_url: str | None = None, cryptosuite: str | None = None, write=None,
              decisions: Mapping[str, UnitDecision] | None = None, validation: Validation | None = None,
              awarding: Institution | None = None) -> RecognitionOutcome:
    """Verify the PT (against the LA) and the LA with `verify(document, agreement) -> report`; refuse
    with every failed check (and when no MoU partnership could be checked), else sign (and record:
    one recognition per transcript) the Recognition, units decided one by one."""
    from datetime import datetime, timezone

    from .issue import issue_credential
    from .model import build_recognition_credential
    from .verify.render_text import LABELS

    outcome = RecognitionOutcome()
    reports = {"transcript": verify(transcript, agreement), "agreement": verify(agreement, None)}
    for what, report in reports.items():
        outcome.refusals += [Refusal(what, c.id, c.code, LABELS.get(c.id, c.id), c.message) for c in report.failed_checks]
        outcome.warnings += [f"{what}: {c.message}" for c in report.checks if c.outcome.value == "warning"]
    if decisions and not outcome.refused:  # a decision on a unit the transcript does not have is a usage error
        from .errors import InputError

        unknown = sorted(set(decisions) - {u.unit.code for u in transcript_from_credential(transcript).units})
        if unknown:
            raise InputError(f"No unit {', '.join(unknown)} in the transcript to decide on.", code="UNKNOWN_UNIT")
    match = next((c for c in reports["transcript"].checks if c.id == "agreement-match"), None)
    unchecked = [w for w in (match.details.get("warnings", []) if match else []) if w["code"] == "MOU_NOT_CHECKED"]
    if unchecked:  # recognition requires a partnership valid on the mobility dates
        outcome.refusals.append(Refusal("transcript", "agreement-match", "MOU_NOT_CHECKED",
                                        LABELS.get("agreement-match", "agreement-match"), unchecked[0]["message"]))
    if outcome.refused:
        return outcome
    if responsible is None:
        first = agreement_from_credential(agreement).recognition.responsible[0]
        person = Person(first.name, first.email, role or first.role)
    else:
        person = Person(responsible, None, role)
    model = build_recognition(transcript, agreement, decision_date=decision_date, responsible=person,
                              decisions=decisions, awarding=awarding,
                              validation=validation or default_validation(agreement, decision_date))
    issued_at = (issued_at or datetime.now(timezone.utc)).replace(microsecond=0)
    unsigned = build_recognition_credential(model, valid_from=issued_at)
    batch = {"batch_id": "recognize", "row_key": str(transcript.get("id"))} if registry is not None else {}
    outcome.issued = issue_credential(unsigned, key, cryptosuite=cryptosuite, created=created, registry=registry,
                                      status_base_url=status_base_url, write=write, **batch)
    return outcome
