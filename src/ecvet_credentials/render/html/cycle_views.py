"""The ECVET cycle's fields in the credential views (page and printout), kept simple for the page and
print styles to dress: the MoU, the template's contact fields, signatories, enclosures, the skills
assessment sheet, further assessments, validation and the unit-by-unit recognition decision.
Every value is escaped (views.esc); labels fall back to English when the catalogue lacks them."""
from __future__ import annotations

from typing import Any

from ecvet_credentials.i18n import N_, Messages
from ecvet_credentials.render.html.basics import concept as _concept
from ecvet_credentials.render.html.basics import esc
from ecvet_credentials.render.html.basics import ref as _ref


def _dl(m: Messages, items: list[tuple[str, Any]]) -> str:
    body = "".join(f"<dt>{esc(m(label))}</dt><dd>{esc(v)}</dd>" for label, v in items if v not in (None, "", ()))
    return f"<dl>{body}</dl>" if body else ""


def _section(ident: str, title: str, body: str) -> str:
    return f'<section aria-labelledby="{ident}"><h3 id="{ident}">{esc(title)}</h3>{body}</section>' if body else ""


def contact(inst) -> str | None:
    """An institution's address, telephone and website as one line (template fields)."""
    if inst is None:
        return None
    parts = [getattr(inst, "address", None), getattr(inst, "telephone", None), getattr(inst, "website", None)]
    return " · ".join(p for p in parts if p) or None


def _enclosures(m: Messages, enclosures) -> str:
    items = "".join(f"<li>{esc(e.kind)}: {esc(e.title)}" + (f" <code>{esc(e.url)}</code>" if e.url else "")
                    + (f" <small>({esc(e.digest_multibase)})</small>" if e.digest_multibase else "") + "</li>"
                    for e in enclosures)
    return _section("enclosures", m("Enclosures"), f"<ul>{items}</ul>" if items else "")


def _signatories(m: Messages, signatories) -> str:
    rows = "".join(f"<tr><td>{esc(s.name)}</td><td>{esc(s.role)}</td><td>{esc(s.place or '')}</td>"
                   f"<td>{esc(s.date or '')}</td><td><code>{esc(s.did)}</code></td></tr>" for s in signatories)
    if not rows:
        return ""
    head = "".join(f"<th scope=\"col\">{esc(m(label))}</th>" for label in (
        N_("Name"), N_("Role"), N_("Place"), N_("Date"), N_("Identifier (DID)")))
    return _section("signatories", m("Signatories (as written on the document)"),
                    f'<table id="signatories"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')


def agreement_extras(m: Messages, la) -> str:
    until = "; ".join(f"{', '.join(a.units) or m('all units')}: {a.until}"
                      for a in la.assessment if a.until)
    facts = _dl(m, [(N_("Made under the MoU"), _ref(la.mou)),
                    (N_("Home institution contact"), contact(la.home)),
                    (N_("Host institution contact"), contact(la.host)),
                    (N_("Assessment after the return allowed until"), until),
                    (N_("Learner's progress before the mobility"), la.prior_progress),
                    (N_("Additional information"), la.additional_note)])
    return "\n".join(filter(None, [facts, _signatories(m, la.signatories), _enclosures(m, la.enclosures)]))


