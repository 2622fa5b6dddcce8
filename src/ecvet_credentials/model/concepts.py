"""IRIs of the ELM namespace and the EU controlled-vocabulary concepts the profile uses.

Concept values go on the wire as IRIs; the short keys here are what authoring files may use instead
(e.g. `method: practical` for the ELM assessment concept). Sources: ELM 3.1 XSD controlled lists
(shared/europass/derived/elm-v3.1-xsd-controlled-lists.csv) and research-notes §5.
"""
from __future__ import annotations

from ecvet_credentials.model._checks import fail

ELM = "http://data.europa.eu/snb/model/elm/"
VOCAB = "https://w3id.org/ecvet-credentials/vocab#"
# New credentials use v2 (v1 plus the terms of the whole ECVET cycle: MoU, validation, assessment
# sheet...); v1 is never edited and credentials issued with it keep verifying.
CONTEXT_URL = "https://w3id.org/ecvet-credentials/v2"
CONTEXT_URLS = ("https://w3id.org/ecvet-credentials/v1", CONTEXT_URL)
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
SCHEMA_BASE = "https://w3id.org/ecvet-credentials/schemas/"

# Credit framework: "European credit system for vocational education and training".
ECVET_FRAMEWORK = "http://data.europa.eu/snb/education-credit/60b314e826"
# EDCI fixtures use an older host for the same concept (research-notes §5): accepted when reading.
ECVET_FRAMEWORK_ALIASES = frozenset({
    ECVET_FRAMEWORK,
    "https://publications.europa.eu/resource/authority/snb/education-credit/60b314e826",
})

EQF_PREFIX = "http://data.europa.eu/snb/eqf/"


def eqf_iri(level: int) -> str:
    return f"{EQF_PREFIX}{level}"


def eqf_from_iri(value: str, field: str) -> int:
    if not isinstance(value, str) or not value.startswith(EQF_PREFIX) or value[len(EQF_PREFIX):] not in "12345678" \
            or len(value) != len(EQF_PREFIX) + 1:
        raise fail(field, f"is not an EQF level concept ({EQF_PREFIX}1..8): {value!r}")
    return int(value[len(EQF_PREFIX):])


# Learning outcome kinds. ELM's skill-type list has knowledge and skill; ECVET's third category
# (competence: responsibility and autonomy) has no ELM concept, so it gets a project IRI.
OUTCOME_KINDS = {
    "knowledge": "http://data.europa.eu/snb/skill-type/knowledge",
    "skill": "http://data.europa.eu/snb/skill-type/skill",
    "competence": VOCAB + "competence",
}
OUTCOME_KIND_BY_IRI = {v: k for k, v in OUTCOME_KINDS.items()}

# ELM assessment types (http://data.europa.eu/snb/assessment/25831c2).
ASSESSMENT_METHODS = {
    "practical": "http://data.europa.eu/snb/assessment/6a4db9f11d",
    "oral": "http://data.europa.eu/snb/assessment/d30284d7df",
    "written": "http://data.europa.eu/snb/assessment/6e6cb2cc78",
    "portfolio": "http://data.europa.eu/snb/assessment/4f03b91c0e",
    "continuous": "http://data.europa.eu/snb/assessment/3484bd7e51",
    "project": "http://data.europa.eu/snb/assessment/795dac4096",
    "assignment": "http://data.europa.eu/snb/assessment/2939dae15f",
    "artefact": "http://data.europa.eu/snb/assessment/de4d165a6c",
    "peer-assessment": "http://data.europa.eu/snb/assessment/19a2e5e671",
    "peer-review": "http://data.europa.eu/snb/assessment/812e3b0ae1",
    "group-performance": "http://data.europa.eu/snb/assessment/56539a6507",
    "problem-based": "http://data.europa.eu/snb/assessment/c4256a2726",
    "quiz": "http://data.europa.eu/snb/assessment/b1b68f6735",
    "attendance": "http://data.europa.eu/snb/assessment/7331eb4762",
}

