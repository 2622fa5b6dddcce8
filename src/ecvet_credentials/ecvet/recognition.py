"""Personal Transcript vs Learning Agreement, and the Recognition credential built from them.

`match_agreement` says unit by unit what matched; `build_recognition` turns a matched PT and LA
into the Recognition model (validated units, points credited, references by id and digest).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Mapping

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.ecvet.issue import IssueResult
from ecvet_credentials.model import (
    Institution,
    Person,
    RecognisedUnit,
    Recognition,
    agreement_from_credential,
    reference_to,
    transcript_from_credential,
)
from ecvet_credentials.model.recognition import Validation


@dataclass(frozen=True)
class UnitDecision:
    """The home institution's (or competent authority's) decision on one unit: recognised or not
    (None: the default), why not, its practical consequences and the home unit it counts for."""

    recognised: bool | None = None
    reason: str | None = None
    consequences: tuple[str, ...] = ()
    counts_for: str | None = None


def unit_decisions(*, recognise=(), refuse=(), consequences=(), counts_for=()) -> dict[str, UnitDecision]:
    """The unit-by-unit decisions as the CLI and the server take them (`recognise`: unit codes; the others
    (code, text) pairs), checked the same way for both: a refused unit needs its reason, no unit is both
    recognised and refused or counts for two home units, no text is empty. InputError(BAD_DECISION) else."""
    from ecvet_credentials.core.errors import InputError

    def bad(message: str) -> InputError:
        return InputError(message, code="BAD_DECISION")

    def clean(value, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise bad(f"{what} must be a non-empty text, not {value!r}")
        return value.strip()

    fields: dict[str, dict] = {}
    for code in recognise:
        fields.setdefault(clean(code, "a unit code"), {})["recognised"] = True
    for code, reason in refuse:
        code = clean(code, "a unit code")
        if fields.get(code, {}).get("recognised"):
            raise bad(f"unit {code} is both recognised and refused")
        fields.setdefault(code, {}).update(recognised=False, reason=clean(reason, f"the reason unit {code} is refused"))
    for code, text in consequences:
        entry = fields.setdefault(clean(code, "a unit code"), {})
        entry["consequences"] = (*entry.get("consequences", ()), clean(text, f"a consequence for unit {code}"))
    for code, home_unit in counts_for:
        entry = fields.setdefault(clean(code, "a unit code"), {})
        if "counts_for" in entry:
            raise bad(f"unit {code} counts for one home unit, not two")
        entry["counts_for"] = clean(home_unit, f"the home unit {code} counts for")
    for code, entry in fields.items():
        if entry.get("recognised") is False and (entry.get("consequences") or entry.get("counts_for")):
            raise bad(f"unit {code} is refused: it has no consequences and counts for no home unit")
    return {code: UnitDecision(**f) for code, f in fields.items()}


def build_recognition(transcript: dict, agreement: dict, *, decision_date: date, responsible: Person,
                      decisions: Mapping[str, UnitDecision] | None = None, validation: Validation | None = None,
                      awarding: Institution | None = None) -> Recognition:
    """The Recognition model: the agreed units achieved are recognised (outcomes achieved, points
    when used), units not achieved are not (with the reason), and units outside the agreement only
    when `decisions` recognises them one by one. `validation` is recorded on every unit; `awarding`
    is the competent authority when it is not the home institution."""
    pt = transcript_from_credential(transcript)  # SchemaError unless it has at least one unit
    la = agreement_from_credential(agreement)
    decisions = decisions or {}
    units = []
    for n, result_unit in enumerate(pt.units):
        code, passed = result_unit.unit.code, result_unit.assessment.passed
        decision = decisions.get(code, UnitDecision())
        agreed = la.unit(code) is not None
        reason: str | None
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
            points=(result_unit.points_awarded if recognised else Decimal(0)) if result_unit.points_awarded is not None else None,
            recognised=recognised, eqf_level=result_unit.unit.eqf_level,
            transcript_assessment=_assessment_iri(transcript, n), outcomes=result_unit.unit.outcomes,
            reason=reason, consequences=decision.consequences if recognised else (),
            counts_for=decision.counts_for if recognised else None, validation=validation))
    # the Recognition names the learner but leaves out the agreement's address and telephone: it is the credit
    # the learner shows to others (and puts in QR codes); the LA keeps the contact details
    learner = replace(la.learner, address=None, telephone=None)
    return Recognition(home=awarding or la.home, learner=learner, qualification=la.qualification, units=tuple(units),
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
    issued: IssueResult | None = None   # when not refused

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


def home_institution(agreement: dict) -> str | None:
    """The agreement's issuer: the home institution, who signs the recognition."""
    from ecvet_credentials.verify.checks_proof import issuer_id

    return issuer_id(agreement)


