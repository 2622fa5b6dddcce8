"""Credential → HTML views shared by the verification page (serve/render.py) and the printable page
(render/page.py). Every value from a credential or a request goes through `esc` (html.escape, quotes
included); markup is only ever built from our own strings. Pure Python: no web framework needed."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

from ecvet_credentials.verify.report import Outcome, VerificationReport, Verdict
from ecvet_credentials.i18n import N_, Messages
from ecvet_credentials.verify.render_text import LABELS as CHECK_LABELS
from ecvet_credentials.render.html.basics import concept as _concept
from ecvet_credentials.render.html.basics import esc
from ecvet_credentials.render.html.basics import ref as _ref

if TYPE_CHECKING:
    from ecvet_credentials.model import LangText

OUTCOME_WORDS = {Outcome.PASSED: N_("PASS"), Outcome.FAILED: N_("FAIL"),
                Outcome.WARNING: N_("WARN"), Outcome.NOT_CHECKED: N_("NOT CHECKED")}
TYPE_LABELS = {"EcvetPersonalTranscript": N_("Personal Transcript"), "EcvetLearningAgreement": N_("Learning Agreement"),
               "EcvetRecognition": N_("Recognition of credit"), "VerifiablePresentation": N_("Presentation"),
               "VerifiableCredential": N_("Credential")}
ROLE_LABELS = {"host": N_("Host institution"), "home": N_("Home institution"), "learner": N_("Learner"),
               "guardian": N_("Parent or guardian")}
MAX_GENERIC_ROWS = 60


def kind_label(m: Messages, doc: dict) -> str:
    """'Personal Transcript', 'Learning Agreement'... or the credential's own type name."""
    types = doc.get("type")
    types = types if isinstance(types, list) else [types]
    specific = [t for t in types if isinstance(t, str) and t != "VerifiableCredential"]
    t = specific[0] if specific else "VerifiableCredential"
    return m(TYPE_LABELS[t]) if t in TYPE_LABELS else t


def check_rows(m: Messages, report: VerificationReport) -> list[str]:
    """One <li> per check that applied (word + label + message + code), then nested credentials' verdicts."""
    rows = []
    for check in report.checks:
        if check.outcome is Outcome.NOT_CHECKED and not check.required:
            continue  # did not apply to this document (e.g. holder binding for a credential)
        word = m(OUTCOME_WORDS[check.outcome])
        rows.append(f'<li class="check {esc(check.outcome.value)}" data-check="{esc(check.id)}">'
                    f'<span class="mark">{esc(word)}</span> <strong>{esc(m(CHECK_LABELS[check.id]) if check.id in CHECK_LABELS else check.id)}</strong>: '
                    f'{esc(check.message)} <code>{esc(check.code)}</code></li>')
    for i, sub in enumerate(report.extra.get("credentials") or [], 1):
        rows.append(_nested_row(m, i, sub))
    return rows


# The nested credentials' verdicts in words (a presentation's credentials).
NESTED_VERDICTS = {Verdict.VERIFIED: N_("Verified"), Verdict.ISSUER_NOT_RECOGNISED: N_("Genuine signature, issuer not recognised"),
                   Verdict.COULD_NOT_CHECK: N_("Could not check"), Verdict.NOT_VERIFIED: N_("Not verified")}


def _nested_row(m: Messages, i: int, sub: dict) -> str:
    """A credential inside a presentation: its kind, id, verdict, and the checks that did not pass."""
    inner = VerificationReport.from_json(sub)
    doc = sub.get("document") or {}
    bad = [c for c in inner.checks if c.required and c.outcome in (Outcome.FAILED, Outcome.NOT_CHECKED)]
    items = "".join(f'<li><span class="mark">{esc(m(OUTCOME_WORDS[c.outcome]))}</span> '
                    f'{esc(m(CHECK_LABELS[c.id]) if c.id in CHECK_LABELS else c.id)}: {esc(c.message)}</li>' for c in bad)
    ident = f' <code>{esc(doc["id"])}</code>' if isinstance(doc.get("id"), str) else ""
    return (f'<li class="check nested {esc(inner.verdict.value)}" data-verdict="{esc(inner.verdict.value)}">'
            f'<strong>{esc(m("Credential {i}", i=i))}</strong>: {esc(kind_label(m, doc))}{ident}: '
            f'<strong>{esc(m(NESTED_VERDICTS[inner.verdict]))}</strong>' + (f'<ul class="checks">{items}</ul>' if items else "") + "</li>")


