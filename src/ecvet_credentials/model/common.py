"""Shared parts of the three ECVET documents: text in several languages, institutions, people,
units of learning outcomes, grading schemes, qualifications, references to other credentials.

Constructors validate and normalise (strings to dates, 'DE' to 'DEU', points to Decimal); a problem
raises AuthoringError naming the field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal, overload
from collections.abc import Iterable, Mapping  # not typing's aliases: their isinstance is several times slower

from ecvet_credentials.core.errors import AuthoringError
from ecvet_credentials.core.timeutil import utc_today
from ecvet_credentials.model import _checks as c
from ecvet_credentials.model.concepts import OUTCOME_KINDS, country_code

DEFAULT_LANGUAGE = "en"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


# Sets a field of a frozen dataclass in __post_init__: the builtin itself (a model read calls it ~130 times).
_set = object.__setattr__


@dataclass(frozen=True)
class LangText:
    """Text in one or more languages (ELM language maps, e.g. {"en": "...", "de": "..."})."""

    values: tuple[tuple[str, str], ...]

    @overload
    @classmethod
    def of(cls, value: Any, field_: str, *, language: str = ..., optional: Literal[False] = ...) -> "LangText": ...
    @overload
    @classmethod
    def of(cls, value: Any, field_: str, *, language: str = ..., optional: bool) -> "LangText | None": ...

    @classmethod
    def of(cls, value: Any, field_: str, *, language: str = DEFAULT_LANGUAGE, optional: bool = False) -> "LangText | None":
        if type(value) is not dict:  # the usual case (a language map) first; then no ABC check for these two
            if isinstance(value, LangText) or (value is None and optional):
                return value
        if type(value) is dict or isinstance(value, Mapping):
            if not value:
                if optional:
                    return None
                raise c.fail(field_, "is required")
            pairs = []
            for lang_, text_ in value.items():
                try:  # the entry's path is built only for an error (a credential has dozens of maps)
                    pairs.append((c.lang(lang_, field_), c.text(text_, field_)))
                except AuthoringError:
                    pairs.append((c.lang(lang_, f"{field_}.{lang_}"), c.text(text_, f"{field_}.{lang_}")))
            return cls(tuple(pairs))
        text_ = c.text(value, field_, optional=optional)
        if text_ is None:
            return None
        return cls(((c.lang(language, "language"), text_),))

    def get(self, language: str | None = None) -> str:
        """The text in `language`, else the first one given."""
        for lang_, text_ in self.values:
            if lang_ == language:
                return text_
        return self.values[0][1]

    def __str__(self) -> str:
        return self.values[0][1]

    def to_json(self) -> dict:
        return dict(self.values)

    def to_literal(self):
        """For a property whose JSON-LD term is no language map (schema:description): one language stays a
        plain string, several become value objects [{"@value", "@language"}] (VC 2.0, section 11.1)."""
        if len(self.values) == 1:
            return self.values[0][1]
        return [{"@value": text_, "@language": lang_} for lang_, text_ in self.values]

    @staticmethod
    def from_literal(value):
        """to_literal's output back as what LangText.of reads (a language map, or the plain text as is)."""
        if isinstance(value, list) and value and all(isinstance(v, dict) and set(v) == {"@value", "@language"}
                                                     for v in value):
            return {v["@language"]: v["@value"] for v in value}
        return value


def _contact(obj) -> None:
    """A person's postal address (text, possibly in several languages) and telephone number."""
    _set(obj, "address", LangText.of(obj.address, "address", optional=True))
    if obj.address is not None and any(len(t) > 500 for _, t in obj.address.values):
        raise c.fail("address", "is longer than 500 characters")
    _set(obj, "telephone", c.phone(obj.telephone, "telephone"))


def contact_details(person) -> bool:
    """Whether a learner or person carries an address or telephone (kept out of QR codes by default)."""
    return person is not None and (person.address is not None or person.telephone is not None)


def _tuple(items, field_: str) -> tuple:
    if type(items) is tuple or type(items) is list:  # the usual case, without the ABC checks below
        return tuple(items)
    if items is None:
        return ()
    if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Iterable):
        raise c.fail(field_, "must be a list")
    return tuple(items)


def _code(value, field_: str) -> str:
    value = c.text(value, field_, max_len=64)
    if not _CODE.match(value):
        raise c.fail(field_, f"must be a short code (letters, digits, . _ / -), got {value!r}")
    return value


