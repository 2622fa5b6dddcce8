"""JSON-LD wire form shared by the three credential types: envelope, node ids, common nodes.

Every node gets an id (a DID, or a fragment of the credential id: `<credential-id>#u1`), so the
credential has no blank nodes. A node used twice (a grading scheme, an assessor) is written in
full once and referenced by its id string afterwards; `Reader` resolves such references.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import Any, Literal, overload

from ecvet_credentials.core.timeutil import utc_now
from ecvet_credentials.core.errors import AuthoringError, SchemaError
from ecvet_credentials.model import _checks as c
from ecvet_credentials.model.common import (CredentialRef, GradingScheme, Identifier, Institution, LangText, Learner,
                                            LearningOutcome, Person, Qualification, UnitOfLearningOutcomes)
from ecvet_credentials.model.concepts import (CONTEXT_URL, ECVET_FRAMEWORK, ECVET_FRAMEWORK_ALIASES, OUTCOME_KIND_BY_IRI,
                                              OUTCOME_KINDS, SCHEMA_BASE, VC_V2_CONTEXT, COUNTRY_PREFIX, eqf_from_iri,
                                              eqf_iri, country_iri)
from ecvet_credentials.model.contact import read_contact_point, write_contact_point
from ecvet_credentials.model.node_index import node_index, read_once

CONTEXT = [VC_V2_CONTEXT, CONTEXT_URL]

# credential type -> JSON Schema file stem (schemas/<stem>-v1.json, id SCHEMA_BASE + <stem>-v1.json)
TYPES = {
    "EcvetLearningAgreement": "learning-agreement",
    "EcvetPersonalTranscript": "personal-transcript",
    "EcvetRecognition": "recognition",
    "EcvetMemorandumOfUnderstanding": "memorandum-of-understanding",
}


def schema_id(credential_type: str) -> str:
    return f"{SCHEMA_BASE}{TYPES[credential_type]}-v1.json"


def new_credential_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def iso_datetime(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_date(value: date) -> str:
    return value.isoformat()


# --- writing --------------------------------------------------------------------------------------
class Writer:
    """Makes node ids under one credential id and writes shared nodes once."""

    def __init__(self, credential_id: str):
        self.base = credential_id
        self._seen: set[str] = set()
        self._people: dict[tuple, str] = {}
        self._schemes: dict[tuple, str] = {}
        self._assessment_specs: dict[tuple, str] = {}

    def frag(self, name: str) -> str:
        return f"{self.base}#{name}"

    def once(self, node: dict) -> dict | str:
        if node["id"] in self._seen:
            return node["id"]
        self._seen.add(node["id"])
        return node

    def org(self, inst: Institution, role: str, *, details: bool = True) -> dict | str:
        """An Organisation node (`role` names its fragments: host, home, intermediary).

        details=False leaves out identifiers and contact person (an institution mentioned in passing)."""
        node: dict[str, Any] = {"id": inst.id, "type": "Organisation", "name": inst.name,
                "location": self.location(f"{role}-loc", inst.country)}
        if details and inst.identifiers:
            node["identifier"] = [self.identifier(f"{role}-id{i + 1}", ident)
                                  for i, ident in enumerate(inst.identifiers)]
        if details and inst.contact is not None:
            node["contactPerson"] = self.person(inst.contact)
        for key, value in (("postalAddress", inst.address), ("telephone", inst.telephone), ("homepage", inst.website)):
            if details and value:
                node[key] = value
        return self.once(node)

    def location(self, frag: str, country: str, place: LangText | None = None) -> dict:
        node: dict[str, Any] = {"id": self.frag(frag), "type": "Location"}
        if place is not None:
            node["geographicName"] = place.to_json()
        node["address"] = {"id": self.frag(frag + "-adr"), "type": "Address", "countryCode": country_iri(country)}
        return node

    def identifier(self, frag: str, ident: Identifier) -> dict:
        node = {"id": self.frag(frag), "type": "Identifier", "notation": ident.value}
        if ident.scheme:
            node["schemeName"] = ident.scheme
        return node

    def person(self, person: Person) -> dict | str:
        key = (person.did, person.name, person.email, person.role, person.address, person.telephone)
        local = self._people.get(key)
        if local is None:
            local = self._people[key] = f"p{len(self._people) + 1}"
        node: dict[str, Any] = {"id": person.did or self.frag(local), "type": "Person", "name": person.name}
        if person.role:
            node["description"] = person.role
        cp = write_contact_point(self, local, email=person.email, address=person.address, telephone=person.telephone)
        if cp is not None:
            node["contactPoint"] = cp
        return self.once(node)

    def learner(self, learner: Learner) -> dict:
        node = {
            "id": learner.did or self.frag("learner"),
            "type": "Person",
            "givenName": learner.given_name,
            "familyName": learner.family_name,
            "dateOfBirth": iso_date(learner.date_of_birth),
            "identifier": self.identifier("learner-id", Identifier(learner.learner_id, learner.learner_id_scheme)),
        }
        cp = write_contact_point(self, "learner", address=learner.address, telephone=learner.telephone)
        if cp is not None:
            node["contactPoint"] = cp
        return node

    def credit(self, frag: str, points) -> dict:
        return {"id": self.frag(frag), "type": "CreditPoint", "framework": ECVET_FRAMEWORK,
                "point": c.points_text(points)}

    def unit_spec(self, unit: UnitOfLearningOutcomes, key: str, *, with_outcomes: bool = True) -> dict:
        node = {"id": self.frag(f"{key}-spec"), "type": "LearningAchievementSpecification",
                "title": unit.title.to_json(),
                "identifier": {"id": self.frag(f"{key}-code"), "type": "Identifier", "notation": unit.code}}
        if unit.eqf_level is not None:
            node["educationLevel"] = eqf_iri(unit.eqf_level)
        if unit.ecvet_points is not None:
            node["creditPoint"] = self.credit(f"{key}-pts", unit.ecvet_points)
        if with_outcomes:
            node["learningOutcome"] = [self.outcome(f"{key}-lo{i + 1}", lo) for i, lo in enumerate(unit.outcomes)]
        return node

    def outcome(self, frag: str, lo: LearningOutcome) -> dict:
        node = {"id": self.frag(frag), "type": "LearningOutcome", "title": lo.text.to_json()}
        if lo.kind is not None:
            node["dcType"] = OUTCOME_KINDS[lo.kind]
        return node

    def assessment_spec(self, method: str, criteria: str | None, scheme: GradingScheme) -> dict | str:
        """A LearningAssessmentSpecification (method, criteria, grading scheme), shared by the units
        assessed the same way."""
        key = (method, criteria, scheme)
        sid = self._assessment_specs.get(key)
        if sid is None:
            sid = self._assessment_specs[key] = self.frag(f"as{len(self._assessment_specs) + 1}")
        node: dict[str, Any] = {"id": sid, "type": "LearningAssessmentSpecification", "dcType": method}
        if criteria:
            node["description"] = criteria
        node["gradingScheme"] = self.grading_scheme(scheme)
        return self.once(node)

    def place(self, country: str, place: LangText | None, host_role: str) -> dict | str:
        """Where the mobility took place: the host's own Location node unless a place is named."""
        if place is None:
            return self.frag(f"{host_role}-loc")
        return self.location("place", country, place)

    def grading_scheme(self, scheme: GradingScheme) -> dict | str:
        key = (scheme.id, scheme.title, scheme.description)
        sid = scheme.id or self._schemes.get(key)
        if sid is None:
            sid = self._schemes[key] = self.frag(f"gs{len(self._schemes) + 1}")
        node = {"id": sid, "type": "GradingScheme", "title": scheme.title.to_json()}
        if scheme.description:
            node["description"] = scheme.description
        return self.once(node)

    def qualification(self, qual: Qualification) -> dict:
        node = {"id": self.frag("qualification"), "type": "Qualification", "title": qual.title.to_json()}
        if qual.code:
            node["identifier"] = {"id": self.frag("qualification-code"), "type": "Identifier", "notation": qual.code}
        if qual.eqf_level is not None:
            node["eqfLevel"] = eqf_iri(qual.eqf_level)
        if qual.nqf_level:
            node["nqfLevelLabel"] = qual.nqf_level
        return node

    @staticmethod
    def ref(ref: CredentialRef) -> dict | str:
        if ref.digest_multibase is None:
            return ref.id
        return {"id": ref.id, "digestMultibase": ref.digest_multibase}


