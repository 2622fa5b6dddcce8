"""Printable output: one self-contained, print-friendly HTML document per credential, carrying the whole
signed credential in QR code(s) so that the paper can still be verified.

    html = render_printable(credential, agreement=la, report=report)   # then the browser's "Save as PDF"

Why HTML and not PDF: every browser prints HTML to PDF well (A4 `@page` CSS below), and it keeps the
project free of a PDF library. The document loads nothing (no external resources, no JavaScript; a
Content-Security-Policy says so to the browser) and every value is escaped (html.views.esc).
"""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone

from .i18n import Messages
from .html.views import check_rows, content, esc, is_unconfirmed, issuer_text, kind_label
from .verify.report import VerificationReport

PRINT_CSS = """
@page { size: A4; margin: 15mm 15mm 17mm; }
* { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
:root { color: #000; background: #fff; font: 10pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
body { margin: 0 auto; max-width: 180mm; }
@media screen { body { padding: 10mm; } }
.brand { font-weight: 700; letter-spacing: .15em; margin: 0; }
h1 { font-size: 16pt; margin: 1mm 0 2mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; padding-bottom: .5mm; border-bottom: .4mm solid #000; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
h4 { font-size: 10pt; margin: 3mm 0 1mm; break-after: avoid; }
p { margin: 1mm 0; }
dl { display: grid; grid-template-columns: 42mm 1fr; gap: .8mm 4mm; margin: 2mm 0; }
dt { font-weight: 700; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; }
caption { text-align: left; font-weight: 700; padding: 1mm 0; }
th, td { border: .25mm solid #333; padding: 1.2mm 1.5mm; vertical-align: top; text-align: left; }
thead { display: table-header-group; } tr { break-inside: avoid; }
tbody th { white-space: nowrap; }
ul { margin: 0; padding-left: 4mm; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; overflow-wrap: anywhere; }
.how { border: .6mm solid #000; padding: 3mm 4mm; margin: 4mm 0; break-inside: avoid; }
.how h2 { margin-top: 0; }
.how-body { display: flex; flex-wrap: wrap; gap: 3mm 6mm; align-items: flex-start; }
.how-body ul { flex: 1 1 70mm; }
.codes { display: flex; flex-wrap: wrap; gap: 4mm; }
figure.qr { margin: 0; break-inside: avoid; }
figure.qr svg { display: block; }
figcaption { font-size: 8pt; }
.result { border-left: 3mm solid #000; padding: 1mm 3mm; margin: 3mm 0; break-inside: avoid; }
.result.good { border-color: #1b6b34; } .result.bad { border-color: #a0001c; }
.checks { list-style: none; padding: 0; }
.check { padding: .6mm 0; border-bottom: .2mm solid #999; }
.mark { display: inline-block; min-width: 24mm; font-weight: 700; }
.unconfirmed { border: .6mm solid #a0001c; padding: 2mm; }
footer { margin-top: 6mm; font-size: 8pt; border-top: .2mm solid #000; }
"""
# The policy allows exactly this stylesheet: nothing else loads or runs, even if a value slipped escaping.
_CSP = ("default-src 'none'; style-src 'sha256-"
        + base64.b64encode(hashlib.sha256(PRINT_CSS.encode("utf-8")).digest()).decode("ascii") + "'")


