"""Shared by the printed-document tests: an institution profile (with a logo) for the demo's issuers."""
from __future__ import annotations

import io
import json
from pathlib import Path

from ecvet_credentials.ecvet.institution import Address, Contact, InstitutionProfile, Signatory, save_profile

VERIFY_URL = "https://verify.school.example/ecvet"


def issuer_did(credential: dict) -> str:
    issuer = credential["issuer"]
    return issuer["id"] if isinstance(issuer, dict) else issuer


def make_profile(home: Path, credential: dict, *, logo: bool = True) -> InstitutionProfile:
    """The issuer's own profile, saved in HOME (as `ecvet institution init` would), with a PNG logo."""
    from PIL import Image

    home.mkdir(parents=True, exist_ok=True)
    if logo:
        buf = io.BytesIO()
        Image.new("RGB", (120, 60), (20, 60, 140)).save(buf, format="PNG")
        (home / "logo.png").write_bytes(buf.getvalue())
    profile = InstitutionProfile(
        name={"en": "Test Vocational School", "de": "Berufsschule Test"}, country="DE", did=issuer_did(credential),
        base_url="https://school.example/ecvet", address=Address("Hauptstraße 5", "44135", "Dortmund", "DE"),
        contact=Contact("office@school.example", "+49 231 555", "https://school.example"), codes={"Erasmus": "D DORTMUN99"},
        logo="logo.png" if logo else None, signatory=Signatory("Dr. Anna Schmidt", {"en": "Head of school", "de": "Schulleiterin"}),
        place="Dortmund", languages=("de", "en"), verification_url=VERIFY_URL)
    save_profile(home, profile)
    return profile


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
