"""A readable view of a stored credential (`ecvet wallet show`), from the model parsers."""
from __future__ import annotations

from decimal import Decimal


def _pts(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _last(iri: str | None) -> str:
    """A concept IRI as its short name (e.g. an assessment method), else its last segment."""
    from ..model.concepts import ASSESSMENT_METHODS

    names = {v: k for k, v in ASSESSMENT_METHODS.items()}
    return names.get(iri or "") or (iri or "").rstrip("/").rsplit("/", 1)[-1] or "?"


def _unit_lines(unit, lines: list[str], *, extra: str = "") -> None:
    lines.append(f"  {unit.code}  {unit.title}  ({_pts(unit.ecvet_points)} ECVET points{extra})")
    for outcome in unit.outcomes:
        lines.append(f"      - {outcome.text}")


def render(stored) -> str:
    from ..model import from_credential

    e = stored.entry
    lines = [f"{e['type']}  [{e['id']}]", f"Credential id: {e.get('credentialId') or '-'}",
             f"Issuer:        {e.get('issuerName') or '-'} ({e.get('issuer') or '?'})",
             f"Subject:       {e.get('subject') or '-'}", f"Valid from:    {e.get('date') or '-'}"]
    status = "VERIFIED" if e.get("verified") else "NOT VERIFIED"
    marks = "; ".join(mk["mark"] for mk in e.get("marks", []))
    lines.append(f"At import:     {status}{' (' + marks + ')' if marks else ''}")
    lines.append("")
    try:
        model = from_credential(stored.credential) if e.get("ecvetType") else None
    except Exception as exc:  # noqa: BLE001 - show what can be shown
        lines.append(f"(the ECVET content cannot be read: {type(exc).__name__})")
        model = None
    kind = e.get("ecvetType")
    if kind == "EcvetPersonalTranscript":
        lines.append(f"Mobility: {model.host.name} ({model.host.country}), {model.start} to {model.end}, "
                     f"{model.duration_weeks:g} weeks, {model.daily_hours:g} h/day")
        lines.append("Units achieved:")
        for r in model.units:
            _unit_lines(r.unit, lines, extra=f", {_pts(r.points_awarded)} awarded")
            a = r.assessment
            lines.append(f"      grade: {a.grade} on {a.grading_scheme.title} ({'passed' if a.passed else 'not passed'}), "
                         f"{_last(a.method)} on {a.date}{', assessed by ' + a.assessor.name if a.assessor else ''}")
        total = sum((r.points_awarded for r in model.units), Decimal(0))
        lines.append(f"Points awarded: {_pts(total)}")
    elif kind == "EcvetLearningAgreement":
        lines.append(f"Mobility: {model.home.name} -> {model.host.name}, {model.start} to {model.end}")
        lines.append(f"Qualification: {model.qualification.title}")
        lines.append("Units agreed:")
        for unit in model.units:
            _unit_lines(unit, lines)
        lines.append(f"Points agreed: {_pts(sum((u.ecvet_points for u in model.units), Decimal(0)))}")
    elif kind == "EcvetRecognition":
        lines.append(f"Qualification: {model.qualification.title}; decided {model.decision_date} by "
                     f"{model.responsible.name} ({model.home.name})")
        lines.append("Units:")
        for u in model.units:
            state = "recognised" if u.recognised else "validated, not recognised"
            lines.append(f"  {u.code}  {u.title}  ({_pts(u.points)} ECVET points, {state})")
        lines.append(f"Points recognised: {_pts(sum((u.points for u in model.units if u.recognised), Decimal(0)))}")
        lines.append(f"Transcript: {model.transcript.id}; agreement: {model.agreement.id}")
    if e.get("marks"):
        lines.append("")
        lines.append("Marks:")
        for m in e["marks"]:
            lines.append(f"  {m['mark']}: {m['message']}")
    return "\n".join(lines)