@dataclass(frozen=True)
class Identifier:
    """An identifier in a named scheme (Erasmus code, national school number, learner number)."""

    value: str
    scheme: str | None = None

    def __post_init__(self):
        _set(self, "value", c.text(self.value, "value", max_len=200))
        _set(self, "scheme", c.text(self.scheme, "scheme", optional=True, max_len=200))


@dataclass(frozen=True)
class Person:
    """A named person: contact person, guardian, assessor, person responsible for a decision.

    `did` is needed only when the person signs (the guardian of a minor learner). `address` and
    `telephone` are the guardian's on the Learning Agreement template (personal data: see contact_details)."""

    name: str
    email: str | None = None
    role: str | None = None
    did: str | None = None
    address: LangText | None = None
    telephone: str | None = None

    def __post_init__(self):
        _set(self, "name", c.text(self.name, "name", max_len=200))
        _set(self, "email", c.email(self.email, "email"))
        _set(self, "role", c.text(self.role, "role", optional=True, max_len=200))
        _set(self, "did", c.did(self.did, "did", optional=True))
        _contact(self)


@dataclass(frozen=True)
class Institution:
    """A VET institution (or intermediary organisation). `id` is its DID."""

    id: str
    name: str
    country: str
    identifiers: tuple[Identifier, ...] = ()
    contact: Person | None = None
    address: str | None = None
    telephone: str | None = None
    website: str | None = None

    def __post_init__(self):
        _set(self, "address", c.text(self.address, "address", optional=True, max_len=500))
        _set(self, "telephone", c.text(self.telephone, "telephone", optional=True, max_len=50))
        _set(self, "website", c.iri(self.website, "website", optional=True))
        _set(self, "id", c.did(self.id, "id"))
        _set(self, "name", c.text(self.name, "name", max_len=300))
        _set(self, "country", country_code(self.country, "country"))
        ids = _tuple(self.identifiers, "identifiers")
        for i, ident in enumerate(ids):
            if not isinstance(ident, Identifier):
                raise c.fail(f"identifiers[{i}]", "must be an Identifier")
        unique_texts((f"{i.scheme}\x00{i.value}" for i in ids), "identifiers")
        _set(self, "identifiers", ids)
        if self.contact is not None and not isinstance(self.contact, Person):
            raise c.fail("contact", "must be a Person")


@dataclass(frozen=True)
class Learner:
    given_name: str
    family_name: str
    date_of_birth: date
    learner_id: str
    learner_id_scheme: str | None = None
    did: str | None = None
    address: LangText | None = None   # the Learning Agreement template's learner address and telephone
    telephone: str | None = None

    def __post_init__(self):
        _contact(self)
        _set(self, "given_name", c.text(self.given_name, "given_name", max_len=200))
        _set(self, "family_name", c.text(self.family_name, "family_name", max_len=200))
        _set(self, "date_of_birth", c.day(self.date_of_birth, "date_of_birth"))
        _set(self, "learner_id", c.text(self.learner_id, "learner_id", max_len=200))
        _set(self, "learner_id_scheme", c.text(self.learner_id_scheme, "learner_id_scheme", optional=True, max_len=200))
        _set(self, "did", c.did(self.did, "did", optional=True))
        if self.date_of_birth > utc_today():
            raise c.fail("date_of_birth", "is in the future")

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        """Age in whole years on `day` (a person born on 29 February turns a year older on 1 March)."""
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class LearningOutcome:
    """One learning outcome statement; `kind` is knowledge, skill or competence (ECVET/EQF), or None
    when the template does not classify it (the PT usually does not)."""

    text: LangText
    kind: str | None = None

    def __post_init__(self):
        if type(self.text) is not LangText:  # the reader passes one: no call
            _set(self, "text", LangText.of(self.text, "text"))
        if self.kind is None:  # the usual case in a transcript: nothing to check
            return
        kind = c.text(self.kind, "kind", max_len=20, optional=True)
        if kind is None:
            return
        kind = kind.lower()
        kind = {"skills": "skill", "competences": "competence", "competency": "competence"}.get(kind, kind)
        if kind not in OUTCOME_KINDS:
            raise c.fail("kind", f"must be knowledge, skill or competence, got {self.kind!r}")
        _set(self, "kind", kind)