def envelope(credential_type: str, *, credential_id: str, issuer: dict | str, subject: dict,
             valid_from: datetime, valid_until: datetime | None) -> dict:
    doc = {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", credential_type],
        "issuer": issuer,
        "validFrom": iso_datetime(valid_from),
    }
    if valid_until is not None:
        if valid_until <= valid_from:
            raise c.fail("valid_until", "must be after valid_from")
        doc["validUntil"] = iso_datetime(valid_until)
    doc["credentialSchema"] = {"id": schema_id(credential_type), "type": "JsonSchema"}
    doc["credentialSubject"] = subject
    return doc


def envelope_args(credential_id, valid_from, valid_until) -> tuple[str, datetime, datetime | None]:
    cid = c.urn_uuid(credential_id, "credential_id") if credential_id is not None else new_credential_id()
    vf = c.timestamp(valid_from, "valid_from") if valid_from is not None else utc_now().replace(microsecond=0)
    vu = c.timestamp(valid_until, "valid_until", optional=True)
    return cid, vf, vu


# --- reading --------------------------------------------------------------------------------------
class Reader:
    """Reads a credential back into model objects; a problem raises SchemaError naming the JSON path."""

    def __init__(self, doc: dict, credential_type: str):
        if not isinstance(doc, dict):
            raise SchemaError("a credential must be a JSON object", code="SCHEMA_INVALID")
        types = doc.get("type")
        if not isinstance(types, list) or credential_type not in types:
            raise SchemaError(f"not an {credential_type} credential (type is {types!r})", code="WRONG_CREDENTIAL_TYPE")
        self.doc = doc
        self.index = node_index(doc)
        self.read_nodes: dict[tuple[str, int], Any] = {}  # see read_once

    def fail(self, path: str, message: str) -> SchemaError:
        return SchemaError(f"{path}: {message}", details={"path": path})

    @overload
    def node(self, value: Any, path: str, *, optional: Literal[False] = ...) -> dict: ...
    @overload
    def node(self, value: Any, path: str, *, optional: bool) -> dict | None: ...

    def node(self, value: Any, path: str, *, optional: bool = False) -> dict | None:
        if type(value) is dict:  # the usual case first: a node written in place
            return value
        if value is None and optional:
            return None
        if isinstance(value, str):
            if value in self.index:
                return self.index[value]
            raise self.fail(path, f"refers to {value!r}, which is not described in the credential")
        if isinstance(value, dict):
            return value
        raise self.fail(path, "must be an object")

    def get(self, node: dict, key: str, path: str, *, optional: bool = False):
        value = node.get(key)
        if value is None and not optional:
            raise self.fail(f"{path}.{key}", "is missing")
        return value

    def items(self, value, path: str) -> list:
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def build(self, path: str, factory, *args, **kwargs):
        """Call a model constructor, turning its AuthoringError into a SchemaError at `path`."""
        try:
            return factory(*args, **kwargs)
        except AuthoringError as exc:
            raise self.fail(path, str(exc)) from None

    # common nodes
    @overload
    def text(self, value: Any, path: str, *, optional: Literal[False] = ...) -> LangText: ...
    @overload
    def text(self, value: Any, path: str, *, optional: bool) -> LangText | None: ...

    def text(self, value: Any, path: str, *, optional: bool = False) -> LangText | None:
        if value is None and optional:
            return None
        if not isinstance(value, dict):
            raise self.fail(path, "must be a language map such as {\"en\": \"...\"}")
        try:  # self.build inlined: a credential has dozens of texts
            return LangText.of(value, "text")
        except AuthoringError as exc:
            raise self.fail(path, str(exc)) from None

    def org(self, value, path: str) -> Institution:
        node = self.node(value, path)
        location = self.node(self.get(node, "location", path), f"{path}.location")
        address = self.node(self.get(location, "address", f"{path}.location"), f"{path}.location.address")
        country = self.get(address, "countryCode", f"{path}.location.address")
        if not isinstance(country, str) or not country.startswith(COUNTRY_PREFIX):
            raise self.fail(f"{path}.location.address.countryCode", "is not an EU country authority IRI")
        idents = [self.identifier(v, f"{path}.identifier[{i}]") for i, v in enumerate(self.items(node.get("identifier"), ""))]
        contact = node.get("contactPerson")
        return self.build(path, Institution, id=node.get("id"), name=node.get("name"),
                          country=country, identifiers=tuple(idents),
                          contact=self.person(contact, f"{path}.contactPerson") if contact is not None else None,
                          address=node.get("postalAddress"), telephone=node.get("telephone"),
                          website=node.get("homepage"))

    def identifier(self, value, path: str) -> Identifier:
        node = self.node(value, path)
        return self.build(path, Identifier, node.get("notation"), node.get("schemeName"))

    @read_once
    def person(self, value, path: str) -> Person:
        node = self.node(value, path)
        contact = read_contact_point(self, node.get("contactPoint"), f"{path}.contactPoint")
        pid = node.get("id", "")
        return self.build(path, Person, name=node.get("name"), role=node.get("description"),
                          did=pid if isinstance(pid, str) and pid.startswith("did:") else None, **contact)

    def learner(self, node: dict, path: str) -> Learner:
        ident = self.identifier(self.get(node, "identifier", path), f"{path}.identifier")
        sid = node.get("id", "")
        contact = read_contact_point(self, node.get("contactPoint"), f"{path}.contactPoint")
        if contact.get("email") is not None:
            raise self.fail(f"{path}.contactPoint.emailAddress", "is not written for a learner")
        contact.pop("email", None)
        return self.build(path, Learner, given_name=node.get("givenName"), family_name=node.get("familyName"),
                          date_of_birth=node.get("dateOfBirth"), learner_id=ident.value,
                          learner_id_scheme=ident.scheme,
                          did=sid if isinstance(sid, str) and sid.startswith("did:") else None, **contact)

    @read_once
    def points(self, value, path: str):
        node = self.node(value, path)
        if not isinstance(node.get("framework"), str) or node["framework"] not in ECVET_FRAMEWORK_ALIASES:
            raise self.fail(f"{path}.framework", f"is not the ECVET credit framework ({ECVET_FRAMEWORK})")
        return self.build(f"{path}.point", c.points, node.get("point"), "point")

    def unit(self, value, path: str) -> UnitOfLearningOutcomes:
        spec = self.node(value, path)
        code_node = self.node(self.get(spec, "identifier", path), f"{path}.identifier")
        level = spec.get("educationLevel")
        eqf = self.build(f"{path}.educationLevel", eqf_from_iri, level, "educationLevel") if level else None
        return self.build(path, UnitOfLearningOutcomes, code=code_node.get("notation"),
                          title=self.text(spec.get("title"), f"{path}.title"), outcomes=self.outcomes(spec, path),
                          ecvet_points=self.points(spec["creditPoint"], f"{path}.creditPoint")
                          if spec.get("creditPoint") is not None else None,
                          eqf_level=eqf)

    def outcomes(self, spec: dict, path: str) -> tuple[LearningOutcome, ...]:
        outcomes = []
        for i, lo in enumerate(self.items(spec.get("learningOutcome"), "")):
            lo = lo if type(lo) is dict else self.node(lo, f"{path}.learningOutcome[{i}]")
            dc_type, title, outcome = lo.get("dcType"), lo.get("title"), None
            kind = OUTCOME_KIND_BY_IRI.get(dc_type) if isinstance(dc_type, str) else None
            if kind is None and dc_type is not None:
                raise self.fail(f"{path}.learningOutcome[{i}].dcType", f"unknown learning outcome kind {dc_type!r}")
            if type(title) is dict:  # the usual case builds no paths (a unit has several outcomes)
                try:
                    outcome = LearningOutcome(LangText.of(title, "text"), kind)
                except AuthoringError:
                    pass  # raised again below, at its path
            if outcome is None:
                lo_path = f"{path}.learningOutcome[{i}]"
                outcome = self.build(lo_path, LearningOutcome, self.text(title, f"{lo_path}.title"), kind)
            outcomes.append(outcome)
        return tuple(outcomes)

    @read_once
    def grading_scheme(self, value, path: str) -> GradingScheme:
        node = self.node(value, path)
        sid = node.get("id")
        made_here = isinstance(sid, str) and sid.startswith(self.doc.get("id", "") + "#")
        return self.build(path, GradingScheme, title=self.text(node.get("title"), f"{path}.title"),
                          description=node.get("description"), id=None if made_here else sid)

    def qualification(self, value, path: str) -> Qualification:
        node = self.node(value, path)
        level = node.get("eqfLevel")
        code = node.get("identifier")
        return self.build(path, Qualification, title=self.text(node.get("title"), f"{path}.title"),
                          eqf_level=self.build(f"{path}.eqfLevel", eqf_from_iri, level, "eqfLevel") if level else None,
                          nqf_level=node.get("nqfLevelLabel"),
                          code=self.node(code, f"{path}.identifier").get("notation") if code else None)

    def ref(self, value, path: str, *, optional: bool = False) -> CredentialRef | None:
        if value is None and optional:
            return None
        if isinstance(value, str):
            return self.build(path, CredentialRef, value)
        if not isinstance(value, dict):
            raise self.fail(path, "must be a credential id or {id, digestMultibase}")
        return self.build(path, CredentialRef, value.get("id"), value.get("digestMultibase"))

    def valid_from(self) -> datetime:
        return self.build("validFrom", c.timestamp, self.doc.get("validFrom"), "validFrom")

    def valid_until(self) -> datetime | None:
        return self.build("validUntil", c.timestamp, self.doc.get("validUntil"), "validUntil", optional=True)