def is_unconfirmed(report: VerificationReport) -> bool:
    """Without a valid signature nothing the document says is established (it may have been altered)."""
    proof = report.get("proof")
    return proof is None or proof.outcome is not Outcome.PASSED


def _pts(value: Decimal | None) -> str:
    return f"{value.normalize():f}" if value is not None else "–"  # no points: the system uses none


def _dl(m: Messages, items: list[tuple[str, Any]]) -> str:
    return "<dl>" + "".join(f"<dt>{esc(m(k))}</dt><dd>{esc(v)}</dd>" for k, v in items if v not in (None, "")) + "</dl>"


def content(m: Messages, document: dict, *, unconfirmed: bool = False, signatures=None, issuer_claimed: bool = False,
            contact: bool = False) -> str:
    """The credential's content: ECVET documents through the model reader, anything else generically.
    `unconfirmed` (no valid signature) says so above it, so altered content is never shown as fact.
    `signatures` (la_signatures.SignatureStatus) adds who signed a Learning Agreement. `issuer_claimed`
    (nobody the verifier trusts vouches for the issuer) shows the issuer's name only as a claim.
    The learner's and guardian's address and telephone are shown only with `contact` (the verification
    page shows whoever holds the document the learner's name, birth date and number, no more)."""
    from ecvet_credentials.model import credential_type, from_credential

    head = [(N_("Type"), kind_label(m, document)),
            (N_("Credential id"), document.get("id") if isinstance(document.get("id"), str) else None),
            (N_("Issuer"), _issuer(m, document, issuer_claimed))]
    kind = credential_type(document)
    if kind is not None:
        try:
            body = _ecvet(m, kind, _contact_view(from_credential(document), contact), signatures)
        except Exception:  # noqa: BLE001 - a forged or broken credential may not read; say so, show the rest
            body = f'<p>{esc(m("The content of this credential cannot be shown."))}</p>' + _generic(m, document)
    else:
        body = _generic(m, document)
    title = (m("What the document claims (not confirmed)") if unconfirmed else m("What the credential says"))
    warning = f'<p class="unconfirmed" role="note"><strong>{esc(m("The signature does not match, so none of this is confirmed: the document may have been altered. Do not rely on it; ask the issuer for the original."))}</strong></p>' if unconfirmed else ""
    return f"""<section aria-labelledby="content-title">
<h2 id="content-title">{esc(title)}</h2>
{warning}
{_dl(m, head)}
{body}
</section>"""


def document_body(m: Messages, document: dict, *, contact: bool = True) -> str:
    """The facts and unit table(s) of `document` without the page's head or signature table (printed
    documents lay those out themselves: render/). The printout is the whole document, the learner's and
    guardian's address and telephone included (unless not `contact`)."""
    from ecvet_credentials.model import credential_type, from_credential

    kind = credential_type(document)
    if kind is None:
        return _generic(m, document)
    try:
        return _ecvet(m, kind, _contact_view(from_credential(document), contact), None)
    except Exception:  # noqa: BLE001 - a forged or broken credential may not read; say so, show the rest
        return f'<p>{esc(m("The content of this credential cannot be shown."))}</p>' + _generic(m, document)


def _issuer(m: Messages, document: dict, claimed: bool) -> str | None:
    text = issuer_text(document)
    return m("claims to be {name}", name=text) if claimed and text else text


def issuer_text(doc: dict) -> str | None:
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        name, did = issuer.get("name"), issuer.get("id")
        name = name if isinstance(name, str) else None
        return f"{name} ({did})" if name and isinstance(did, str) else (name or (did if isinstance(did, str) else None))
    return issuer if isinstance(issuer, str) else None


# --- ECVET documents -------------------------------------------------------------------------------

@overload
def _text(m: Messages, value: LangText) -> str: ...
@overload
def _text(m: Messages, value: LangText | None) -> str | None: ...


