"""Shared model parts: validation names the field; normalisation of countries, points, dates."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ecvet_credentials.core.errors import AuthoringError, InputError
from ecvet_credentials.model import (
    GradingScheme,
    Identifier,
    Institution,
    LangText,
    Learner,
    LearningOutcome,
    Person,
    UnitOfLearningOutcomes,
)
from ecvet_credentials.model._checks import points_text, prefixed

HOST = "did:key:z6Mksq6zm1SAjQECE3RajjixppcrrGGeuSeaf4YzLVkWwN99"


def test_authoring_error_is_an_input_error():
    assert issubclass(AuthoringError, InputError)


def test_institution_normalises_country_and_keeps_identifiers():
    inst = Institution(HOST, " Berufskolleg ", "de", [Identifier("D  X01", "Erasmus code")])
    assert inst.country == "DEU" and inst.name == "Berufskolleg" and inst.identifiers[0].scheme == "Erasmus code"


@pytest.mark.parametrize("kwargs, field", [
    ({"id": "https://school.example"}, "id"),
    ({"name": ""}, "name"),
    ({"country": "Germany"}, "country"),
    ({"country": "QQ"}, "country"),
])
def test_institution_errors_name_the_field(kwargs, field):
    args = {"id": HOST, "name": "BK", "country": "DE", **kwargs}
    with pytest.raises(AuthoringError) as err:
        Institution(**args)
    assert str(err.value).startswith(f"{field}:") and err.value.details["field"] == field


def test_prefixed_adds_the_outer_path():
    with pytest.raises(AuthoringError) as err, prefixed("host"):
        Institution(HOST, "BK", "ZZZZ")
    assert str(err.value).startswith("host.country:")
    with pytest.raises(AuthoringError) as err, prefixed("units[2]"), prefixed("outcomes"):
        UnitOfLearningOutcomes("U1", "t", [], 1)
    assert err.value.details["field"] == "units[2].outcomes.outcomes"


def test_learner_age_on_birthday_boundaries():
    learner = Learner("Giulia", "Rossi", "2009-05-14", "S-1")
    assert learner.age_on(date(2027, 5, 13)) == 17
    assert learner.age_on(date(2027, 5, 14)) == 18
    leap = Learner("A", "B", "2008-02-29", "S-2")
    assert leap.age_on(date(2026, 2, 28)) == 17 and leap.age_on(date(2026, 3, 1)) == 18


def test_learner_date_must_be_a_date():
    with pytest.raises(AuthoringError, match="date_of_birth"):
        Learner("A", "B", "14/05/2009", "S-1")


@pytest.mark.parametrize("value, expected", [(4, "4"), ("1,5", "1.5"), (Decimal("40"), "40"), ("0", "0")])
def test_points_accept_numbers_and_decimal_commas(value, expected):
    unit = UnitOfLearningOutcomes("U1", "Title", [LearningOutcome("Does X")], value)
    assert points_text(unit.ecvet_points) == expected


@pytest.mark.parametrize("value", [-1, "abc", float("nan"), True])
def test_points_must_be_a_non_negative_number(value):
    with pytest.raises(AuthoringError, match="ecvet_points"):
        UnitOfLearningOutcomes("U1", "Title", [LearningOutcome("Does X")], value)


def test_unit_needs_outcomes_and_a_valid_eqf_level():
    with pytest.raises(AuthoringError, match="outcomes"):
        UnitOfLearningOutcomes("U1", "Title", [], 3)
    with pytest.raises(AuthoringError, match="eqf_level"):
        UnitOfLearningOutcomes("U1", "Title", [LearningOutcome("x")], 3, eqf_level=9)
    with pytest.raises(AuthoringError, match="code"):
        UnitOfLearningOutcomes("U 1 with spaces", "Title", [LearningOutcome("x")], 3)


def test_outcome_kinds():
    assert LearningOutcome("x", "Skills").kind == "skill"
    assert LearningOutcome("x", "competence").kind == "competence"
    assert LearningOutcome("x").kind is None
    with pytest.raises(AuthoringError, match="kind"):
        LearningOutcome("x", "attitude")


def test_lang_text_forms():
    assert LangText.of("Koch", "t", language="de").to_json() == {"de": "Koch"}
    both = LangText.of({"it": "Cuoco", "en": "Cook"}, "t")
    assert both.get("en") == "Cook" and both.get("fr") == "Cuoco"
    with pytest.raises(AuthoringError, match="t.english"):
        LangText.of({"english": "Cook"}, "t")


def test_person_email_and_did():
    assert Person("A", "mailto:a@b.example").email == "a@b.example"
    with pytest.raises(AuthoringError, match="email"):
        Person("A", "not-an-email")
    with pytest.raises(AuthoringError, match="did"):
        Person("A", did="urn:x")
    assert GradingScheme("1-6").id is None
