"""The Recognition credential: units validated and recognised by the home (or competent) institution,
the ECVET points credited toward the home qualification, referring to the PT and LA by id and digest."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ecvet_credentials.core import multibase
from ecvet_credentials.i18n import _, current_language
from ecvet_credentials.model import _checks as c
from ecvet_credentials.jsonld.jcs import jcs
from ecvet_credentials.model.common import (
    CredentialRef,
    Institution,
    LangText,
    Learner,
    LearningOutcome,
    Person,
    Qualification,
    _code,
    _set,
    check_items,
    sum_points,
    unique_codes,
)
from ecvet_credentials.model.concepts import eqf_from_iri, eqf_iri
from ecvet_credentials.model.wire import Reader, Writer, envelope, envelope_args, iso_date

CREDENTIAL_TYPE = "EcvetRecognition"
_SHA256_MULTIHASH = b"\x12\x20"


def digest_multibase(doc: dict) -> str:
    """`digestMultibase` of a credential: base64url multibase of the SHA-256 multihash of its JCS
    (RFC 8785) bytes, proof included. JCS makes it independent of key order and whitespace."""
    return multibase.encode(_SHA256_MULTIHASH + hashlib.sha256(jcs(doc)).digest(), "u")


def reference_to(doc: dict) -> CredentialRef:
    """A CredentialRef (id and digest) to the credential `doc`."""
    return CredentialRef(doc.get("id"), digest_multibase(doc))  # type: ignore[arg-type]  # (it checks the id)


@dataclass(frozen=True)
class Validation:
    """The validation of one unit, before (and apart from) its recognition: when, how, by whom, for
    which organisation (the home school or a competent authority)."""

    date: date
    method: str
    person: Person
    organisation: str           # DID of the validating organisation

    def __post_init__(self):
        _set(self, "date", c.day(self.date, "date"))
        _set(self, "method", c.text(self.method, "method", max_len=500))
        if not isinstance(self.person, Person):
            raise c.fail("person", "must be a Person")
        _set(self, "organisation", c.did(self.organisation, "organisation"))


@dataclass(frozen=True)
class RecognisedUnit:
    """A unit validated by the home institution; `recognised` when it counts toward the
    qualification. `transcript_assessment` is the IRI of the PT's assessment node that proves it.

    The credit is the learning outcomes achieved (`outcomes`), with points when the system uses
    them (`points` None otherwise). A unit not recognised says why (`reason`); a recognised one may
    say its practical consequences (exemption, no retake, extra credit...) and which home unit it
    counts for."""

    code: str
    title: LangText
    points: Decimal | None
    recognised: bool = True
    eqf_level: int | None = None
    transcript_assessment: str | None = None
    outcomes: tuple[LearningOutcome, ...] = ()
    reason: str | None = None
    consequences: tuple[str, ...] = ()
    counts_for: str | None = None
    validation: Validation | None = None

    def __post_init__(self):
        _set(self, "code", _code(self.code, "code"))
        _set(self, "title", LangText.of(self.title, "title"))
        _set(self, "points", c.points(self.points, "points", optional=True))
        if not isinstance(self.recognised, bool):
            raise c.fail("recognised", "must be true or false")
        if not self.recognised and self.points:
            raise c.fail("points", "must be 0 for a unit validated but not recognised")
        _set(self, "eqf_level", c.eqf(self.eqf_level, "eqf_level"))
        _set(self, "transcript_assessment", c.iri(self.transcript_assessment, "transcript_assessment", optional=True))
        _set(self, "outcomes", check_items(self.outcomes, LearningOutcome, "outcomes"))
        _set(self, "reason", c.text(self.reason, "reason", optional=True))
        _set(self, "consequences", tuple(c.text(x, f"consequences[{i}]") for i, x in enumerate(
            check_items(self.consequences, str, "consequences"))))
        _set(self, "counts_for", c.text(self.counts_for, "counts_for", optional=True, max_len=200))
        if self.validation is not None and not isinstance(self.validation, Validation):
            raise c.fail("validation", "must be a Validation")


@dataclass(frozen=True)
class Recognition:
    home: Institution
    learner: Learner
    qualification: Qualification
    units: tuple[RecognisedUnit, ...]
    decision_date: date
    responsible: Person
    transcript: CredentialRef
    agreement: CredentialRef
    title: LangText | None = None

    def __post_init__(self):
        for name, cls in (("home", Institution), ("learner", Learner), ("qualification", Qualification),
                          ("responsible", Person), ("transcript", CredentialRef), ("agreement", CredentialRef)):
            if not isinstance(getattr(self, name), cls):
                raise c.fail(name, f"is required ({cls.__name__})")
        for name in ("transcript", "agreement"):
            if getattr(self, name).digest_multibase is None:
                raise c.fail(f"{name}.digest", "is required: the recognition pins the exact credential it relies on")
        if self.transcript.id == self.agreement.id:
            raise c.fail("agreement.id", "is the same credential as the transcript")
        units = check_items(self.units, RecognisedUnit, "units", required=True)
        unique_codes((u.code for u in units), "units")
        _set(self, "units", units)
        _set(self, "decision_date", c.day(self.decision_date, "decision_date"))
        _set(self, "title", LangText.of(self.title, "title", optional=True) or LangText.of(
            _("ECVET recognition: units from mobility credited toward {qualification}").format(
                qualification=self.qualification.title), "title", language=current_language()))

    @property
    def total_points(self) -> Decimal | None:
        return sum_points(u.points for u in self.units if u.recognised)


def build_recognition_credential(rec: Recognition, *, credential_id: str | None = None,
                                 valid_from: datetime | str | None = None,
                                 valid_until: datetime | str | None = None) -> dict:
    """The unsigned EcvetRecognition credential (issuer: the home or competent institution)."""
    if not isinstance(rec, Recognition):
        raise TypeError("build_recognition_credential needs a Recognition")
    cid, vf, vu = envelope_args(credential_id, valid_from, valid_until)
    w = Writer(cid)
    issuer = w.org(rec.home, "home")
    subject = w.learner(rec.learner)
    parts = []
    for i, unit in enumerate(rec.units):
        key = f"u{i + 1}"
        spec = {"id": w.frag(f"{key}-spec"), "type": "LearningAchievementSpecification",
                "title": unit.title.to_json(),
                "identifier": {"id": w.frag(f"{key}-code"), "type": "Identifier", "notation": unit.code}}
        if unit.eqf_level is not None:
            spec["educationLevel"] = eqf_iri(unit.eqf_level)
        if unit.outcomes:
            spec["learningOutcome"] = [w.outcome(f"{key}-lo{j + 1}", lo) for j, lo in enumerate(unit.outcomes)]
        part: dict[str, Any] = {"id": w.frag(key), "type": "LearningAchievement", "specifiedBy": spec}
        if unit.points is not None:
            part["creditReceived"] = w.credit(f"{key}-cr", unit.points)
        part["recognised"] = unit.recognised
        if unit.transcript_assessment:
            part["provenBy"] = unit.transcript_assessment
        for name, value in (("reason", unit.reason), ("countsFor", unit.counts_for)):
            if value:
                part[name] = value
        if unit.consequences:
            part["practicalConsequence"] = list(unit.consequences)
        if unit.validation is not None:
            v = unit.validation
            part["validation"] = {"id": w.frag(f"{key}-val"), "type": "ValidationDecision",
                                  "validationDate": iso_date(v.date), "validationMethod": v.method,
                                  "validatedBy": w.person(v.person), "validatingOrganisation": v.organisation}
        parts.append(part)
    assert rec.title is not None  # __post_init__ gives every recognition a title
    subject["hasClaim"] = {
        "id": w.frag("recognition"), "type": "LearningAchievement", "title": rec.title.to_json(),
        "awardedBy": {"id": w.frag("decision"), "type": "AwardingProcess", "awardingBody": rec.home.id,
                      "awardingDate": iso_date(rec.decision_date), "responsible": w.person(rec.responsible)},
        **({"creditReceived": w.credit("total", rec.total_points)} if rec.total_points is not None else {}),
        "qualification": w.qualification(rec.qualification),
        "basedOnTranscript": w.ref(rec.transcript),
        "basedOnAgreement": w.ref(rec.agreement),
        "hasPart": parts,
    }
    return envelope(CREDENTIAL_TYPE, credential_id=cid, issuer=issuer, subject=subject, valid_from=vf, valid_until=vu)


def recognition_from_credential(doc: dict) -> Recognition:
    """The Recognition carried by an EcvetRecognition credential (signed or not)."""
    r = Reader(doc, CREDENTIAL_TYPE)
    subject = r.node(r.get(doc, "credentialSubject", "$"), "credentialSubject")
    cp = "credentialSubject.hasClaim"
    claim = r.node(r.get(subject, "hasClaim", "credentialSubject"), cp)
    home = r.org(r.get(doc, "issuer", "$"), "issuer")
    decision = r.node(r.get(claim, "awardedBy", cp), f"{cp}.awardedBy")
    if decision.get("awardingBody") != home.id:
        raise r.fail(f"{cp}.awardedBy.awardingBody", "must be the issuer")
    units = []
    for i, value in enumerate(r.items(claim.get("hasPart"), "")):
        path = f"{cp}.hasPart[{i}]"
        node = r.node(value, path)
        spec = r.node(r.get(node, "specifiedBy", path), f"{path}.specifiedBy")
        code = r.node(r.get(spec, "identifier", f"{path}.specifiedBy"), f"{path}.specifiedBy.identifier")
        level = spec.get("educationLevel")
        proven = node.get("provenBy")
        if proven is not None and not isinstance(proven, str):
            raise r.fail(f"{path}.provenBy", "must be the IRI of the transcript's assessment")
        val = node.get("validation")
        validation = None
        if val is not None:
            vp = f"{path}.validation"
            val = r.node(val, vp)
            validation = r.build(vp, Validation, date=val.get("validationDate"), method=val.get("validationMethod"),
                                 person=r.person(r.get(val, "validatedBy", vp), f"{vp}.validatedBy"),
                                 organisation=val.get("validatingOrganisation"))
        credit = node.get("creditReceived")
        units.append(r.build(path, RecognisedUnit, code=code.get("notation"),
                             title=r.text(spec.get("title"), f"{path}.specifiedBy.title"),
                             points=r.points(credit, f"{path}.creditReceived") if credit is not None else None,
                             recognised=node.get("recognised"),
                             eqf_level=r.build(f"{path}.specifiedBy.educationLevel", eqf_from_iri, level,
                                               "educationLevel") if level else None,
                             transcript_assessment=proven,
                             outcomes=r.outcomes(spec, f"{path}.specifiedBy"), reason=node.get("reason"),
                             consequences=tuple(r.items(node.get("practicalConsequence"), "")),
                             counts_for=node.get("countsFor"), validation=validation))
    rec = r.build("credentialSubject", Recognition,
                  home=home, learner=r.learner(subject, "credentialSubject"),
                  qualification=r.qualification(r.get(claim, "qualification", cp), f"{cp}.qualification"),
                  units=tuple(units), decision_date=decision.get("awardingDate"),
                  responsible=r.person(r.get(decision, "responsible", f"{cp}.awardedBy"), f"{cp}.awardedBy.responsible"),
                  transcript=r.ref(r.get(claim, "basedOnTranscript", cp), f"{cp}.basedOnTranscript"),
                  agreement=r.ref(r.get(claim, "basedOnAgreement", cp), f"{cp}.basedOnAgreement"),
                  title=r.text(claim.get("title"), f"{cp}.title", optional=True))
    total = r.points(claim["creditReceived"], f"{cp}.creditReceived") if claim.get("creditReceived") else None
    if total != rec.total_points:
        raise r.fail(f"{cp}.creditReceived", f"total {total} is not the sum of the recognised units ({rec.total_points})")
    return rec
