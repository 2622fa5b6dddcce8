"""The institution profile round-trips through HOME/institution.json and refuses what it cannot read."""
import pytest

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.ecvet.institution import InstitutionProfile, load_profile, save_profile, text_in


def test_round_trip(tmp_path):
    profile = InstitutionProfile.from_json({
        "name": {"de": "Berufsschule Berlin", "en": "Vocational School Berlin"}, "country": "DE",
        "did": "did:web:school.example", "base_url": "https://school.example/ecvet/",
        "signatory": {"name": "A. Meyer", "role": {"de": "Schulleiterin"}}, "languages": ["de", "en"],
    })
    save_profile(tmp_path, profile)
    again = load_profile(tmp_path)
    assert again == profile
    assert again.status_base_url == "https://school.example/ecvet/status"
    assert again.display_name("en") == "Vocational School Berlin"
    assert again.display_name("pl") == "Berufsschule Berlin"   # falls back to the profile's first language


def test_no_profile_is_none(tmp_path):
    assert load_profile(tmp_path) is None


def test_missing_field_is_a_clear_error(tmp_path):
    (tmp_path / "institution.json").write_text('{"name": "x", "country": "DE", "did": "did:key:z"}')
    with pytest.raises(EcvetError, match="base_url"):
        load_profile(tmp_path)


def test_text_in():
    assert text_in("plain", "de") == "plain"
    assert text_in({"it": "ciao", "en": "hello"}, "it") == "ciao"
    assert text_in({"it": "ciao"}, "de", ("fr",)) == "ciao"
