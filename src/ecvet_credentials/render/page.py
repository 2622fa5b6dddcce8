"""The printable document: one self-contained A4 HTML page per credential, laid out as an institution's
official paper (letterhead, the ECVET heading in the reader's language, the verification box with the QR
code(s) and the verification address, the content, the signatures, technical details on a last page),
carrying the exact signed credential twice: as QR code(s) and as a data block (extract.script_block).

    html = render_printable(credential, raw=file_bytes, agreement=la, report=report, profile=profile, home=home)

Print it from a browser, or make a PDF/A-3 with the credential attached (render.pdf.render_pdf). The page
loads nothing and runs nothing (a Content-Security-Policy says so); every value is escaped (html.views.esc).
"""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from ..html.i18n import Messages
from ..html.views import check_rows, document_body, esc, is_unconfirmed
from ..institution import InstitutionProfile
from ..verify.report import VerificationReport, Verdict
from .extract import script_block
from .labels import label
from .letterhead import Issuer, issuer_of, letterhead, signatory_block

AGREEMENT = "EcvetLearningAgreement"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return (Path(__file__).resolve().parent / "print.css").read_text(encoding="utf-8")


def _csp() -> str:
    # exactly this stylesheet and inline images (the logo, data: only); nothing else loads or runs
    digest = base64.b64encode(hashlib.sha256(stylesheet().encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:"


def paper_codes(credential: dict, *, agreement: dict | None = None):
    """The QR encoding printed for a credential: its compact JSON (same proof), with the agreement's unit
    catalogue as dictionary when given, except for a Learning Agreement (whose code must not need itself)."""
    from ..model import credential_type
    from ..qr import encode_credential

    compact = json.dumps(credential, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    use = agreement if agreement is not None and credential_type(credential) != AGREEMENT else None
    return encode_credential(compact, agreement=use), use


def render_printable(credential: dict, *, raw: bytes | None = None, agreement: dict | None = None,
                     report: VerificationReport | None = None, lang: str = "en",
                     checked_at: datetime | str | None = None, resolver=None,
                     profile: InstitutionProfile | None = None, home: Path | None = None) -> str:
    """The document as HTML. `raw`: the credential's exact file bytes (embedded as they are; default a
    JSON dump of `credential`). `report`: the verification result as of `checked_at` (default now); without
    one the page says it was not checked. `profile`/`home`: the institution profile whose letterhead and
    signatory are printed when its DID issued the credential. `resolver` resolves an LA's signers."""
    from ..model import credential_type

    raw = raw if raw is not None else json.dumps(credential, indent=2, ensure_ascii=False).encode("utf-8")
    m = Messages(lang)
    when = _when(checked_at)
    kind = credential_type(credential)
    issuer = issuer_of(credential, profile, home)
    issued = credential.get("validFrom")[:10] if isinstance(credential.get("validFrom"), str) else None
    heading = label(lang, f"doc.{kind}") if kind else _type_name(credential)
    warning, details = "", label(lang, "doc.details")
    if report is not None and is_unconfirmed(report):  # no valid signature: nothing below is established
        details = m("content.title.unconfirmed")
        warning = f'<p class="unconfirmed" role="note"><strong>{esc(m("content.unconfirmed"))}</strong></p>'
    signing = (_parties(m, credential, report, when, resolver) if kind == AGREEMENT
               else signatory_block(lang, issuer, signed_on=issued))
    learner = _learner_name(credential) if kind else None
    return f"""<!doctype html>
<html lang="{esc(m.lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(_csp())}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{esc(heading + (": " + learner if learner else ""))}</title>
<style>{stylesheet()}</style>
</head>
<body>
{letterhead(lang, issuer)}
<div class="title">
<h1 id="doc-title">{esc(heading)}</h1>
<p class="ecvet">{esc(label(lang, "doc.ecvet"))}</p>
{f'<p class="learner-name" id="learner-name">{esc(learner)}</p>' if learner else ""}
<p class="meta">{esc(label(lang, "doc.number"))}: <code class="docref">{esc(credential.get("id") or "?")}</code>{f" · {esc(label(lang, 'doc.issued'))}: {esc(issued)}" if issued else ""}</p>
</div>
<main>
{_check_box(m, credential, agreement, report, when, issuer)}
<section aria-labelledby="content-title"><h2 id="content-title">{esc(details)}</h2>
{warning}
{_units_heading(lang, document_body(m, credential))}
</section>
{signing}
{_technical(m, credential, raw, report, when)}
</main>
{script_block(raw)}
</body>
</html>
"""


def _units_heading(lang: str, body: str) -> str:
    """A heading kept with the unit table (the table's own caption is hidden in print: a caption can be left
    alone at the foot of a page when its table moves on, a heading with break-after: avoid cannot)."""
    heading = f'<h3 class="units-heading" id="units-heading">{esc(label(lang, "doc.units"))}</h3>'
    return body.replace('<table id="units"', heading + '<table id="units"', 1)


def _type_name(credential: dict) -> str:
    types = credential.get("type")
    types = types if isinstance(types, list) else [types]
    named = [t for t in types if isinstance(t, str) and t != "VerifiableCredential"]
    return named[0] if named else "Verifiable Credential"


def _learner_name(credential: dict) -> str | None:
    from ..model import from_credential

    try:
        return from_credential(credential).learner.full_name
    except Exception:  # noqa: BLE001 - an unreadable credential is described by the content section
        return None


def _when(value: datetime | str | None) -> str:
    if isinstance(value, str):
        return value
    value = value or datetime.now(timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


# --- the verification box ----------------------------------------------------------------------------

def _check_box(m: Messages, credential: dict, agreement, report, when: str, issuer: Issuer) -> str:
    lang = m.lang
    url = issuer.profile.verification_url if issuer.profile is not None else ""
    where = label(lang, "verdict.where", url=url) if url else ""
    if report is None:
        key, css, text = "verdict.none", "unchecked", label(lang, "verdict.none.text", where=where)
    else:
        verdict = report.verdict
        key, css = f"verdict.{verdict.value}", verdict.value
        names = ", ".join(m("check." + c.id) for c in report.failed_checks) or "?"
        claimed = issuer.name or issuer.did or "?"
        text = label(lang, f"verdict.{verdict.value}.text", date=when, checks=names, issuer=claimed)
        if verdict is Verdict.VERIFIED and issuer.name and issuer.did:
            text = label(lang, "verdict.verified.text", date=when, checks=names, issuer=f"{issuer.name} ({issuer.did})")
    codes, n = _codes(m, credential, agreement, url)
    steps = [label(lang, "verify.scan" if n <= 1 else "verify.scan.many", n=n, where=where),
             label(lang, "verify.embedded"), label(lang, "verify.paper")]
    items = "".join(f"<li>{esc(s)}</li>" for s in steps)
    return f"""<section class="check-box {esc(css)}" id="check-box" data-verdict="{esc(css)}" aria-labelledby="check-title">
<div class="words">
<h2 id="check-title">{esc(label(lang, "doc.verification"))}</h2>
<p class="verdict" id="verdict-word">{esc(label(lang, key))}</p>
<p id="verdict-text">{esc(text)}</p>
{f'<p class="address" id="verification-address">{esc(label(lang, "verify.at", url=url))}</p>' if url else ""}
<ul class="small">{items}</ul>
</div>
{codes}
</section>"""


def _codes(m: Messages, credential: dict, agreement, url: str) -> tuple[str, int]:
    from ..errors import QrPayloadError
    from ..qr.images import svg_text

    try:
        encoding, catalogue_of = paper_codes(credential, agreement=agreement)
    except QrPayloadError as exc:  # too large even in 16 codes: say so rather than print no way to check
        return f'<p id="no-qr">{esc(m("print.qr.none", reason=exc))}</p>', 0
    n = len(encoding.texts)
    where = label(m.lang, "verify.at", url=url) if url else label(m.lang, "verify.any")
    figures = []
    for i, (text, version) in enumerate(zip(encoding.texts, encoding.versions), 1):
        caption = m("print.qr.caption", i=i, n=n, version=version) + ". " + where
        if catalogue_of is not None:
            caption += ". " + m("print.howto.catalogue", id=catalogue_of.get("id") or "?")
        # data-qr-text: the code's text, so tools (and our tests) can read it back without a camera
        figures.append(f'<figure class="qr" data-qr-text="{esc(text)}">'
                       f'<div role="img" aria-label="{esc(m("print.qr.label", i=i, n=n))}">{svg_text(text)}</div>'
                       f'<figcaption>{esc(caption)}</figcaption></figure>')
    return f'<div class="codes">{"".join(figures)}</div>', n


# --- a Learning Agreement's parties ------------------------------------------------------------------

def _parties(m: Messages, credential: dict, report, when: str, resolver) -> str:
    """One row per party that must sign: name, whether its digital signature is on the agreement, and a
    line for a handwritten signature. 'Verified' is said only when the whole agreement was verified."""
    from ..errors import EcvetError
    from ..la_signatures import signature_status
    from ..model import agreement_from_credential

    lang = m.lang
    try:
        la = agreement_from_credential(credential)
        status = signature_status(credential, resolver=resolver)
    except EcvetError:  # not a readable agreement: the content section says so
        return ""
    names = {"host": la.host.name, "home": la.home.name, "learner": la.learner.full_name,
             "guardian": la.guardian.name if la.guardian else None}
    rows = []
    for signer in status.required:
        proof = status.signed.get(signer.role)
        if proof is not None:
            state = label(lang, "sign.party.signed", date=proof.created) if proof.created else label(lang, "sign.party.signed.nodate")
        else:
            state = label(lang, "sign.party.missing")
        role = m("role." + signer.role)
        rows.append(f'<tr data-role="{esc(signer.role)}" data-signed="{"yes" if proof else "no"}"><th scope="row">{esc(role)}</th>'
                    f'<td>{esc(names.get(signer.role) or "")}</td><td>{esc(state)}<br><code>{esc(signer.did)}</code></td>'
                    f'<td class="line"></td></tr>')
    n, k = len(status.required), len(status.signed)
    verified = report is not None and report.verdict is Verdict.VERIFIED
    summary = (label(lang, "sign.all.checked", n=n, date=when) if k == n and verified
               else label(lang, "sign.all", n=n) if k == n else label(lang, "sign.some", k=k, n=n))
    invalid = f'<p>{esc(label(lang, "sign.invalid", n=len(status.invalid)))}</p>' if status.invalid else ""
    return f"""<section class="signing" aria-labelledby="signing-title">
<h2 id="signing-title">{esc(label(lang, "doc.signatures"))}</h2>
<p id="signature-summary">{esc(summary)}</p>{invalid}
<table class="parties" id="signatures"><thead><tr><th scope="col">{esc(m("signature.party"))}</th><th scope="col">{esc(m("signature.name"))}</th>
<th scope="col">{esc(m("signature.state"))}</th><th scope="col">{esc(label(lang, "sign.signature"))}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</section>"""


# --- the last page -----------------------------------------------------------------------------------

def _technical(m: Messages, credential: dict, raw: bytes, report, when: str) -> str:
    lang = m.lang
    start, end = credential.get("validFrom"), credential.get("validUntil")
    valid = (label(lang, "tech.valid.value", start=start, end=end) if start and end
             else label(lang, "tech.valid.open", start=start) if start else None)
    issuer = credential.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    status = credential.get("credentialStatus")
    status = status if isinstance(status, list) else [status] if isinstance(status, dict) else []
    entries = "; ".join(f"{s.get('statusPurpose')}: {s.get('statusListCredential')} #{s.get('statusListIndex')}"
                        for s in status if isinstance(s, dict))
    facts = [("tech.id", credential.get("id")), ("tech.type", ", ".join(map(str, credential.get("type") or []))
              if isinstance(credential.get("type"), list) else credential.get("type")),
             ("tech.issuer", issuer), ("tech.valid", valid), ("tech.status", entries or None),
             ("tech.digest", hashlib.sha256(raw).hexdigest())]
    dl = "<dl>" + "".join(f"<dt>{esc(label(lang, k))}</dt><dd><code>{esc(v)}</code></dd>" for k, v in facts if v) + "</dl>"
    proofs = credential.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if isinstance(proofs, dict) else []
    heads = ("tech.proof.suite", "tech.proof.method", "tech.proof.created", "tech.proof.purpose")
    rows = "".join("<tr>" + "".join(f"<td><code>{esc(p.get(k) or '')}</code></td>" for k in
                                    ("cryptosuite", "verificationMethod", "created", "proofPurpose")) + "</tr>"
                   for p in proofs if isinstance(p, dict))
    table = (f'<table id="proofs"><caption>{esc(label(lang, "tech.proofs"))}</caption><thead><tr>'
             + "".join(f'<th scope="col">{esc(label(lang, h))}</th>' for h in heads) + f"</tr></thead><tbody>{rows}</tbody></table>")
    if report is not None:
        checks = (f'<h3>{esc(label(lang, "tech.checks", date=when))}</h3><ul class="checks" id="checks">'
                  + "\n".join(check_rows(m, report)) + "</ul>")
    else:
        checks = f'<p id="checks-none">{esc(label(lang, "tech.checks.none"))}</p>'
    printed = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    return f"""<section class="technical" id="technical" aria-labelledby="technical-title">
<h2 id="technical-title">{esc(label(lang, "doc.technical"))}</h2>
{dl}{table}{checks}
<p class="small">{esc(label(lang, "tech.printed", date=printed))}</p>
</section>"""

