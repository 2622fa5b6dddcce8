"""Credential → HTML views shared by the verification page (serve/render.py) and printable output
(printable.py). Every value from a credential or a request goes through `esc` (html.escape, quotes
included); markup is only ever built from our own strings. Pure Python: no web framework needed."""
from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from ..verify.report import Outcome, VerificationReport
from .i18n import Messages

OUTCOME_KEYS = {Outcome.PASSED: "outcome.passed", Outcome.FAILED: "outcome.failed",
                Outcome.WARNING: "outcome.warning", Outcome.NOT_CHECKED: "outcome.not_checked"}
MAX_GENERIC_ROWS = 60


def esc(value: Any) -> str:
    return escape(str(value), quote=True)


def kind_label(m: Messages, doc: dict) -> str:
    """'Personal Transcript', 'Learning Agreement'... or the credential's own type name."""
    types = doc.get("type")
    types = types if isinstance(types, list) else [types]
    specific = [t for t in types if isinstance(t, str) and t != "VerifiableCredential"]
    t = specific[0] if specific else "VerifiableCredential"
    return _label(m, "type." + t, t)


def _label(m: Messages, key: str, fallback: str) -> str:
    text = m(key)
    return fallback if text == key else text


def check_rows(m: Messages, report: VerificationReport) -> list[str]:
    """One <li> per check that applied (word + label + message + code), then nested credentials' verdicts."""
    rows = []
    for check in report.checks:
        if check.outcome is Outcome.NOT_CHECKED and not check.required:
            continue  # did not apply to this document (e.g. holder binding for a credential)
        word = m(OUTCOME_KEYS[check.outcome])
        rows.append(f'<li class="check {esc(check.outcome.value)}" data-check="{esc(check.id)}">'
                    f'<span class="mark">{esc(word)}</span> <strong>{esc(m("check." + check.id))}</strong>: '
                    f'{esc(check.message)} <code>{esc(check.code)}</code></li>')
    nested = report.extra.get("credentials") or []
    for i, sub in enumerate(nested, 1):
        word = m("result.verified" if sub.get("verified") else "result.not_verified")
        rows.append(f'<li class="check nested"><strong>{esc(i)}.</strong> {esc(kind_label(m, sub.get("document") or {}))}: {esc(word)}</li>')
    return rows


def is_unconfirmed(report: VerificationReport) -> bool:
    """Without a valid signature nothing the document says is established (it may have been altered)."""
    proof = report.get("proof")
    return proof is None or proof.outcome is not Outcome.PASSED