def _text(m: Messages, value: LangText | None) -> str | None:
    """A LangText in the page's language; else its first language, marked with that language's code
    (e.g. "Welding [it]") so a reader sees it is not in the language they chose."""
    if value is None:
        return None
    langs = [lang for lang, _t in value.values]
    if m.lang in langs:
        return value.get(m.lang)
    return f"{value.values[0][1]} [{langs[0]}]" if len(langs) > 1 or langs[0] != m.lang else value.values[0][1]


def _person(p) -> str | None:
    if p is None:
        return None
    return f"{p.name} ({p.role})" if p.role else p.name


def _institution(inst) -> str | None:
    if inst is None:
        return None
    ids = ", ".join(f"{i.scheme}: {i.value}" if i.scheme else i.value for i in inst.identifiers)
    return f"{inst.name}, {inst.country}" + (f" ({ids})" if ids else "")


def _learner(m: Messages, model) -> list[tuple[str, Any]]:
    learner = model.learner
    lid = f"{learner.learner_id} ({learner.learner_id_scheme})" if learner.learner_id_scheme else learner.learner_id
    return [(N_("Learner"), learner.full_name), (N_("Date of birth"), learner.date_of_birth), (N_("Learner id"), lid),
            (N_("Learner's address"), learner.address.get(m.lang) if learner.address else None),
            (N_("Learner's telephone"), learner.telephone)]


def _guardian(m: Messages, guardian) -> list[tuple[str, Any]]:
    address = guardian.address.get(m.lang) if guardian is not None and guardian.address else None
    return [(N_("Parent or guardian"), _person(guardian)), (N_("Guardian's address"), address),
            (N_("Guardian's telephone"), guardian.telephone if guardian is not None else None)]


def _contact_view(model, contact: bool):
    """The model as shown: without the learner's and guardian's address and telephone unless `contact`."""
    from dataclasses import replace

    if contact:
        return model
    if getattr(model, "learner", None) is not None:
        model = replace(model, learner=replace(model.learner, address=None, telephone=None))
    if getattr(model, "guardian", None) is not None:
        model = replace(model, guardian=replace(model.guardian, address=None, telephone=None))
    return model


def _outcomes(unit) -> list:
    return [o.text for o in unit.outcomes]


def _ecvet(m: Messages, kind: str, model, signatures) -> str:
    from ecvet_credentials.render.html import cycle_views

    if kind == "EcvetPersonalTranscript":
        return _transcript(m, model) + cycle_views.transcript_extras(m, model)
    if kind == "EcvetLearningAgreement":
        return _agreement(m, model, signatures) + cycle_views.agreement_extras(m, model)
    if kind == "EcvetMemorandumOfUnderstanding":
        return cycle_views.mou_view(m, model)
    return _recognition(m, model) + cycle_views.recognition_extras(m, model)


def _transcript(m: Messages, pt) -> str:
    from ecvet_credentials.model.concepts import ACTIVITY_TYPES, ASSESSMENT_METHODS

    facts = _learner(m, pt) + [
        (N_("Host institution"), _institution(pt.host)), (N_("Home institution"), _institution(pt.home)),
        (N_("Mobility period"), m("{start} to {end}", start=pt.start, end=pt.end)),
        (N_("Duration"), m("{weeks} weeks, {hours} hours a day", weeks=_num(pt.duration_weeks), hours=_num(pt.daily_hours))),
        (N_("Type of activity"), _concept(m, "activity", pt.activity_type, ACTIVITY_TYPES)),
        (N_("Context of the mobility"), _text(m, pt.context)), (N_("Learning Agreement"), _ref(pt.agreement))]
    rows = []
    for r in pt.units:
        a = r.assessment
        assessment = [_concept(m, "method", a.method, ASSESSMENT_METHODS), str(a.date)]
        if a.assessor is not None:
            assessment.append(m("assessed by {name}", name=_person(a.assessor)))
        if a.criteria:
            assessment.append(a.criteria)
        grade = [_text(m, a.grade), m("on the scheme: {scheme}", scheme=_text(m, a.grading_scheme.title)),
                 (m("achieved") if a.passed else m("not achieved"))]
        rows.append((r.unit.code, [_cell(_text(m, r.unit.title)), _list([_text(m, o) for o in _outcomes(r.unit)]),
                                   _lines(assessment), _lines(grade), _cell(_pts(r.points_awarded))]))
    total = _pts(pt.total_points)
    heads = [N_("Title"), N_("Learning outcomes"), N_("Assessment (method, date, assessor)"), N_("Grade"), N_("ECVET points")]
    return _dl(m, facts) + _table(m, N_("Units of learning outcomes"), heads, rows, (N_("Total ECVET points"), total))