# ELM learning activity types (http://data.europa.eu/snb/learning-activity/25831c2).
ACTIVITY_TYPES = {
    "apprenticeship": "http://data.europa.eu/snb/learning-activity/d46a826a39",
    "internship": "http://data.europa.eu/snb/learning-activity/bf5588ff84",
    "job-experience": "http://data.europa.eu/snb/learning-activity/4357e0e681",
    "classroom": "http://data.europa.eu/snb/learning-activity/ff436ea7c9",
    "lab-practice": "http://data.europa.eu/snb/learning-activity/3c8bd58d62",
    "educational-programme": "http://data.europa.eu/snb/learning-activity/fd33e234ae",
    "workshop": "http://data.europa.eu/snb/learning-activity/efff75e10a",
}

# Grade status: ELM's "pass"; a unit not (yet) achieved gets a project concept (no ELM IRI known).
GRADE_PASSED = "http://data.europa.eu/snb/grade-status/c_60a1cf9a"
GRADE_NOT_ACHIEVED = VOCAB + "notAchieved"

COUNTRY_PREFIX = "http://publications.europa.eu/resource/authority/country/"
# ISO 3166-1 alpha-2 -> the EU country authority's alpha-3 codes, for the Erasmus+ programme and
# partner countries that host most VET mobilities. Other countries: give the alpha-3 code directly.
_ALPHA2 = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "HR": "HRV", "CY": "CYP", "CZ": "CZE", "DK": "DNK", "EE": "EST",
    "FI": "FIN", "FR": "FRA", "DE": "DEU", "GR": "GRC", "EL": "GRC", "HU": "HUN", "IE": "IRL", "IT": "ITA",
    "LV": "LVA", "LT": "LTU", "LU": "LUX", "MT": "MLT", "NL": "NLD", "PL": "POL", "PT": "PRT", "RO": "ROU",
    "SK": "SVK", "SI": "SVN", "ES": "ESP", "SE": "SWE", "IS": "ISL", "LI": "LIE", "NO": "NOR", "CH": "CHE",
    "MK": "MKD", "RS": "SRB", "TR": "TUR", "AL": "ALB", "BA": "BIH", "ME": "MNE", "XK": "XKX", "UA": "UKR",
    "MD": "MDA", "GE": "GEO", "AM": "ARM", "GB": "GBR", "UK": "GBR",
}


def country_code(value, field: str) -> str:
    """Normalise a country to the alpha-3 code used by the EU country authority ('DE' -> 'DEU')."""
    if isinstance(value, str) and value.startswith(COUNTRY_PREFIX):
        value = value[len(COUNTRY_PREFIX):]
    if not isinstance(value, str) or not value.strip():
        raise fail(field, "is required (ISO country code such as 'DE' or 'DEU')")
    code = value.strip().upper()
    if len(code) == 2:
        if code not in _ALPHA2:
            raise fail(field, f"unknown two-letter country code {value!r}; give the three-letter code")
        return _ALPHA2[code]
    if len(code) == 3 and code.isalpha():
        return code
    raise fail(field, f"must be an ISO country code such as 'DE' or 'DEU', got {value!r}")


def country_iri(alpha3: str) -> str:
    return COUNTRY_PREFIX + alpha3


def concept(value, table: dict[str, str], field: str, what: str) -> str:
    """A concept IRI from a short key of `table` or a full IRI (which must be one of the table's)."""
    if isinstance(value, str) and value.strip().lower() in table:
        return table[value.strip().lower()]
    if not isinstance(value, str) or value not in table.values():
        keys = ", ".join(sorted(table))
        raise fail(field, f"unknown {what} {value!r}; use one of: {keys} (or its ELM concept IRI)")
    return value


def key_of(value: str, table: dict[str, str]) -> str:
    """The short key of a concept IRI (for authoring output); the IRI itself if it has none."""
    for key, iri_ in table.items():
        if iri_ == value:
            return key
    return value