def _pts(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _dl(m: Messages, items: list[tuple[str, Any]]) -> str:
    return "<dl>" + "".join(f"<dt>{esc(m(k))}</dt><dd>{esc(v)}</dd>" for k, v in items if v not in (None, "")) + "</dl>"


def content(m: Messages, document: dict, *, unconfirmed: bool = False, signatures=None) -> str:
    """The credential's content: ECVET documents through the model reader, anything else generically.
    `unconfirmed` (no valid signature) says so above it, so altered content is never shown as fact.
    `signatures` (la_signatures.SignatureStatus) adds who signed a Learning Agreement."""
    from ..model import credential_type, from_credential

    head = [("content.type", kind_label(m, document)),
            ("content.id", document.get("id") if isinstance(document.get("id"), str) else None),
            ("content.issuer", issuer_text(document))]
    kind = credential_type(document)
    if kind is not None:
        try:
            body = _ecvet(m, kind, from_credential(document), signatures)
        except Exception:  # noqa: BLE001 - a forged or broken credential may not read; say so, show the rest
            body = f'<p>{esc(m("content.unreadable"))}</p>' + _generic(m, document)
    else:
        body = _generic(m, document)
    title = m("content.title.unconfirmed" if unconfirmed else "content.title")
    warning = f'<p class="unconfirmed" role="note"><strong>{esc(m("content.unconfirmed"))}</strong></p>' if unconfirmed else ""
    return f"""<section aria-labelledby="content-title">
<h2 id="content-title">{esc(title)}</h2>
{warning}
{_dl(m, head)}
{body}
</section>"""


def document_body(m: Messages, document: dict) -> str:
    """The facts and unit table(s) of `document` without the page's head or signature table (printed
    documents lay those out themselves: render/)."""
    from ..model import credential_type, from_credential

    kind = credential_type(document)
    if kind is None:
        return _generic(m, document)
    try:
        return _ecvet(m, kind, from_credential(document), None)
    except Exception:  # noqa: BLE001 - a forged or broken credential may not read; say so, show the rest
        return f'<p>{esc(m("content.unreadable"))}</p>' + _generic(m, document)


def issuer_text(doc: dict) -> str | None:
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        name, did = issuer.get("name"), issuer.get("id")
        name = name if isinstance(name, str) else None
        return f"{name} ({did})" if name and isinstance(did, str) else (name or (did if isinstance(did, str) else None))
    return issuer if isinstance(issuer, str) else None


# --- ECVET documents -------------------------------------------------------------------------------

def _text(m: Messages, value) -> str | None:
    """A LangText in the page's language (else its first language)."""
    return value.get(m.lang) if value is not None else None


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
    return [("content.learner", learner.full_name), ("content.birth", learner.date_of_birth), ("content.learner_id", lid)]


def _concept(m: Messages, prefix: str, iri: str | None, table: dict[str, str]) -> str | None:
    """A concept IRI in words: the catalogue's label, else its short authoring name, else the IRI."""
    from ..model.concepts import key_of

    if not iri:
        return None
    key = key_of(iri, table)
    return _label(m, f"{prefix}.{key}", key.replace("-", " ") if key != iri else iri)


def _ref(ref) -> str | None:
    if ref is None:
        return None
    return f"{ref.id} (SHA-256 {ref.digest_multibase})" if ref.digest_multibase else ref.id


def _outcomes(unit) -> list:
    return [o.text for o in unit.outcomes]


def _ecvet(m: Messages, kind: str, model, signatures) -> str:
    if kind == "EcvetPersonalTranscript":
        return _transcript(m, model)
    if kind == "EcvetLearningAgreement":
        return _agreement(m, model, signatures)
    return _recognition(m, model)


def _transcript(m: Messages, pt) -> str:
    from ..model.concepts import ACTIVITY_TYPES, ASSESSMENT_METHODS

    facts = _learner(m, pt) + [
        ("content.host", _institution(pt.host)), ("content.home", _institution(pt.home)),
        ("content.period", m("content.period.value", start=pt.start, end=pt.end)),
        ("content.duration", m("content.duration.value", weeks=_num(pt.duration_weeks), hours=_num(pt.daily_hours))),
        ("content.activity", _concept(m, "activity", pt.activity_type, ACTIVITY_TYPES)),
        ("content.context", pt.context), ("content.agreement", _ref(pt.agreement))]
    rows = []
    for r in pt.units:
        a = r.assessment
        assessment = [_concept(m, "method", a.method, ASSESSMENT_METHODS), str(a.date)]
        if a.assessor is not None:
            assessment.append(m("content.assessor", name=_person(a.assessor)))
        if a.criteria:
            assessment.append(a.criteria)
        grade = [_text(m, a.grade), m("content.grade.scheme", scheme=_text(m, a.grading_scheme.title)),
                 m("content.passed" if a.passed else "content.not_passed")]
        rows.append((r.unit.code, [_cell(_text(m, r.unit.title)), _list([_text(m, o) for o in _outcomes(r.unit)]),
                                   _lines(assessment), _lines(grade), _cell(_pts(r.points_awarded))]))
    total = _pts(sum((r.points_awarded for r in pt.units), Decimal(0)))
    heads = ["content.unit.title", "content.outcomes", "content.assessment", "content.grade", "content.points"]
    return _dl(m, facts) + _table(m, "content.units", heads, rows, ("content.points.total", total))


def _agreement(m: Messages, la, signatures) -> str:
    from ..model.concepts import ACTIVITY_TYPES, ASSESSMENT_METHODS

    qualification = _text(m, la.qualification.title) + (f" (EQF {la.qualification.eqf_level})" if la.qualification.eqf_level else "")
    facts = _learner(m, la) + [
        ("content.guardian", _person(la.guardian)), ("content.home", _institution(la.home)),
        ("content.host", _institution(la.host)), ("content.intermediary", _institution(la.intermediary)),
        ("content.qualification", qualification),
        ("content.period", m("content.period.value", start=la.start, end=la.end)),
        ("content.place", _text(m, la.place)), ("content.activity", _concept(m, "activity", la.activity_type, ACTIVITY_TYPES)),
        ("content.daily_hours", _num(la.daily_hours) if la.daily_hours is not None else None),
        ("content.activities", la.learning_activities)]
    rows = [(u.code, [_cell(_text(m, u.title)), _list([_text(m, o) for o in _outcomes(u)]),
                      _cell(u.eqf_level), _cell(_pts(u.ecvet_points))]) for u in la.units]
    total = _pts(sum((u.ecvet_points for u in la.units), Decimal(0)))
    heads = ["content.unit.title", "content.outcomes", "content.eqf", "content.points"]
    parts = [_dl(m, facts), _table(m, "content.units.agreed", heads, rows, ("content.points.to_acquire", total))]
    arrangements = []
    for i, a in enumerate(la.assessment, 1):
        items = [("content.units", ", ".join(a.units) or m("content.all_units")),
                 ("content.methods", ", ".join(filter(None, (_concept(m, "method", x, ASSESSMENT_METHODS) for x in a.methods)))),
                 ("content.timing", a.timing), ("content.assessors", "; ".join(filter(None, map(_person, a.assessors)))),
                 ("content.criteria", a.criteria), ("content.recording", a.recording)]
        arrangements.append(f'<h4>{esc(m("content.assessment.n", n=i))}</h4>{_dl(m, items)}')
    parts.append(f'<section aria-labelledby="la-assessment"><h3 id="la-assessment">{esc(m("content.assessment.title"))}</h3>'
                 + "".join(arrangements) + "</section>")
    for key, arrangement in (("validation", la.validation), ("recognition", la.recognition)):
        items = [("content.responsible", "; ".join(filter(None, map(_person, arrangement.responsible)))),
                 ("content.how", arrangement.how)]
        parts.append(f'<section aria-labelledby="la-{key}"><h3 id="la-{key}">{esc(m("content." + key + ".title"))}</h3>'
                     f"{_dl(m, items)}</section>")
    if signatures is not None:
        parts.append(_signatures(m, signatures, la))
    return "\n".join(parts)


def _signatures(m: Messages, status, la) -> str:
    names = {"host": la.host.name, "home": la.home.name, "learner": la.learner.full_name,
             "guardian": la.guardian.name if la.guardian else None}
    rows = []
    for signer in status.required:
        signed = signer.role in status.signed
        when = status.signed[signer.role].created if signed else None
        word = m("signature.signed", date=when) if signed and when else m("signature.signed.nodate" if signed else "signature.missing")
        rows.append(f'<tr data-role="{esc(signer.role)}" data-signed="{"yes" if signed else "no"}"><th scope="row">'
                    f'{esc(_label(m, "role." + signer.role, signer.role))}</th><td>{_cell(names.get(signer.role))}</td><td>{esc(word)}</td><td><code>{esc(signer.did)}</code></td></tr>')
    note = f'<p>{esc(m("signature.invalid", n=len(status.invalid)))}</p>' if status.invalid else ""
    verdict = m("signature.complete" if status.complete else "signature.incomplete")
    return f"""<section aria-labelledby="la-signatures"><h3 id="la-signatures">{esc(m("signature.title"))}</h3>
<p>{esc(verdict)}</p>
<table id="signatures"><thead><tr><th scope="col">{esc(m("signature.party"))}</th><th scope="col">{esc(m("signature.name"))}</th><th scope="col">{esc(m("signature.state"))}</th>
<th scope="col">{esc(m("signature.did"))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{note}</section>"""


def _recognition(m: Messages, rec) -> str:
    qualification = _text(m, rec.qualification.title) + (f" (EQF {rec.qualification.eqf_level})" if rec.qualification.eqf_level else "")
    facts = _learner(m, rec) + [
        ("content.home", _institution(rec.home)), ("content.qualification", qualification),
        ("content.decision_date", rec.decision_date), ("content.responsible", _person(rec.responsible)),
        ("content.transcript_ref", _ref(rec.transcript)), ("content.agreement", _ref(rec.agreement))]
    rows = [(u.code, [_cell(_text(m, u.title)), _cell(m("content.yes" if u.recognised else "content.no")),
                      _cell(_pts(u.points))]) for u in rec.units]
    total = _pts(sum((u.points for u in rec.units if u.recognised), Decimal(0)))
    heads = ["content.unit.title", "content.recognised", "content.points"]
    return _dl(m, facts) + _table(m, "content.units", heads, rows, ("content.points.credited", total))


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
    head = f'<th scope="col">{esc(m("content.unit"))}</th>' + "".join(f'<th scope="col">{esc(m(h))}</th>' for h in heads)
    body = [f'<tr><th scope="row">{esc(code)}</th>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>" for code, cells in rows]
    return f"""<table id="units" data-rows="{len(rows)}">
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

    walk(document.get("credentialSubject"), "", 0)
    if not rows:
        return ""
    items = "".join(f"<tr><th scope=\"row\">{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<table id="claims"><caption>{esc(m("content.generic"))}</caption><tbody>{items}</tbody></table>'