def _agreement(m: Messages, la, signatures) -> str:
    from ecvet_credentials.model.concepts import ACTIVITY_TYPES, ASSESSMENT_METHODS

    qualification = _text(m, la.qualification.title) + (f" (EQF {la.qualification.eqf_level})" if la.qualification.eqf_level else "")
    facts = _learner(m, la) + _guardian(m, la.guardian) + [
        (N_("Home institution"), _institution(la.home)),
        (N_("Host institution"), _institution(la.host)), (N_("Intermediary organisation"), _institution(la.intermediary)),
        (N_("Qualification"), qualification),
        (N_("Mobility period"), m("{start} to {end}", start=la.start, end=la.end)),
        (N_("Place"), _text(m, la.place)), (N_("Type of activity"), _concept(m, "activity", la.activity_type, ACTIVITY_TYPES)),
        (N_("Hours a day"), _num(la.daily_hours) if la.daily_hours is not None else None),
        (N_("Learning activities"), _text(m, la.learning_activities))]
    rows = [(u.code, [_cell(_text(m, u.title)), _list([_text(m, o) for o in _outcomes(u)]),
                      _cell(u.eqf_level), _cell(_pts(u.ecvet_points))]) for u in la.units]
    total = _pts(la.total_points)
    heads = [N_("Title"), N_("Learning outcomes"), N_("EQF level"), N_("ECVET points")]
    parts = [_dl(m, facts), _table(m, N_("Units of learning outcomes to acquire"), heads, rows, (N_("Total ECVET points to acquire"), total))]
    arrangements = []
    for i, a in enumerate(la.assessment, 1):
        items = [(N_("Units of learning outcomes"), ", ".join(a.units) or m("all units")),
                 (N_("Methods"), ", ".join(filter(None, (_concept(m, "method", x, ASSESSMENT_METHODS) for x in a.methods)))),
                 (N_("When"), _text(m, a.timing)), (N_("Assessors"), "; ".join(filter(None, map(_person, a.assessors)))),
                 (N_("Criteria"), _text(m, a.criteria)), (N_("How results are recorded"), _text(m, a.recording))]
        arrangements.append(f'<h4>{esc(m("Arrangement {n}", n=i))}</h4>{_dl(m, items)}')
    parts.append(f'<section aria-labelledby="la-assessment"><h3 id="la-assessment">{esc(m("Assessment arrangements"))}</h3>'
                 + "".join(arrangements) + "</section>")
    for key, heading, arrangement in (("validation", m("Validation (home institution)"), la.validation),
                                      ("recognition", m("Recognition (home institution)"), la.recognition)):
        items = [(N_("Responsible"), "; ".join(filter(None, map(_person, arrangement.responsible)))),
                 (N_("How"), _text(m, arrangement.how))]
        parts.append(f'<section aria-labelledby="la-{key}"><h3 id="la-{key}">{esc(heading)}</h3>'
                     f"{_dl(m, items)}</section>")
    if signatures is not None:
        parts.append(_signatures(m, signatures, la))
    return "\n".join(parts)


