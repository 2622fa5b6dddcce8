"""Personal Transcript vs Learning Agreement, and the Recognition credential built from them.

`match_agreement` says unit by unit what matched; `build_recognition` turns a matched PT and LA
into the Recognition model (validated units, points credited, references by id and digest).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .errors import EcvetError
from .model import (Person, RecognisedUnit, Recognition, agreement_from_credential, reference_to,
                    transcript_from_credential)
from .model.recognition import digest_multibase


@dataclass
class UnitMatch:
    code: str
    outcome: str        # "matched", "not-agreed", "points-exceeded", "not-assessed"
    agreed_points: str | None = None
    awarded_points: str | None = None
    message: str = ""

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class AgreementMatch:
    problems: list[tuple[str, str]] = field(default_factory=list)   # (code, message): each fails the match
    warnings: list[tuple[str, str]] = field(default_factory=list)
    units: list[UnitMatch] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"matched": self.matched, "problems": [{"code": c, "message": m} for c, m in self.problems],
                "warnings": [{"code": c, "message": m} for c, m in self.warnings], "units": [u.to_json() for u in self.units]}


def match_agreement(transcript: dict, agreement: dict, *, resolver=None, check_signatures: bool = True,
                    transcript_model=None, checked=None) -> AgreementMatch:
    """Compare a PT with the signed LA it was made under. Raises EcvetError if either is not readable as such.
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

    assessed = set()
    for result_unit in pt.units:
        code = result_unit.unit.code
        assessed.add(code)
        agreed = la.unit(code)
        awarded = result_unit.points_awarded
        if agreed is None:
            problem("UNIT_NOT_AGREED", f"Unit {code} was assessed but is not in the Learning Agreement.")
            result.units.append(UnitMatch(code, "not-agreed", None, str(awarded), "not in the agreement"))
        elif awarded > agreed.ecvet_points:
            problem("POINTS_EXCEEDED", f"Unit {code}: {awarded} points awarded, more than the {agreed.ecvet_points} agreed.")
            result.units.append(UnitMatch(code, "points-exceeded", str(agreed.ecvet_points), str(awarded), "more points than agreed"))
        else:
            result.units.append(UnitMatch(code, "matched", str(agreed.ecvet_points), str(awarded)))
    for unit in la.units:
        if unit.code not in assessed:
            result.warnings.append(("UNIT_NOT_ASSESSED", f"Agreed unit {unit.code} ({unit.title}) was not assessed."))
            result.units.append(UnitMatch(unit.code, "not-assessed", str(unit.ecvet_points), None, "agreed but not assessed"))
    return result


def _same_learner(a, b) -> bool:
    if a.did and b.did:
        return a.did == b.did
    return (a.learner_id, a.full_name, a.date_of_birth) == (b.learner_id, b.full_name, b.date_of_birth)


def build_recognition(transcript: dict, agreement: dict, *, decision_date: date, responsible: Person) -> Recognition:
    """The Recognition model for a PT that matched its LA: passed units recognised with the points awarded."""
    pt = transcript_from_credential(transcript)
    la = agreement_from_credential(agreement)
    units = []
    for n, result_unit in enumerate(pt.units, start=1):
        passed = result_unit.assessment.passed
        units.append(RecognisedUnit(
            code=result_unit.unit.code, title=result_unit.unit.title,
            points=result_unit.points_awarded if passed else 0, recognised=passed,
            eqf_level=result_unit.unit.eqf_level, transcript_assessment=_assessment_iri(transcript, n - 1)))
    if not units:
        raise EcvetError("The transcript has no units to recognise.", code="NOTHING_TO_RECOGNISE")
    return Recognition(home=la.home, learner=la.learner, qualification=la.qualification, units=tuple(units),
                       decision_date=decision_date, responsible=responsible,
                       transcript=reference_to(transcript), agreement=reference_to(agreement))


def _assessment_iri(transcript: dict, index: int) -> str | None:
    """The id of the PT node proving unit `index` (hasPart[index].provenBy)."""
    try:
        part = transcript["credentialSubject"]["hasClaim"]["hasPart"]
        node = (part if isinstance(part, list) else [part])[index]["provenBy"]
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


def recognize(transcript: dict, agreement: dict, key, *, verify, decision_date: date, responsible: str | None = None,
              role: str | None = None, issued_at=None, created: str | None = None, registry=None,
              status_base_url: str | None = None, cryptosuite: str | None = None, write=None) -> RecognitionOutcome:
    """Verify the PT (against the LA) and the LA with `verify(document, agreement) -> report`; refuse
    with every failed check, else sign (and record: one recognition per transcript) the Recognition."""
    from datetime import datetime, timezone

    from .issue import issue_credential
    from .model import build_recognition_credential
    from .verify.render_text import LABELS

    outcome = RecognitionOutcome()
    reports = {"transcript": verify(transcript, agreement), "agreement": verify(agreement, None)}
    for what, report in reports.items():
        outcome.refusals += [Refusal(what, c.id, c.code, LABELS.get(c.id, c.id), c.message) for c in report.failed_checks]
        outcome.warnings += [f"{what}: {c.message}" for c in report.checks if c.outcome.value == "warning"]
    if outcome.refused:
        return outcome
    if responsible is None:
        first = agreement_from_credential(agreement).recognition.responsible[0]
        person = Person(first.name, first.email, role or first.role)
    else:
        person = Person(responsible, None, role)
    model = build_recognition(transcript, agreement, decision_date=decision_date, responsible=person)
    issued_at = (issued_at or datetime.now(timezone.utc)).replace(microsecond=0)
    unsigned = build_recognition_credential(model, valid_from=issued_at)
    batch = {"batch_id": "recognize", "row_key": str(transcript.get("id"))} if registry is not None else {}
    outcome.issued = issue_credential(unsigned, key, cryptosuite=cryptosuite, created=created, registry=registry,
                                      status_base_url=status_base_url, write=write, **batch)
    return outcome
