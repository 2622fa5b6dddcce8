"""Server-rendered HTML for the verification page. Every value from a request or a credential goes
through `esc` (html.escape, quotes included); markup is only ever built from our own strings. The
credential views and the message catalogue live in ecvet_credentials.html (shared with printable.py)."""
from __future__ import annotations

from ..i18n import Messages
from ..html.views import check_rows, content, esc, is_unconfirmed
from ..verify.report import VerificationReport


def page(m: Messages, body: str, *, title: str | None = None) -> str:
    return f"""<!doctype html>
<html lang="{esc(m.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title or m("Check an ECVET credential"))}</title>
<link rel="stylesheet" href="/static/page.css">
<script src="/static/page.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><p class="brand">ECVET</p></header>
<main id="main">
{body}
</main>
<footer><p>{esc(m("ecvet-credentials verifier. Credentials are checked offline against this service's trust registry."))}</p></footer>
</body>
</html>
"""


def form(m: Messages) -> str:
    return f"""<h1>{esc(m("Check an ECVET credential"))}</h1>
<p>{esc(m("Anyone can check a credential here, with no account."))} {esc(m("Upload a photo of the QR code or the credential file, or paste its text. Nothing is stored: the credential is checked and the result shown here."))}</p>
<form method="post" action="/verify/upload" enctype="multipart/form-data" id="verify-form">
<fieldset>
<legend>{esc(m("The credential"))}</legend>
<div class="drop" id="drop-zone">
<label for="file">{esc(m("QR code image (PNG or JPEG) or credential file (JSON)"))}</label>
<input type="file" id="file" name="file" accept="image/png,image/jpeg,application/json,.json,.jsonld" aria-describedby="file-hint">
<p class="hint" id="file-hint">{esc(m("You can also drag a file onto this box."))}</p>
<p class="hint" id="drop-status" role="status" aria-live="polite" data-ready="{esc(m("File chosen: {name}"))}"></p>
</div>
<label for="text">{esc(m("Or paste the credential (JSON) or the text of its QR code"))}</label>
<textarea id="text" name="text" rows="6" spellcheck="false"></textarea>
<label for="agreement">{esc(m("Learning Agreement (optional, JSON)"))}</label>
<input type="file" id="agreement" name="agreement" accept="application/json,.json,.jsonld" aria-describedby="agreement-hint">
<p class="hint" id="agreement-hint">{esc(m("Needed for QR codes made with the agreement's unit catalogue, and to check the transcript against the agreement."))}</p>
</fieldset>
<button type="submit">{esc(m("Check the credential"))}</button>
</form>
"""


def error(m: Messages, message: str) -> str:
    return f"""<h1>{esc(m("Check an ECVET credential"))}</h1>
<section class="result bad" role="alert" aria-labelledby="error-title">
<h2 id="error-title">{esc(m("The credential could not be read"))}</h2>
<p id="error-message">{esc(message)}</p>
</section>
<p><a href="/?lang={esc(m.lang)}">{esc(m("Check another credential"))}</a></p>
"""


def result(m: Messages, report: VerificationReport, document: dict) -> str:
    ok = report.verified
    verdict = (m("Verified") if ok else m("Not verified"))
    rows = check_rows(m, report)
    return f"""<h1>{esc(m("Check an ECVET credential"))}</h1>
<section class="result {'good' if ok else 'bad'}" aria-labelledby="verdict">
<h2 id="verdict" role="status">{esc(m("Result"))}: <span id="verdict-word">{esc(verdict)}</span></h2>
<p>{esc((m("Every required check passed.") if ok else m("At least one required check did not pass: see the checks marked FAIL or NOT CHECKED below.")))}</p>
</section>
<section aria-labelledby="checks-title">
<h2 id="checks-title">{esc(m("Checks"))}</h2>
<ul class="checks" id="checks">
{chr(10).join(rows)}
</ul>
</section>
{content(m, document, unconfirmed=is_unconfirmed(report))}
<p><a href="/?lang={esc(m.lang)}">{esc(m("Check another credential"))}</a></p>
"""
