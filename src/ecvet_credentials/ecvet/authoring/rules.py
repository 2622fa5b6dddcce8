"""The registrar's rules, checked before anything is issued: grade against its scheme, plausible ages,
and the Learning Agreement the transcript names (what `agreement-match` would refuse at verification).

The agreement comparison is the verifier's own (`recognition.match_agreement`), called through its
public function, so issuance and verification never disagree about what matches.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ecvet_credentials.i18n import _
from ecvet_credentials.model._checks import fail
from ecvet_credentials.ecvet.authoring.values import grade_number

MIN_AGE, MAX_AGE = 14, 70   # learners in initial VET are rarely under 14; older ones exist (adult VET)


@dataclass(frozen=True)
class GradeScale:
    """A numeric grading scale: `best` and `worst` grades and the worst grade that still passes.

    German school grades: best 1, worst 6, pass 4. A scale where higher is better: best 10, worst 1, pass 6."""

    best: Decimal
    worst: Decimal
    pass_mark: Decimal

    @classmethod
    def from_template(cls, value, where: str) -> "GradeScale | None":
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) != {"best", "worst", "pass"}:
            raise fail(where, "must be {best: N, worst: N, pass: N} (e.g. best: 1, worst: 6, pass: 4)")
        try:
            best, worst, mark = (Decimal(str(value[k])) for k in ("best", "worst", "pass"))
        except ArithmeticError:
            raise fail(where, "best, worst and pass must be numbers") from None
        if best == worst or not (min(best, worst) <= mark <= max(best, worst)):
            raise fail(where, "pass must lie between best and worst, and best differ from worst")
        return cls(best, worst, mark)

    def passes(self, grade: Decimal) -> bool:
        return grade <= self.pass_mark if self.best < self.worst else grade >= self.pass_mark

    def describe(self) -> str:
        return _("{best} best to {worst} worst, pass mark {mark}").format(
            best=_n(self.best), worst=_n(self.worst), mark=_n(self.pass_mark))


def _n(d: Decimal) -> str:
    return format(d.normalize(), "f")


def grade_passes(scale: GradeScale | None, grade: str, column: str = "grade") -> bool | None:
    """Whether `grade` passes on `scale` (None: no scale, or a grade in words). Raises for a grade off the scale."""
    if scale is None:
        return None
    value = grade_number(grade)
    if value is None:
        return None
    if not (min(scale.best, scale.worst) <= value <= max(scale.best, scale.worst)):
        raise fail(column, _("{grade} is not on the grading scale ({scale})").format(grade=repr(grade),
                                                                                    scale=scale.describe()))
    return scale.passes(value)


def age_warning(learner, start) -> str | None:
    age = learner.age_on(start)
    if MIN_AGE <= age <= MAX_AGE:
        return None
    return _("the learner is {age} at the start of the mobility (born {born}); expected {low} to {high}").format(
        age=age, born=learner.date_of_birth, low=MIN_AGE, high=MAX_AGE)


@dataclass
class AgreementRules:
    """Signed Learning Agreements by id, and whether their signatures are complete (checked once each)."""

    agreements: dict[str, dict] = field(default_factory=dict)
    _signed: dict[str, str | None] = field(default_factory=dict)

    def add(self, doc: dict | None) -> None:
        if isinstance(doc, dict) and isinstance(doc.get("id"), str):
            self.agreements[doc["id"]] = doc

    def problems(self, unsigned_transcript: dict, agreement_id: str) -> list[tuple[str, str]] | None:
        """(code, message) for everything the verifier's agreement-match would refuse; None when the
        named agreement is not at hand (it cannot be checked here)."""
        from ecvet_credentials.core.errors import EcvetError
        from ecvet_credentials.verify.agreement_match import match_agreement

        agreement = self.agreements.get(agreement_id)
        if agreement is None:
            return None
        out: list[tuple[str, str]] = []
        if agreement_id not in self._signed:
            from ecvet_credentials.verify.agreement_signatures import signature_status

            try:
                status = signature_status(agreement)
                self._signed[agreement_id] = None if status.complete else \
                    "the Learning Agreement is not signed by every party (missing: " \
                    + (", ".join(s.role for s in status.missing) or "none") + ")"
            except EcvetError as exc:
                self._signed[agreement_id] = f"the Learning Agreement's signatures cannot be read ({exc})"
        if unsigned := self._signed[agreement_id]:
            out.append(("AGREEMENT_SIGNATURE_MISSING", unsigned))
        try:
            match = match_agreement(unsigned_transcript, agreement, check_signatures=False)
        except EcvetError as exc:
            return out + [("AGREEMENT_UNREADABLE", f"cannot be compared with its agreement: {exc}")]
        # At issuance a unit outside the agreement is a deviation to allow explicitly (the verifier only warns).
        return out + list(match.problems) + [w for w in match.warnings if w[0] == "UNIT_NOT_AGREED"]


# Where the registrar fixes what agreement-match refused: the column of the unit's row, or a learner column.
PROBLEM_COLUMNS = {"UNIT_NOT_AGREED": "unit_code", "UNIT_CHANGED": "unit_code",
                   "ASSESSED_AFTER_AGREED_DATE": "assessment_date",
                   "DATES_OUTSIDE_PERIOD": "start", "OTHER_LEARNER": "learner_id", "OTHER_HOST": "agreement_id",
                   "OTHER_AGREEMENT": "agreement_id", "AGREEMENT_DIGEST_MISMATCH": "agreement_digest"}