def paper_codes(credential: dict, *, agreement: dict | None = None, catalogue: bool = False):
    """The QR encoding printed for a credential: its compact JSON (same proof), self-contained (any employer
    reads it; two codes when one is too small). With `catalogue` the agreement's unit catalogue is the
    dictionary (one smaller code only the home institution, holding the agreement, can read), except for
    a Learning Agreement (whose code must not need itself). Returns (encoding, agreement used or None)."""
    from .model import credential_type
    from .qr import encode_credential

    compact = json.dumps(credential, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    use = agreement if catalogue and agreement is not None and credential_type(credential) != "EcvetLearningAgreement" else None
    return encode_credential(compact, agreement=use, dictionary="catalogue" if use is not None else "builtin"), use


def render_printable(credential: dict, *, agreement: dict | None = None, report: VerificationReport | None = None,
                     lang: str = "en", checked_at: datetime | str | None = None, resolver=None,
                     catalogue: bool = False) -> str:
    """One self-contained HTML document (A4, no external resources, no script) showing the credential in
    plain words, its QR code(s) and how to check them; with `report`, the verification result as of
    `checked_at` (default now). `resolver` (dids.DidResolver) resolves a Learning Agreement's signers
    when they are not did:key. The codes are self-contained unless `catalogue` (see paper_codes)."""
    m = Messages(lang)
    signatures = _signatures(credential, resolver)
    unconfirmed = is_unconfirmed(report) if report is not None else False
    body = [_result(m, report, checked_at), _how_to_check(m, credential, agreement, catalogue),
            content(m, credential, unconfirmed=unconfirmed, signatures=signatures)]
    heading, subtitle = _heading(m, credential)
    printed = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    return f"""<!doctype html>
<html lang="{esc(m.lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{esc(heading)}</title>
<style>{PRINT_CSS}</style>
</head>
<body>
<header>
<p class="brand">ECVET</p>
<h1>{esc(heading)}</h1>
{f"<p>{esc(subtitle)}</p>" if subtitle else ""}
</header>
<main>
{chr(10).join(body)}
</main>
<footer><p>{esc(m("Printed on {date} by ecvet-credentials. Save as PDF from the browser's print dialog keeps the QR code.", date=printed))}</p></footer>
</body>
</html>
"""


def _heading(m: Messages, credential: dict) -> tuple[str, str | None]:
    from .model import credential_type, from_credential

    title = kind_label(m, credential)
    if credential_type(credential) is not None:
        try:
            title += f": {from_credential(credential).learner.full_name}"
        except Exception:  # noqa: BLE001 - an unreadable credential is described by the content section
            pass
    issuer, issued = issuer_text(credential), credential.get("validFrom")
    if isinstance(issuer, str) and isinstance(issued, str):
        return title, m("Issued by {issuer} on {date}", issuer=issuer, date=issued[:10])
    return title, None


def _signatures(credential: dict, resolver):
    from .model import credential_type

    if credential_type(credential) != "EcvetLearningAgreement":
        return None
    from .errors import EcvetError
    from .la_signatures import signature_status

    try:
        return signature_status(credential, resolver=resolver)
    except EcvetError:  # not a readable agreement: the content section says so
        return None


def _when(value: datetime | str | None) -> str:
    if isinstance(value, str):
        return value
    value = value or datetime.now(timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _result(m: Messages, report: VerificationReport | None, checked_at) -> str:
    if report is None:
        return f'<p class="result" id="not-checked">{esc(m("This document was not checked when it was printed: check it yourself with the QR code."))}</p>'
    ok = report.verified
    verdict = (m("Verified") if ok else m("Not verified"))
    return f"""<section class="result {'good' if ok else 'bad'}" aria-labelledby="verdict">
<h2 id="verdict">{esc(m("Verification result"))}: <span id="verdict-word">{esc(verdict)}</span></h2>
<p>{esc(m("Checked on {date}", date=_when(checked_at)))}. {esc((m("Every required check passed.") if ok else m("At least one required check did not pass: see the checks marked FAIL or NOT CHECKED below.")))}</p>
<ul class="checks" id="checks">
{chr(10).join(check_rows(m, report))}
</ul>
</section>"""


def _how_to_check(m: Messages, credential: dict, agreement: dict | None, catalogue: bool = False) -> str:
    from .errors import QrPayloadError
    from .qr.images import svg_text

    cid = credential.get("id") if isinstance(credential.get("id"), str) else None
    try:
        encoding, catalogue_of = paper_codes(credential, agreement=agreement, catalogue=catalogue)
    except QrPayloadError as exc:  # too large even in 16 codes: say so rather than print no way to check
        codes, steps = f'<p id="no-qr">{esc(m("This credential is too large for QR codes on paper ({reason}). Ask the holder for the credential file and check that instead.", reason=exc))}</p>', []
    else:
        n = len(encoding.texts)
        figures = []
        for i, (text, version) in enumerate(zip(encoding.texts, encoding.versions), 1):
            # data-qr-text: the code's text, so tools (and our tests) can read it back without a camera
            figures.append(f'<figure class="qr" data-qr-text="{esc(text)}">'
                           f'<div role="img" aria-label="{esc(m("QR code {i} of {n} holding the signed credential", i=i, n=n))}">{svg_text(text)}</div>'
                           f'<figcaption>{esc(m("QR code {i} of {n} (version {version})", i=i, n=n, version=version))}</figcaption></figure>')
        codes = f'<div class="codes">{"".join(figures)}</div>'
        steps = [m("Scan the QR code with any ECVET verifier: the verification page of an ecvet serve service, or the command ecvet verify on a photo of the code.") if n == 1 else m("Scan all {n} QR codes (in any order) with any ECVET verifier: the verification page of an ecvet serve service, or the command ecvet verify on photos of the codes.", n=n), m("The code holds the whole signed credential, so it can be checked without asking the issuer; only its revocation status needs the issuer's published list.")]
        if catalogue_of is not None:
            steps.append(m("The code was made with the unit catalogue of the Learning Agreement {id}: the verifier needs that agreement too (the verification page's agreement field, or --agreement).", id=catalogue_of.get("id") or "?"))
    steps.append(m("The printed text alone proves nothing: rely on what the verifier shows, and compare it with this page."))
    if cid:
        steps.append(m("Credential id: {id}", id=cid))
    items = "".join(f"<li>{esc(s)}</li>" for s in steps)
    return f"""<section class="how" aria-labelledby="how-title">
<h2 id="how-title">{esc(m("How to check this document"))}</h2>
<div class="how-body">
{codes}
<ul>{items}</ul>
</div>
</section>"""