def transcript_extras(m: Messages, pt) -> str:
    from ecvet_credentials.model.concepts import ASSESSMENT_METHODS

    facts = _dl(m, [(N_("Host company"), ", ".join(filter(None, (
                        pt.host_company.name, pt.host_company.address, pt.host_company.telephone,
                        pt.host_company.website))) if pt.host_company else None),
                    (N_("Tutor / mentor"), f"{pt.mentor.name} ({pt.mentor.role})" if pt.mentor and pt.mentor.role
                     else pt.mentor.name if pt.mentor else None),
                    (N_("Coordinating organisation"), pt.coordinator),
                    (N_("Host institution contact"), contact(pt.host)),
                    (N_("Additional information"), pt.additional_note)])
    further = []
    for r in pt.units:
        for a in r.further:
            further.append(f"<li>{esc(r.unit.code)}: {esc(a.date)}, {esc(_concept(m, 'method', a.method, ASSESSMENT_METHODS))}"
                           + (f", {esc(a.assessor.name)}" if a.assessor else "")
                           + (f" ({esc(a.organisation)})" if a.organisation else "")
                           + f": {esc(a.grade)}</li>")
    organisations = [f"<li>{esc(r.unit.code)}: {esc(r.assessment.organisation)}</li>" for r in pt.units if r.assessment.organisation]
    parts = [facts,
             _section("assessor-organisations", m("Assessors' organisations"),
                      f"<ul>{''.join(organisations)}</ul>" if organisations else ""),
             _section("further-assessments", m("Further assessments"),
                      f"<ul>{''.join(further)}</ul>" if further else "")]
    for i, sheet in enumerate(pt.sheets, 1):
        rows = "".join(f"<tr><td>{esc(x.criterion)}</td><td>{esc(x.rating)}</td></tr>" for x in sheet.ratings)
        body = _dl(m, [(N_("Workplace supervisor (signs)"), f"{sheet.supervisor.name} ({sheet.supervisor.did})"),
                       (N_("Rating scale"), sheet.scale), (N_("Units"), ", ".join(sheet.units)),
                       (N_("Date"), sheet.date), (N_("Place"), sheet.place)])
        parts.append(_section(f"sheet-{i}", m("Skills assessment sheet {n}", n=i),
                              body + f'<table class="sheet"><tbody>{rows}</tbody></table>'))
    parts += [_signatories(m, pt.signatories), _enclosures(m, pt.enclosures)]
    return "\n".join(filter(None, parts))


def recognition_extras(m: Messages, rec) -> str:
    items = []
    for u in rec.units:
        lines = []
        if u.outcomes:
            lines.append(m("Learning outcomes achieved") + ": " + "; ".join(str(o.text) for o in u.outcomes))
        if u.reason:
            lines.append(m("Not recognised because") + ": " + u.reason)
        if u.consequences:
            lines.append(m("Consequences") + ": " + "; ".join(u.consequences))
        if u.counts_for:
            lines.append(m("Counts for") + ": " + u.counts_for)
        if u.validation is not None:
            v = u.validation
            lines.append(m("Validated on {date} by {person} ({organisation}): {method}",
                            date=v.date, person=v.person.name, organisation=v.organisation, method=v.method))
        if lines:
            items.append(f"<li><strong>{esc(u.code)}</strong><br>" + "<br>".join(esc(x) for x in lines) + "</li>")
    return _section("decisions", m("Validation and recognition, unit by unit"),
                    f"<ul>{''.join(items)}</ul>" if items else "")


def mou_view(m: Messages, mou) -> str:
    rows = "".join(f"<tr><td>{esc(p.institution.name)}, {esc(p.institution.country)}<br><small>{esc(contact(p.institution) or '')}"
                   f"</small></td><td>{esc(', '.join(p.roles))}</td><td>{esc(p.responsibilities)}</td></tr>" for p in mou.partners)
    head = "".join(f"<th scope=\"col\">{esc(m(label))}</th>" for label in (
        N_("Partner"), N_("Roles"), N_("Responsibilities")))
    facts = _dl(m, [(N_("Period"), f"{mou.start} – {mou.end}"),
                    (N_("Qualifications covered"), "; ".join(q.title.get(m.lang) for q in mou.qualifications)),
                    (N_("Units covered"), ", ".join(u.code for u in mou.units))])
    return "\n".join(filter(None, [f"<h3>{esc(mou.title.get(m.lang))}</h3>", facts,
                                   f'<table id="partners"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>',
                                   _signatories(m, mou.signatories), _enclosures(m, mou.enclosures)]))
