"""Server-rendered HTML for the verification page. Every value from a request or a credential goes
through `esc` (html.escape, quotes included); markup is only ever built from our own strings. The
credential views live in ecvet_credentials.render.html (shared with render/page.py), the texts in i18n."""
from __future__ import annotations

from ecvet_credentials.render.html.views import check_rows, content, esc, is_unconfirmed
from ecvet_credentials.i18n import LANGUAGES, NATIVE_NAMES, N_, Messages
from ecvet_credentials.verify.report import VerificationReport, Verdict

# Each verdict: CSS class (colour is an extra), its word, and what it means; never colour alone.
VERDICTS = {
    Verdict.VERIFIED: ("good", N_("Verified"), N_("Every required check passed.")),
    Verdict.ISSUER_NOT_RECOGNISED: ("amber", N_("Genuine signature, issuer not recognised"),
                                    N_("The signature is genuine, but no institution this service trusts vouches "
                                       "for the issuer: the issuer only claims to be who it says.")),
    Verdict.COULD_NOT_CHECK: ("amber", N_("Could not check"),
                              N_("A required check could not be made (see NOT CHECKED below): this is not a "
                                 "verified credential, and not proof of a forgery either. Try again later or ask "
                                 "the issuer.")),
    Verdict.NOT_VERIFIED: ("bad", N_("Not verified"),
                           N_("At least one required check failed: see the checks marked FAIL below. Do not rely "
                              "on this credential.")),
}


def verdict_words(m: Messages, report: VerificationReport) -> tuple[str, str, str]:
    """(word, explanation, css class) of the report's verdict in `m`'s language."""
    css, word, explain = VERDICTS[report.verdict]
    return m(word), m(explain), css


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
<a class="skip" href="#main">{esc(m("Skip to content"))}</a>
<header><p class="brand">ECVET</p>{languages(m)}</header>
<main id="main">
{body}
</main>
<footer><p>{esc(m("ecvet-credentials verifier. Credentials are checked offline against this service's trust registry."))}</p></footer>
</body>
</html>
"""


def languages(m: Messages) -> str:
    """The language switch: plain links (no script), each language named in itself."""
    links = "".join(
        f'<li><a href="/?lang={code}" hreflang="{code}" lang="{code}"'
        + (' aria-current="true"' if code == m.lang else "") + f">{esc(NATIVE_NAMES[code])}</a></li>"
        for code in LANGUAGES)
    return (f'<details class="langs" id="languages"><summary>{esc(m("Language"))}: {esc(NATIVE_NAMES[m.lang])}</summary>'
            f'<nav aria-label="{esc(m("Language"))}"><ul>{links}</ul></nav></details>')


def form(m: Messages, challenge: str) -> str:
    from ecvet_credentials.render.qr.images import svg_text

    return f"""<h1>{esc(m("Check an ECVET credential"))}</h1>
<p>{esc(m("Anyone can check a credential here, with no account."))} {esc(m("Nothing is stored: the credential is checked and the result shown here."))}</p>
<form method="post" action="/verify/upload?lang={esc(m.lang)}" enctype="multipart/form-data" id="verify-form">
<input type="hidden" name="challenge" value="{esc(challenge)}">
<fieldset>
<legend>{esc(m("The credential"))}</legend>
<div class="drop" id="drop-zone">
<label for="photo" class="camera">{esc(m("Take a photo of the QR code"))}</label>
<input type="file" id="photo" name="photo" accept="image/*" capture="environment">
<label for="file">{esc(m("Or choose files: photos of the QR codes, the credential file, or its printable page (HTML or PDF)"))}</label>
<input type="file" id="file" name="file" multiple accept="image/*,.heic,.heif,application/json,.json,.jsonld,text/html,.html,application/pdf,.pdf" aria-describedby="file-hint">
<p class="hint" id="file-hint">{esc(m("A credential in several QR codes: give every code, as several files or one photo of them all, in any order. You can also drag files onto this box."))}</p>
<p class="hint" id="drop-status" role="status" aria-live="polite" data-ready="{esc(m("File chosen: {name}"))}"></p>
</div>
<label for="text">{esc(m("Or paste the credential (JSON) or the texts of its QR codes, one per line"))}</label>
<textarea id="text" name="text" rows="5" spellcheck="false"></textarea>
<label for="agreement">{esc(m("Learning Agreement (optional, JSON)"))}</label>
<input type="file" id="agreement" name="agreement" accept="application/json,.json,.jsonld" aria-describedby="agreement-hint">
<p class="hint" id="agreement-hint">{esc(m("Needed for QR codes made with the agreement's unit catalogue, and to check the transcript against the agreement."))}</p>
</fieldset>
<button type="submit">{esc(m("Check the credential"))}</button>
<section class="challenge" aria-labelledby="challenge-title">
<h2 id="challenge-title">{esc(m("Checking a presentation from a learner's wallet"))}</h2>
<p>{esc(m("Give the learner this challenge (text or QR code); their wallet signs a presentation for it. Then give the presentation above, on this same page."))}</p>
<p><code id="challenge">{esc(challenge)}</code></p>
<div class="challenge-qr" role="img" aria-label="{esc(m("The challenge as a QR code"))}">{svg_text(challenge)}</div>
<p class="hint">ecvet wallet present ID --challenge {esc(challenge)} -o vp.json</p>
</section>
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


def _issuer_claim(m: Messages, report: VerificationReport, document: dict) -> str:
    """For an issuer nobody trusted, its name only as a claim."""
    if report.verdict is not Verdict.ISSUER_NOT_RECOGNISED:
        return ""
    from ecvet_credentials.render.html.views import issuer_text

    name = issuer_text(document)
    return f'<p id="issuer-claim">{esc(m("The issuer claims to be {name}.", name=name))}</p>' if name else ""


def result(m: Messages, report: VerificationReport, document: dict, *, challenge_note: str | None = None) -> str:
    word, explain, css = verdict_words(m, report)
    rows = check_rows(m, report)
    note = f'<p id="challenge-note"><strong>{esc(challenge_note)}</strong></p>' if challenge_note else ""
    return f"""<h1>{esc(m("Check an ECVET credential"))}</h1>
<section class="result {css}" aria-labelledby="verdict" data-verdict="{esc(report.verdict.value)}">
<h2 id="verdict" role="status">{esc(m("Result"))}: <span id="verdict-word">{esc(word)}</span></h2>
<p>{esc(explain)}</p>
{_issuer_claim(m, report, document)}{note}
</section>
<section aria-labelledby="checks-title">
<h2 id="checks-title">{esc(m("Checks"))}</h2>
<ul class="checks" id="checks">
{chr(10).join(rows)}
</ul>
</section>
{content(m, document, unconfirmed=is_unconfirmed(report), issuer_claimed=report.verdict is Verdict.ISSUER_NOT_RECOGNISED)}
<p><a href="/?lang={esc(m.lang)}">{esc(m("Check another credential"))}</a></p>
"""
