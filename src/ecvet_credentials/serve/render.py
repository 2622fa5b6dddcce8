"""Server-rendered HTML for the verification page. Every value from a request or a credential goes
through `esc` (html.escape, quotes included); markup is only ever built from our own strings."""
from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from ..verify.report import Outcome, VerificationReport
from .i18n import Messages

_OUTCOME_KEYS = {Outcome.PASSED: "outcome.passed", Outcome.FAILED: "outcome.failed",
                 Outcome.WARNING: "outcome.warning", Outcome.NOT_CHECKED: "outcome.not_checked"}
MAX_GENERIC_ROWS = 60


def esc(value: Any) -> str:
    return escape(str(value), quote=True)


def page(m: Messages, body: str, *, title: str | None = None) -> str:
    return f"""<!doctype html>
<html lang="{esc(m.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title or m("page.title"))}</title>
<link rel="stylesheet" href="/static/page.css">
<script src="/static/page.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><p class="brand">ECVET</p></header>
<main id="main">
{body}
</main>
<footer><p>{esc(m("footer"))}</p></footer>
</body>
</html>
"""


def form(m: Messages) -> str:
    return f"""<h1>{esc(m("page.title"))}</h1>
<p>{esc(m("page.lead"))} {esc(m("page.intro"))}</p>
<form method="post" action="/verify/upload" enctype="multipart/form-data" id="verify-form">
<fieldset>
<legend>{esc(m("form.legend"))}</legend>
<div class="drop" id="drop-zone">
<label for="file">{esc(m("form.file"))}</label>
<input type="file" id="file" name="file" accept="image/png,image/jpeg,application/json,.json,.jsonld" aria-describedby="file-hint">
<p class="hint" id="file-hint">{esc(m("form.file.hint"))}</p>
<p class="hint" id="drop-status" role="status" aria-live="polite" data-ready="{esc(m("drop.ready"))}"></p>
</div>
<label for="text">{esc(m("form.text"))}</label>
<textarea id="text" name="text" rows="6" spellcheck="false"></textarea>
<label for="agreement">{esc(m("form.agreement"))}</label>
<input type="file" id="agreement" name="agreement" accept="application/json,.json,.jsonld" aria-describedby="agreement-hint">
<p class="hint" id="agreement-hint">{esc(m("form.agreement.hint"))}</p>
</fieldset>
<button type="submit">{esc(m("form.submit"))}</button>
</form>
"""


def error(m: Messages, message: str) -> str:
    return f"""<h1>{esc(m("page.title"))}</h1>
<section class="result bad" role="alert" aria-labelledby="error-title">
<h2 id="error-title">{esc(m("error.title"))}</h2>
<p id="error-message">{esc(message)}</p>
</section>
<p><a href="/?lang={esc(m.lang)}">{esc(m("result.again"))}</a></p>
"""


def result(m: Messages, report: VerificationReport, document: dict) -> str:
    ok = report.verified
    verdict = m("result.verified" if ok else "result.not_verified")
    rows = []
    for check in report.checks:
        if check.outcome is Outcome.NOT_CHECKED and not check.required:
            continue  # did not apply to this document (e.g. holder binding for a credential)
        word = m(_OUTCOME_KEYS[check.outcome])
        rows.append(f'<li class="check {esc(check.outcome.value)}" data-check="{esc(check.id)}">'
                    f'<span class="mark">{esc(word)}</span> <strong>{esc(m("check." + check.id))}</strong>: '
                    f'{esc(check.message)} <code>{esc(check.code)}</code></li>')
    nested = report.extra.get("credentials") or []
    for i, sub in enumerate(nested, 1):
        word = m("result.verified" if sub.get("verified") else "result.not_verified")
        rows.append(f'<li class="check nested"><strong>{esc(i)}.</strong> {esc(_kind(m, sub.get("document") or {}))}: {esc(word)}</li>')
    return f"""<h1>{esc(m("page.title"))}</h1>
<section class="result {'good' if ok else 'bad'}" aria-labelledby="verdict">
<h2 id="verdict" role="status">{esc(m("result.title"))}: <span id="verdict-word">{esc(verdict)}</span></h2>
<p>{esc(m("result.verified.explain" if ok else "result.not_verified.explain"))}</p>
</section>
<section aria-labelledby="checks-title">
<h2 id="checks-title">{esc(m("result.checks"))}</h2>
<ul class="checks" id="checks">
{chr(10).join(rows)}
</ul>
</section>
{content(m, document, unconfirmed=_unconfirmed(report))}
<p><a href="/?lang={esc(m.lang)}">{esc(m("result.again"))}</a></p>
"""


