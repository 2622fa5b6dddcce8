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

from ecvet_credentials.core.timeutil import utc_now, utc_today
from ecvet_credentials.render.html.views import ROLE_LABELS, check_rows, document_body, esc, is_unconfirmed, kind_label
from ecvet_credentials.i18n import N_, Messages
from ecvet_credentials.ecvet.institution import InstitutionProfile
from ecvet_credentials.verify.report import VerificationReport, Verdict
from ecvet_credentials.render.extract import script_block
from ecvet_credentials.verify.render_text import LABELS as CHECK_LABELS
from ecvet_credentials.render.letterhead import Issuer, issuer_of, letterhead, signatory_block
from ecvet_credentials.render.words import Words

AGREEMENT = "EcvetLearningAgreement"
VERDICT_WORDS = {Verdict.VERIFIED: N_("Verified"), Verdict.ISSUER_NOT_RECOGNISED: N_("Genuine signature, issuer not recognised"),
                 Verdict.COULD_NOT_CHECK: N_("Could not check"), Verdict.NOT_VERIFIED: N_("Not verified")}
VERDICT_TEXTS = {
    Verdict.VERIFIED: N_("Checked on {date}: every required check passed and the issuer, {issuer}, is recognised by "
                         "a trust registry the checker trusts."),
    Verdict.ISSUER_NOT_RECOGNISED: N_("Checked on {date}: the signature is genuine, but no trust registry the checker "
                                      "trusts vouches for the issuer, who claims to be {issuer}. Not verified."),
    Verdict.COULD_NOT_CHECK: N_("Checked on {date}: something required could not be checked ({checks}). Not verified: "
                                "check it again with the QR code."),
    Verdict.NOT_VERIFIED: N_("Checked on {date}: a check failed ({checks}). Do not rely on this document."),
}


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return (Path(__file__).resolve().parent / "print.css").read_text(encoding="utf-8")


