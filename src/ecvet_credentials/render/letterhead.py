"""The institution's letterhead and signatory block, from its profile (institution.py).

A profile is used only for credentials its own DID issued: a learner printing a host's transcript, or a
home school printing a partner's, must not put its own letterhead on someone else's document. Without a
matching profile the page says so plainly and names the issuer only as the credential does.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.render.html.views import esc
from ecvet_credentials.i18n import Messages, _
from ecvet_credentials.ecvet.institution import InstitutionProfile, text_in
from ecvet_credentials.render.words import Words

MAX_LOGO_BYTES = 1_000_000
_LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class Issuer:
    """Who issued the credential, as far as the page may say."""
    did: str | None
    name: str | None                      # as the credential names it (a claim until verified)
    profile: InstitutionProfile | None    # the institution's own profile, when its DID signed the credential
    logo: str | None = None               # data: URI
    refused_profile: bool = False         # the profile's DID is named, but its signature is not confirmed


def issuer_of(credential: dict, profile: InstitutionProfile | None, home: Path | None, *, report=None,
              resolver=None) -> Issuer:
    """The issuer; with the institution's profile only over a credential its own DID signed (the report's
    proof and issuer-binding checks, or the proofs verified here), so a forged or altered credential that
    names the institution never gets its letterhead."""
    raw = credential.get("issuer")
    did = raw if isinstance(raw, str) else raw.get("id") if isinstance(raw, dict) else None
    name = raw.get("name") if isinstance(raw, dict) and isinstance(raw.get("name"), str) else None
    did = did if isinstance(did, str) else None
    if profile is None or did is None or profile.did != did:
        return Issuer(did, name, None)
    if not _signed_by(credential, did, report, resolver):
        return Issuer(did, name, None, refused_profile=True)
    logo = profile.resolve(home, profile.logo) if home is not None else None
    return Issuer(did, name, profile, logo_data_uri(logo) if logo is not None else None)


def _signed_by(credential: dict, did: str, report, resolver) -> bool:
    if report is not None:
        from ecvet_credentials.verify.report import Outcome

        checks = [report.get("proof"), report.get("issuer-binding")]
        return all(c is not None and c.outcome is Outcome.PASSED for c in checks)
    from ecvet_credentials.proofs import verify_proofs

    return did in verify_proofs(credential, resolver=resolver, purpose="assertionMethod").controllers


def logo_data_uri(path: Path) -> str:
    """The profile's logo (PNG or JPEG, at most 1 MB) inlined, so the page loads nothing."""
    from ecvet_credentials.core.files import read_bounded

    data = read_bounded(path, max_bytes=MAX_LOGO_BYTES, source=_("the institution logo {path}").format(path=path))
    kind = next((mime for magic, mime in _LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise InputError(f"the institution logo {path} is not a PNG or JPEG image.")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def letterhead(m: Messages, issuer: Issuer) -> str:
    w = Words(m)
    p = issuer.profile
    if p is None:
        named = esc(issuer.name or issuer.did or "?")
        note = (w("The institution profile for {did} was not used: the credential's signature by that DID could not be "
                  "confirmed. The issuer is shown only as the credential names it.", did=issuer.did) if issuer.refused_profile
                else w("No institution profile was given for the issuer of this document: the issuer is shown only as "
                       "the credential names it."))
        return (f'<header class="letterhead" id="letterhead"><div class="who">'
                f'<p class="small">{esc(w("Issuer as named in the credential"))}:</p><p class="name">{named}</p>'
                f'<p class="noprofile small" id="no-profile">{esc(note)}</p></div>'
                f'<p class="brand">ECVET</p></header>')
    a, c = p.address, p.contact
    lines = [", ".join(x for x in (a.street, " ".join(y for y in (a.postcode, a.city) if y), a.country or p.country) if x),
             " · ".join(x for x in (c.email, c.phone, c.website) if x),
             " · ".join(f"{k}: {v}" for k, v in p.codes.items())]
    logo = f'<img src="{esc(issuer.logo)}" alt="">' if issuer.logo else ""
    body = "".join(f"<p>{esc(line)}</p>" for line in lines if line)
    return (f'<header class="letterhead" id="letterhead">{logo}<div class="who">'
            f'<p class="name">{esc(p.display_name(m.lang))}</p>{body}</div><p class="brand">ECVET</p></header>')


def signatory_block(m: Messages, issuer: Issuer, *, signed_on: str | None) -> str:
    """Place and date, the signatory's name and role with a line to sign on, and room for the stamp;
    beneath, that the credential is signed electronically (which is what a verifier checks)."""
    w = Words(m)
    p = issuer.profile
    place = p.place if p is not None else ""
    when = ", ".join(x for x in (place, signed_on or "") if x)
    if p is not None and p.signatory.name:
        role = text_in(p.signatory.role, m.lang, p.languages) if p.signatory.role else ""
        who = f'<p id="signatory"><strong>{esc(p.signatory.name)}</strong></p>' + (f"<p>{esc(role)}</p>" if role else "")
    else:
        who = f'<p id="signatory" class="small">{esc(w("No signatory is named in an institution profile."))}</p>'
    electronic = w("Signed electronically by {did} on {date}. The signed credential is embedded in this document's file and held in the QR code; the handwritten signature is optional.", did=issuer.did or "?", date=signed_on or "?")
    return f"""<section class="signing" aria-labelledby="signing-title">
<h2 id="signing-title">{esc(m("Signatures"))}</h2>
<div class="sign-grid">
<div><p class="small">{esc(w("Place and date"))}</p><p id="place-date">{esc(when)}</p></div>
<div><p class="small">{esc(w("For the institution"))}</p>{who}<div class="sign-line"></div><p class="small">{esc(m("Signature"))}</p></div>
<div class="seal">{esc(w("Stamp"))}</div>
</div>
<p class="small">{esc(electronic)}</p>
</section>"""
