"""A readable view of a stored credential (`ecvet wallet show`), from the model parsers."""
from __future__ import annotations

from decimal import Decimal

from ecvet_credentials.i18n import _


def _pts(value: Decimal | None) -> str:
    return f"{value.normalize():f}" if value is not None else "no"  # a system without ECVET points


def _last(iri: str | None) -> str:
    """A concept IRI as its short name (e.g. an assessment method), else its last segment."""
    from ecvet_credentials.model.concepts import ASSESSMENT_METHODS

    names = {v: k for k, v in ASSESSMENT_METHODS.items()}
    return names.get(iri or "") or (iri or "").rstrip("/").rsplit("/", 1)[-1] or "?"


def _unit_lines(unit, lines: list[str], *, extra: str = "") -> None:
    lines.append(_("  {code}  {title}  ({points} ECVET points{extra})").format(
        code=unit.code, title=unit.title, points=_pts(unit.ecvet_points), extra=extra))
    for outcome in unit.outcomes:
        lines.append(f"      - {outcome.text}")


def render(stored) -> str:
    from ecvet_credentials.model import LearningAgreement, PersonalTranscript, Recognition, from_credential
    from ecvet_credentials.wallet.summary import issuer_of, verdict_words_of

    e = stored.entry
    lines = [f"{e['type']}  [{e['id']}]",
             _("Credential id: {id}").format(id=e.get('credentialId') or '-'),
             f"{_('Issuer')}:        {issuer_of(e)}",  # a claim unless a registry recognised it
             _("Subject:       {subject}").format(subject=e.get('subject') or '-'),
             _("Valid from:    {date}").format(date=e.get('date') or '-')]
    status = verdict_words_of(e)
    marks = "; ".join(mk["mark"] for mk in e.get("marks", []))
    lines.append(_("At import:     {status}").format(status=status) + (f" ({marks})" if marks else ""))
    lines.append("")
    try:
        model = from_credential(stored.credential) if e.get("ecvetType") else None
    except Exception as exc:  # noqa: BLE001 - show what can be shown
        lines.append(_("(the ECVET content cannot be read: {error})").format(error=type(exc).__name__))
        model = None
    # by the model read (its class follows from the stored type): unreadable content shows no section
    if isinstance(model, PersonalTranscript):
        lines.append(_("Mobility: {host} ({country}), {start} to {end}, {weeks:g} weeks, {hours:g} h/day").format(
            host=model.host.name, country=model.host.country, start=model.start, end=model.end,
            weeks=model.duration_weeks, hours=model.daily_hours))
        lines.append(_("Units achieved:"))
        for r in model.units:
            _unit_lines(r.unit, lines, extra=_(", {points} awarded").format(points=_pts(r.points_awarded)))
            a = r.assessment
            lines.append(_("      grade: {grade} on {scheme} ({passed}), {method} on {date}").format(
                grade=a.grade, scheme=a.grading_scheme.title, passed=_("passed") if a.passed else _("not passed"),
                method=_last(a.method), date=a.date)
                + (_(", assessed by {name}").format(name=a.assessor.name) if a.assessor else ""))
        lines.append(_("Points awarded: {points}").format(points=_pts(model.total_points)))
    elif isinstance(model, LearningAgreement):
        lines.append(_("Mobility: {home} -> {host}, {start} to {end}").format(
            home=model.home.name, host=model.host.name, start=model.start, end=model.end))
        lines.append(_("Qualification: {title}").format(title=model.qualification.title))
        lines.append(_("Units agreed:"))
        for unit in model.units:
            _unit_lines(unit, lines)
        lines.append(_("Points agreed: {points}").format(points=_pts(model.total_points)))
    elif isinstance(model, Recognition):
        lines.append(_("Qualification: {title}; decided {date} by {name} ({home})").format(
            title=model.qualification.title, date=model.decision_date, name=model.responsible.name, home=model.home.name))
        lines.append(_("Units:"))
        for u in model.units:
            state = _("recognised") if u.recognised else _("validated, not recognised")
            lines.append(_("  {code}  {title}  ({points} ECVET points, {state})").format(
                code=u.code, title=u.title, points=_pts(u.points), state=state))
        lines.append(_("Points recognised: {points}").format(
            points=_pts(model.total_points)))
        lines.append(_("Transcript: {transcript}; agreement: {agreement}").format(
            transcript=model.transcript.id, agreement=model.agreement.id))
    if e.get("marks"):
        lines.append("")
        lines.append(_("Marks:"))
        for m in e["marks"]:
            lines.append(f"  {m['mark']}: {m['message']}")
    return "\n".join(lines)