@dataclass(frozen=True)
class UnitOfLearningOutcomes:
    """A unit of learning outcomes (ULO): code, title, outcomes, ECVET points, EQF level.

    Points are optional: the ECVET manual uses them only "if relevant", where the national system
    defines them; the credit is the learning outcomes (None = the system uses no points)."""

    code: str
    title: LangText
    outcomes: tuple[LearningOutcome, ...]
    ecvet_points: Decimal | None = None
    eqf_level: int | None = None

    def __post_init__(self):
        _set(self, "code", _code(self.code, "code"))
        if type(self.title) is not LangText:  # the reader passes one: no call
            _set(self, "title", LangText.of(self.title, "title"))
        outcomes = _tuple(self.outcomes, "outcomes")
        if not outcomes:
            raise c.fail("outcomes", "a unit needs at least one learning outcome")
        for i, outcome in enumerate(outcomes):
            if not isinstance(outcome, LearningOutcome):
                raise c.fail(f"outcomes[{i}]", "must be a LearningOutcome")
        texts = [o.text.values[0][1] for o in outcomes]  # str(o.text), without a call for each
        if len(set(texts)) < len(texts):
            unique_texts(texts, "outcomes")
        _set(self, "outcomes", outcomes)
        _set(self, "ecvet_points", c.points(self.ecvet_points, "ecvet_points", optional=True))
        _set(self, "eqf_level", c.eqf(self.eqf_level, "eqf_level"))


@dataclass(frozen=True)
class GradingScheme:
    """A named grading scheme. Grades are meaningless without one, so every grade names its scheme."""

    title: LangText
    description: str | None = None
    id: str | None = None  # an IRI if the scheme is published; otherwise one is made per credential

    def __post_init__(self):
        if type(self.title) is not LangText:  # the reader passes one: no call
            _set(self, "title", LangText.of(self.title, "title"))
        _set(self, "description", c.text(self.description, "description", optional=True))
        _set(self, "id", c.iri(self.id, "id", optional=True))


@dataclass(frozen=True)
class Qualification:
    """The (home) qualification the learner is taking, with its EQF level and NQF level."""

    title: LangText
    eqf_level: int | None = None
    nqf_level: str | None = None  # free text, e.g. "IT: level 4"; NQF levels have no EU concept IRIs
    code: str | None = None

    def __post_init__(self):
        if type(self.title) is not LangText:  # the reader passes one: no call
            _set(self, "title", LangText.of(self.title, "title"))
        _set(self, "eqf_level", c.eqf(self.eqf_level, "eqf_level"))
        _set(self, "nqf_level", c.text(self.nqf_level, "nqf_level", optional=True, max_len=200))
        _set(self, "code", c.text(self.code, "code", optional=True, max_len=200))


@dataclass(frozen=True)
class CredentialRef:
    """Another credential, by id and (optionally) digest (`digestMultibase` of the VC 2.0 context)."""

    id: str
    digest_multibase: str | None = None

    def __post_init__(self):
        _set(self, "id", c.urn_uuid(self.id, "id"))
        digest = c.text(self.digest_multibase, "digest_multibase", optional=True, max_len=200)
        if digest is not None and not re.match(r"^[uz][A-Za-z0-9_-]+$", digest):
            raise c.fail("digest_multibase", f"must be multibase (u... base64url or z... base58btc), got {digest!r}")
        _set(self, "digest_multibase", digest)


def check_items(items, cls, field_: str, *, required: bool = False) -> tuple:
    items = _tuple(items, field_)
    if required and not items:
        raise c.fail(field_, "needs at least one entry")
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            raise c.fail(f"{field_}[{i}]", f"must be a {cls.__name__}")
    return items


def unique_texts(values: Iterable[str], field_: str) -> None:
    """Items of a list that must be unique (outcomes, identifiers, assessors) appear once."""
    seen = set()
    for i, value in enumerate(values):
        if value in seen:
            raise c.fail(f"{field_}[{i}]", "appears twice (each entry must be unique)")
        seen.add(value)


def sum_points(values: Iterable) -> Decimal | None:
    """The sum of the points given, None when none is (a system without ECVET points)."""
    given = [v for v in values if v is not None]
    return sum(given, Decimal(0)) if given else None


def unique_codes(codes: Iterable[str], field_: str) -> None:
    seen = set()
    for i, code in enumerate(codes):
        if code in seen:
            raise c.fail(f"{field_}[{i}].code", f"unit code {code!r} appears twice")
        seen.add(code)