def _csp() -> str:
    # exactly this stylesheet and inline images (the logo, data: only); nothing else loads or runs
    digest = base64.b64encode(hashlib.sha256(stylesheet().encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:"


def paper_codes(credential: dict, *, agreement: dict | None = None, catalogue: bool = False):
    """The QR encoding printed for a credential: its compact JSON (same proof), self-contained (any employer
    reads it; two codes when one is too small). With `catalogue` the agreement's unit catalogue is the
    dictionary (one smaller code only the home institution, holding the agreement, can read), except for
    a Learning Agreement (whose code must not need itself). Returns (encoding, agreement used or None)."""
    from ecvet_credentials.model import credential_type
    from ecvet_credentials.render.qr import encode_credential

    compact = json.dumps(credential, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    use = agreement if catalogue and agreement is not None and credential_type(credential) != AGREEMENT else None
    return encode_credential(compact, agreement=use, dictionary="catalogue" if use is not None else "builtin"), use


def render_printable(credential: dict, *, raw: bytes | None = None, agreement: dict | None = None,
                     report: VerificationReport | None = None, lang: str | None = None,
                     checked_at: datetime | str | None = None, resolver=None,
                     profile: InstitutionProfile | None = None, home: Path | None = None,
                     catalogue: bool = False) -> str:
    """The document as HTML. `raw`: the credential's exact file bytes (embedded as they are; default a
    JSON dump of `credential`). `report`: the verification result as of `checked_at` (default now); without
    one the page says it was not checked. `profile`/`home`: the institution profile whose letterhead and
    signatory are printed when its DID issued the credential. `lang`: the reader's language (default: the
    current one, `ecvet --lang` or the environment). `resolver` resolves an LA's signers. The QR codes are
    self-contained unless `catalogue` (see paper_codes)."""
    from ecvet_credentials.model import credential_type

    raw = raw if raw is not None else json.dumps(credential, indent=2, ensure_ascii=False).encode("utf-8")
    m = Messages(lang)
    w = Words(m)
    when = _when(checked_at)
    kind = credential_type(credential)
    issuer = issuer_of(credential, profile, home, report=report, resolver=resolver)
    valid_from = credential.get("validFrom")
    issued = valid_from[:10] if isinstance(valid_from, str) else None
    heading = kind_label(m, credential)
    warning, details = "", w("Details")
    if report is not None and is_unconfirmed(report):  # no valid signature: nothing below is established
        details = m("What the document claims (not confirmed)")
        warning = ('<p class="unconfirmed" role="note"><strong>' + esc(m("The signature does not match, so none of "
                   "this is confirmed: the document may have been altered. Do not rely on it; ask the issuer for the "
                   "original.")) + "</strong></p>")
    signing = (_parties(m, credential, report, when, resolver) if kind == AGREEMENT
               else signatory_block(m, issuer, signed_on=issued))
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
{letterhead(m, issuer)}
<div class="title">
<h1 id="doc-title">{esc(heading)}</h1>
<p class="ecvet">{esc(w("European Credit system for Vocational Education and Training (ECVET)"))}</p>
{f'<p class="learner-name" id="learner-name">{esc(learner)}</p>' if learner else ""}
<p class="meta">{esc(w("Document"))}: <code class="docref">{esc(credential.get("id") or "?")}</code>{" · " + esc(w("Issued")) + ": " + esc(issued) if issued else ""}</p>
</div>
<main>
{_check_box(m, credential, agreement, report, when, issuer, catalogue)}
<section aria-labelledby="content-title"><h2 id="content-title">{esc(details)}</h2>
{warning}
{_units_heading(m, document_body(m, credential))}
</section>
{signing}
{_technical(m, credential, raw, report, when)}
</main>
{script_block(raw)}
</body>
</html>
"""


def _units_heading(m: Messages, body: str) -> str:
    """A heading kept with the unit table (the table's own caption is hidden in print: a caption can be left
    alone at the foot of a page when its table moves on, a heading with break-after: avoid cannot)."""
    heading = f'<h3 class="units-heading" id="units-heading">{esc(m("Units of learning outcomes"))}</h3>'
    return body.replace('<table id="units"', heading + '<table id="units"', 1)


def _learner_name(credential: dict) -> str | None:
    from ecvet_credentials.model import MemorandumOfUnderstanding, from_credential

    try:
        document = from_credential(credential)
        return None if isinstance(document, MemorandumOfUnderstanding) else document.learner.full_name  # an MoU has none
    except Exception:  # noqa: BLE001 - an unreadable credential is described by the content section
        return None


def _when(value: datetime | str | None) -> str:
    if isinstance(value, str):
        return value
    value = value or utc_now()
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


# --- the verification box ----------------------------------------------------------------------------

def _check_box(m: Messages, credential: dict, agreement, report, when: str, issuer: Issuer, catalogue: bool) -> str:
    w = Words(m)
    url = issuer.profile.verification_url if issuer.profile is not None else ""
    if report is None:
        word, css = w("Not checked when printed"), "unchecked"
        text = (w("This page was printed without checking the credential. Check it yourself: scan the QR code or "
                  "open {url}.", url=url) if url else
                w("This page was printed without checking the credential. Check it yourself: scan the QR code."))
    else:
        verdict = report.verdict
        word, css = m(VERDICT_WORDS[verdict]), verdict.value
        names = ", ".join(m(CHECK_LABELS[c.id]) if c.id in CHECK_LABELS else c.id for c in report.failed_checks) or "?"
        named = f"{issuer.name} ({issuer.did})" if issuer.name and issuer.did else issuer.name or issuer.did or "?"
        text = w(VERDICT_TEXTS[verdict], date=when, checks=names, issuer=named)
    codes, n = _codes(m, credential, agreement, url, catalogue)
    steps = [w("Scan the QR code with any ECVET verifier: it holds the whole signed credential.") if n <= 1
             else w("Scan all {n} QR codes with any ECVET verifier: together they hold the whole signed credential.", n=n),
             w("This document's file (PDF or HTML) carries the same signed credential: ecvet verify reads it."), w("The printed text alone proves nothing: compare it with what the verifier shows.")]
    items = "".join(f"<li>{esc(s)}</li>" for s in steps)
    return f"""<section class="check-box {esc(css)}" id="check-box" data-verdict="{esc(css)}" aria-labelledby="check-title">
<div class="words">
<h2 id="check-title">{esc(w("Verification"))}</h2>
<p class="verdict" id="verdict-word">{esc(word)}</p>
<p id="verdict-text">{esc(text)}</p>
{f'<p class="address" id="verification-address">{esc(w("Verify at {url}", url=url))}</p>' if url else ""}
<ul class="small">{items}</ul>
</div>
{codes}
</section>"""


def _codes(m: Messages, credential: dict, agreement, url: str, catalogue: bool) -> tuple[str, int]:
    w = Words(m)
    from ecvet_credentials.core.errors import QrPayloadError
    from ecvet_credentials.render.qr.images import svg_text

    try:
        encoding, catalogue_of = paper_codes(credential, agreement=agreement, catalogue=catalogue)
    except QrPayloadError as exc:  # too large even in 16 codes: say so rather than print no way to check
        if exc.code == "QR_CONTACT_DETAILS":  # the address and telephone are printed, but not put in a code
            note = m("No QR code: this document carries the learner's or guardian's address or telephone, which QR "
                     "codes leave out (anyone scanning a code could read them). Ask the holder for the credential "
                     "file and check that instead.")
            return f'<p id="no-qr">{esc(note)}</p>', 0
        return f'<p id="no-qr">{esc(m("This credential is too large for QR codes on paper ({reason}). Ask the holder for the credential file and check that instead.", reason=exc))}</p>', 0
    n = len(encoding.texts)
    where = w("Verify at {url}", url=url) if url else w("Verify with ecvet verify or any ECVET verification page")
    figures = []
    for i, (text, version) in enumerate(zip(encoding.texts, encoding.versions), 1):
        caption = m("QR code {i} of {n} (version {version})", i=i, n=n, version=version) + ". " + where
        if catalogue_of is not None:
            caption += ". " + m("The code was made with the unit catalogue of the Learning Agreement {id}: the verifier needs that agreement too (the verification page's agreement field, or --agreement).", id=catalogue_of.get("id") or "?")
        # data-qr-text: the code's text, so tools (and our tests) can read it back without a camera
        figures.append(f'<figure class="qr" data-qr-text="{esc(text)}">'
                       f'<div role="img" aria-label="{esc(m("QR code {i} of {n} holding the signed credential", i=i, n=n))}">{svg_text(text)}</div>'
                       f'<figcaption>{esc(caption)}</figcaption></figure>')
    return f'<div class="codes">{"".join(figures)}</div>', n


# --- a Learning Agreement's parties ------------------------------------------------------------------

def _parties(m: Messages, credential: dict, report, when: str, resolver) -> str:
    """One row per party that must sign: name, whether its digital signature is on the agreement, and a
    line for a handwritten signature. 'Verified' is said only when the whole agreement was verified."""
    w = Words(m)
    from ecvet_credentials.core.errors import EcvetError
    from ecvet_credentials.verify.agreement_signatures import signature_status
    from ecvet_credentials.model import agreement_from_credential

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
            state = w("signed digitally on {date}", date=proof.created) if proof.created else w("signed digitally")
        else:
            state = m("NOT SIGNED")
        role = m(ROLE_LABELS[signer.role]) if signer.role in ROLE_LABELS else signer.role
        rows.append(f'<tr data-role="{esc(signer.role)}" data-signed="{"yes" if proof else "no"}"><th scope="row">{esc(role)}</th>'
                    f'<td>{esc(names.get(signer.role) or "")}</td><td>{esc(state)}<br><code>{esc(signer.did)}</code></td>'
                    f'<td class="line"></td></tr>')
    n, k = len(status.required), len(status.signed)
    verified = report is not None and report.verdict is Verdict.VERIFIED
    summary = (w("All {n} parties have signed this agreement digitally; the whole agreement was verified on {date}.", n=n, date=when) if k == n and verified
               else w("All {n} parties have signed this agreement digitally.", n=n) if k == n else w("{k} of {n} parties have signed this agreement digitally.", k=k, n=n))
    invalid = f'<p>{esc(w("{n} signature(s) on the agreement do not verify.", n=len(status.invalid)))}</p>' if status.invalid else ""
    return f"""<section class="signing" aria-labelledby="signing-title">
<h2 id="signing-title">{esc(m("Signatures"))}</h2>
<p id="signature-summary">{esc(summary)}</p>{invalid}
<table class="parties" id="signatures"><thead><tr><th scope="col">{esc(m("Party"))}</th><th scope="col">{esc(m("Name"))}</th>
<th scope="col">{esc(w("Digital signature"))}</th><th scope="col">{esc(w("Handwritten signature"))}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</section>"""


# --- the last page -----------------------------------------------------------------------------------

def _technical(m: Messages, credential: dict, raw: bytes, report, when: str) -> str:
    w = Words(m)
    start, end = credential.get("validFrom"), credential.get("validUntil")
    valid = (w("from {start} until {end}", start=start, end=end) if start and end
             else w("from {start}", start=start) if start else None)
    issuer = credential.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    status = credential.get("credentialStatus")
    status = status if isinstance(status, list) else [status] if isinstance(status, dict) else []
    entries = "; ".join(f"{s.get('statusPurpose')}: {s.get('statusListCredential')} #{s.get('statusListIndex')}"
                        for s in status if isinstance(s, dict))
    types = credential.get("type")
    facts = [(m("Credential id"), credential.get("id")), (m("Type"), ", ".join(map(str, types)) if isinstance(types, list) else types),
             (w("Issuer (DID)"), issuer), (w("Valid"), valid), (w("Status list entries"), entries or None),
             (w("SHA-256 of the embedded credential"), hashlib.sha256(raw).hexdigest())]
    dl = "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd><code>{esc(v)}</code></dd>" for k, v in facts if v) + "</dl>"
    proofs = credential.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if isinstance(proofs, dict) else []
    heads = (w("Cryptosuite"), w("Verification method"), w("Created"), w("Purpose"))
    rows = "".join("<tr>" + "".join(f"<td><code>{esc(p.get(k) or '')}</code></td>" for k in
                                    ("cryptosuite", "verificationMethod", "created", "proofPurpose")) + "</tr>"
                   for p in proofs if isinstance(p, dict))
    table = (f'<table id="proofs"><caption>{esc(w("Proofs"))}</caption><thead><tr>'
             + "".join(f'<th scope="col">{esc(h)}</th>' for h in heads) + f"</tr></thead><tbody>{rows}</tbody></table>")
    if report is not None:
        checks = (f'<h3>{esc(w("Checks run on {date}", date=when))}</h3><ul class="checks" id="checks">'
                  + "\n".join(check_rows(m, report)) + "</ul>")
    else:
        checks = f'<p id="checks-none">{esc(w("No checks were run when this page was printed."))}</p>'
    printed = utc_today().isoformat()
    return f"""<section class="technical" id="technical" aria-labelledby="technical-title">
<h2 id="technical-title">{esc(w("Technical details"))}</h2>
{dl}{table}{checks}
<p class="small">{esc(w("Printed on {date} by ecvet-credentials.", date=printed))}</p>
</section>"""