def recognizer(agreement: dict, did: str, *, mou: dict | None = None, trust=None) -> Institution | None:
    """The institution `did` may recognise as: the agreement's home institution, or a competent
    authority named in the MoU (partner role competent-authority) or in the trust registry (role
    competent-authority, partner of the home institution). None: it may not."""
    la = agreement_from_credential(agreement)
    if did == la.home.id:
        return la.home
    if mou is not None:
        from ecvet_credentials.model import mou_from_credential

        partner = mou_from_credential(mou).partner(did)
        if partner is not None and "competent-authority" in partner.roles:
            return partner.institution
    if trust is not None and not trust.untrusted:
        entry = trust.institution(did)
        if entry is not None and "competent-authority" in entry.roles and any(
                did in p.members and la.home.id in p.members for p in trust.partnerships):
            return Institution(did, entry.name, entry.country or la.home.country)
    return None


def awarding_institution(agreement: dict, did: str, *, mou: dict | None = None, trust=None) -> Institution:
    """`recognizer`, or InputError(NOT_HOME_INSTITUTION) saying who may recognise (CLI and server alike)."""
    from ecvet_credentials.core.errors import InputError

    try:
        awarding = recognizer(agreement, did, mou=mou, trust=trust)
    except EcvetError:  # an MoU or agreement that does not read: nobody is established
        awarding = None
    if awarding is None:
        raise InputError(f"The key is {did}, but the agreement's home institution is {home_institution(agreement)} "
                         "and neither the MoU nor the trust registry names this key's holder a competent authority "
                         "partnered with it; sign the recognition with the home institution's key.",
                         code="NOT_HOME_INSTITUTION")
    return awarding


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
    from ecvet_credentials.ecvet.evaluation import model_facts
    from ecvet_credentials.ecvet.issue import issue_credential
    from ecvet_credentials.model import build_recognition_credential
    from ecvet_credentials.verify.render_text import LABELS

    outcome = RecognitionOutcome()
    reports = {"transcript": verify(transcript, agreement), "agreement": verify(agreement, None)}
    for what, report in reports.items():
        outcome.refusals += [Refusal(what, c.id, c.code, LABELS.get(c.id, c.id), c.message) for c in report.failed_checks]
        outcome.warnings += [f"{what}: {c.message}" for c in report.checks if c.outcome.value == "warning"]
    if decisions and not outcome.refused:  # a decision on a unit the transcript does not have is a usage error
        from ecvet_credentials.core.errors import InputError

        unknown = sorted(set(decisions) - {u.unit.code for u in transcript_from_credential(transcript).units})
        if unknown:
            raise InputError(f"No unit {', '.join(unknown)} in the transcript to decide on.", code="UNKNOWN_UNIT")
    match = next((c for c in reports["transcript"].checks if c.id == "agreement-match"), None)
    unchecked = [w for w in (match.details.get("warnings", []) if match else []) if w["code"] == "MOU_NOT_CHECKED"]
    if unchecked:  # recognition requires a partnership valid on the mobility dates
        outcome.refusals.append(Refusal("transcript", "agreement-match", "MOU_NOT_CHECKED",
                                        LABELS["agreement-match"], unchecked[0]["message"]))
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
    unsigned = build_recognition_credential(model, valid_from=issued_at)  # None: now (to the second, as any instant)
    facts = None if registry is None else model_facts("EcvetRecognition", model, transcript=transcript_from_credential(
        transcript), agreement=agreement_from_credential(agreement))  # the report's facts, kept in the registry
    outcome.issued = issue_credential(unsigned, key, cryptosuite=cryptosuite, created=created, registry=registry, evaluation=facts,
                                      status_base_url=status_base_url, write=write,
                                      batch_id="recognize", row_key=str(transcript.get("id")))  # (used with a registry)
    return outcome