def _signatures(m: Messages, status, la) -> str:
    names = {"host": la.host.name, "home": la.home.name, "learner": la.learner.full_name,
             "guardian": la.guardian.name if la.guardian else None,
             "intermediary": la.intermediary.name if la.intermediary else None}
    rows = []
    for signer in status.required + [s for s in status.optional if s.role in status.signed]:
        signed = signer.role in status.signed
        when = status.signed[signer.role].created if signed else None
        word = m("signed on {date}", date=when) if signed and when else (m("signed") if signed else m("NOT SIGNED"))
        rows.append(f'<tr data-role="{esc(signer.role)}" data-signed="{"yes" if signed else "no"}"><th scope="row">'
                    f'{esc(m(ROLE_LABELS[signer.role]) if signer.role in ROLE_LABELS else signer.role)}</th><td>{_cell(names.get(signer.role))}</td><td>{esc(word)}</td><td><code>{esc(signer.did)}</code></td></tr>')
    note = f'<p>{esc(m("{n} signature(s) on the document do not verify.", n=len(status.invalid)))}</p>' if status.invalid else ""
    verdict = (m("Every party has signed this agreement (each signature checked).") if status.complete else m("Not every party has signed this agreement yet."))
    return f"""<section aria-labelledby="la-signatures"><h3 id="la-signatures">{esc(m("Signatures"))}</h3>
<p>{esc(verdict)}</p>
<table id="signatures"><thead><tr><th scope="col">{esc(m("Party"))}</th><th scope="col">{esc(m("Name"))}</th><th scope="col">{esc(m("Signature"))}</th>
<th scope="col">{esc(m("Identifier (DID)"))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{note}</section>"""


def _recognition(m: Messages, rec) -> str:
    qualification = _text(m, rec.qualification.title) + (f" (EQF {rec.qualification.eqf_level})" if rec.qualification.eqf_level else "")
    facts = _learner(m, rec) + [
        (N_("Home institution"), _institution(rec.home)), (N_("Qualification"), qualification),
        (N_("Decision date"), rec.decision_date), (N_("Responsible"), _person(rec.responsible)),
        (N_("Personal Transcript"), _ref(rec.transcript)), (N_("Learning Agreement"), _ref(rec.agreement))]
    rows = [(u.code, [_cell(_text(m, u.title)), _cell((m("yes") if u.recognised else m("no"))),
                      _cell(_pts(u.points))]) for u in rec.units]
    total = _pts(rec.total_points)
    heads = [N_("Title"), N_("Recognised"), N_("ECVET points")]
    return _dl(m, facts) + _table(m, N_("Units of learning outcomes"), heads, rows, (N_("ECVET points credited toward the qualification"), total))


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cell(value) -> str:
    return esc(value) if value not in (None, "") else ""


def _lines(values) -> str:
    return "<br>".join(esc(v) for v in values if v not in (None, ""))


def _list(values) -> str:
    items = "".join(f"<li>{esc(v)}</li>" for v in values if v)
    return f"<ul>{items}</ul>" if items else ""


def _table(m: Messages, caption: str, heads: list[str], rows: list[tuple[str, list[str]]], total: tuple[str, str]) -> str:
    """The units table: the unit code heads each row; cells are already-escaped HTML."""
    head = f'<th scope="col">{esc(m("Unit"))}</th>' + "".join(f'<th scope="col">{esc(m(h))}</th>' for h in heads)
    # data-label: each cell's heading, shown beside it when a narrow screen stacks the table's rows
    labels = [esc(m(h)) for h in heads]
    body = [f'<tr><th scope="row" data-label="{esc(m("Unit"))}">{esc(code)}</th>'
            + "".join(f'<td data-label="{label}">{c}</td>' for label, c in zip(labels, cells)) + "</tr>" for code, cells in rows]
    return f"""<table id="units">
<caption>{esc(m(caption))}</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
<tfoot><tr><th scope="row" colspan="{len(heads)}">{esc(m(total[0]))}</th><td>{esc(total[1])}</td></tr></tfoot>
</table>"""


def _generic(m: Messages, document: dict) -> str:
    """credentialSubject flattened to path: value rows (bounded), for credentials we have no model of."""
    rows: list[tuple[str, str]] = []

    def walk(value, path: str, depth: int) -> None:
        if len(rows) >= MAX_GENERIC_ROWS or depth > 6:
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else str(k), depth + 1)
        elif isinstance(value, list):
            for i, v in enumerate(value[:20]):
                walk(v, f"{path}[{i}]", depth + 1)
        else:
            rows.append((path, str(value)[:500]))

    walk(document.get("credentialSubject") or {}, "", 0)  # a presentation has none: no "None" row
    if not rows:
        return ""
    items = "".join(f"<tr><th scope=\"row\">{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<table id="claims"><caption>{esc(m("Claims"))}</caption><tbody>{items}</tbody></table>'