def _kind(m: Messages, doc: dict) -> str:
    types = doc.get("type")
    types = types if isinstance(types, list) else [types]
    specific = [t for t in types if isinstance(t, str) and t != "VerifiableCredential"]
    t = specific[0] if specific else "VerifiableCredential"
    label = m("type." + t)
    return t if label == "type." + t else label


def _pts(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _dl(m: Messages, items: list[tuple[str, Any]]) -> str:
    return "<dl>" + "".join(f"<dt>{esc(m(k))}</dt><dd>{esc(v)}</dd>" for k, v in items if v not in (None, "")) + "</dl>"


def _unconfirmed(report: VerificationReport) -> bool:
    """Without a valid signature nothing the document says is established (it may have been altered)."""
    proof = report.get("proof")
    return proof is None or proof.outcome is not Outcome.PASSED


def content(m: Messages, document: dict, *, unconfirmed: bool = False) -> str:
    """The credential's content: ECVET documents through the model reader, anything else generically.
    `unconfirmed` (no valid signature) says so above it, so altered content is never shown as fact."""
    from ..model import credential_type, from_credential

    head = [("content.type", _kind(m, document)), ("content.id", document.get("id") if isinstance(document.get("id"), str) else None),
            ("content.issuer", _issuer(document))]
    kind = credential_type(document)
    body = ""
    if kind is not None:
        try:
            body = _ecvet(m, kind, from_credential(document))
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


def _issuer(doc: dict) -> str | None:
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        name, did = issuer.get("name"), issuer.get("id")
        name = name if isinstance(name, str) else None
        return f"{name} ({did})" if name and isinstance(did, str) else (name or (did if isinstance(did, str) else None))
    return issuer if isinstance(issuer, str) else None


def _ecvet(m: Messages, kind: str, model) -> str:
    if kind == "EcvetPersonalTranscript":
        facts = [("content.learner", model.learner.full_name), ("content.host", f"{model.host.name} ({model.host.country})"),
                 ("content.home", model.home.name if model.home else None),
                 ("content.period", m("content.period.value", start=model.start, end=model.end))]
        rows = [(r.unit.code, r.unit.title, [o.text for o in r.unit.outcomes],
                 f"{r.assessment.grade} ({r.assessment.grading_scheme.title})", _pts(r.points_awarded)) for r in model.units]
        total = _pts(sum((r.points_awarded for r in model.units), Decimal(0)))
        return _dl(m, facts) + _units(m, rows, total, grade=True)
    if kind == "EcvetLearningAgreement":
        facts = [("content.learner", model.learner.full_name), ("content.home", model.home.name),
                 ("content.host", model.host.name), ("content.qualification", model.qualification.title),
                 ("content.period", m("content.period.value", start=model.start, end=model.end))]
        rows = [(u.code, u.title, [o.text for o in u.outcomes], None, _pts(u.ecvet_points)) for u in model.units]
        return _dl(m, facts) + _units(m, rows, _pts(sum((u.ecvet_points for u in model.units), Decimal(0))), grade=False)
    facts = [("content.learner", model.learner.full_name), ("content.home", model.home.name),
             ("content.qualification", model.qualification.title),
             ("content.decision", f"{model.decision_date}, {model.responsible.name}")]
    rows = [(u.code, u.title, [], m("content.yes" if u.recognised else "content.no"), _pts(u.points)) for u in model.units]
    total = _pts(sum((u.points for u in model.units if u.recognised), Decimal(0)))
    return _dl(m, facts) + _units(m, rows, total, grade=False, recognised=True)


def _units(m: Messages, rows, total: str, *, grade: bool, recognised: bool = False) -> str:
    third = "content.recognised" if recognised else "content.grade"
    show_third = grade or recognised
    head = (f'<th scope="col">{esc(m("content.unit"))}</th><th scope="col">{esc(m("content.unit.title"))}</th>'
            f'<th scope="col">{esc(m("content.outcomes"))}</th>'
            + (f'<th scope="col">{esc(m(third))}</th>' if show_third else "")
            + f'<th scope="col">{esc(m("content.points"))}</th>')
    body = []
    for code, title, outcomes, third_value, points in rows:
        items = "".join(f"<li>{esc(o)}</li>" for o in outcomes)
        body.append(f'<tr><th scope="row">{esc(code)}</th><td>{esc(title)}</td><td>{"<ul>" + items + "</ul>" if items else ""}</td>'
                    + (f"<td>{esc(third_value)}</td>" if show_third else "") + f"<td>{esc(points)}</td></tr>")
    span = 4 if show_third else 3
    return f"""<table id="units">
<caption>{esc(m("content.units"))}</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
<tfoot><tr><th scope="row" colspan="{span}">{esc(m("content.points.total"))}</th><td>{esc(total)}</td></tr></tfoot>
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
