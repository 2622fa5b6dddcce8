"""The cross-field rules of ECVET credentials that JSON Schema cannot say (dates inside the mobility,
points that add up, the guardian of a minor, unique nodes, references that resolve), and the issue
type both steps report."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any
from ecvet_credentials.model.concepts import GRADE_NOT_ACHIEVED
from ecvet_credentials.model.node_index import node_index


@dataclass(frozen=True)
class SchemaIssue:
    path: str       # JSON path, e.g. "$.credentialSubject.hasClaim.hasPart[0].provenBy.dateIssued"
    message: str
    code: str = "SCHEMA_INVALID"   # SCHEMA_INVALID (shape) or RULE_VIOLATION (cross-field rule)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

def _day(value: str) -> date:
    return date.fromisoformat(value)

def _instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)

class _Rules:
    def __init__(self, doc: dict):
        self.doc = doc
        self.issues: list[SchemaIssue] = []
        self.refs: list[Any] = []  # the values under _REF_KEYS, gathered by the index's walk
        self.index = node_index(doc, self.refs, _REF_KEYS)

    def add(self, path: str, message: str):
        self.issues.append(SchemaIssue(path, message, "RULE_VIOLATION"))

    def node(self, value):
        return self.index.get(value) if isinstance(value, str) else value

    def refs_resolve(self, value, path: str, keys: frozenset):
        """Every id-string reference under one of `keys` names a node described in the credential."""
        if isinstance(value, dict):
            for key, item in value.items():
                if key in keys:
                    sub = f"{path}.{key}"
                    for i, ref in enumerate(item if isinstance(item, list) else [item]):
                        if isinstance(ref, str) and ref not in self.index \
                                and not any(issue.path.startswith(sub) for issue in self.issues):
                            self.add(sub + (f"[{i}]" if isinstance(item, list) else ""),
                                     f"refers to {ref!r}, which the credential does not describe")
                # only containers hold references (most values are strings): no call for a scalar
                if isinstance(item, (dict, list)) and key not in ("@context", "proof"):
                    self.refs_resolve(item, f"{path}.{key}", keys)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, (dict, list)):
                    self.refs_resolve(item, f"{path}[{i}]", keys)

    def refs_known(self) -> bool:
        """True when every reference refs_resolve would look at names a node of the index: the usual
        case, found without building a path for every node (refs_resolve then has nothing to add).
        The references were gathered by the index's walk (the same nodes refs_resolve visits)."""
        index = self.index
        for item in self.refs:
            for ref in item if isinstance(item, list) else (item,):
                if isinstance(ref, str) and ref not in index:
                    return False
        return True

    def envelope(self):
        valid_from = _instant(self.doc["validFrom"])
        if "validUntil" in self.doc and _instant(self.doc["validUntil"]) <= valid_from:
            self.add("$.validUntil", "must be after validFrom")
        return valid_from

    def period(self, node: dict, path: str) -> tuple[date, date]:
        start, end = _day(node["startDate"]), _day(node["endDate"])
        if end < start:
            self.add(f"{path}.endDate", f"{end} is before startDate {start}")
        return start, end

    def points(self, spec_points: dict, received, path: str, *, not_achieved: bool = False):
        received = self.node(received)
        if not isinstance(received, dict):
            return
        got, allocated = Decimal(received["point"]), Decimal(spec_points["point"])
        if got > allocated:
            self.add(f"{path}.creditReceived", f"{got} points received is more than the unit's {allocated}")
        if not_achieved and got != 0:
            self.add(f"{path}.creditReceived", "must be 0 for a unit that was not achieved")

_REF_KEYS = frozenset({"signer", "mentor", "creditReceived", "location", "specifiedBy", "gradingScheme", "assessedBy", "contactPerson",
                       "assessor", "responsible", "guardian", "appliesTo", "directedBy", "awardingBody",
                       "homeInstitution", "validatedBy", "organisation"})

def _unique(r: _Rules, items, key, path: str) -> None:
    """List items that must be unique by meaning (not only as whole objects, which differ by id);
    key None: the items are their own keys."""
    seen = set()
    for i, value in enumerate(items if key is None else map(key, items)):
        if value in seen:
            r.add(f"{path}[{i}]", "appears twice (each entry must be unique)")
        seen.add(value)

def _nodes_unique(r: _Rules) -> None:
    """Every unit's learning outcomes (by text) and every organisation's identifiers, wherever they are."""
    for node in r.index.values():
        outcomes = node.get("learningOutcome")
        if isinstance(outcomes, list):
            _outcomes_unique(r, outcomes, f"$..[{node['id']}].learningOutcome")
        if node.get("type") == "Organisation" and isinstance(node.get("identifier"), list):
            _unique(r, node["identifier"], lambda n: (n.get("schemeName"), n.get("notation")),
                    f"$..[{node['id']}].identifier")

def _outcomes_unique(r: _Rules, outcomes: list, path: str) -> None:
    """Learning outcomes compare by title. Titles that are all language maps of strings (the usual
    case) compare as sets of (language, text), which JSON text equality also means, without encoding
    each one; otherwise as their JSON text, as before (one kind of key for the whole list)."""
    titles = [lo.get("title") for lo in outcomes]
    if all(type(t) is dict and all(type(k) is str and type(v) is str for k, v in t.items()) for t in titles):
        keys = [frozenset(t.items()) for t in titles]
        if len(set(keys)) < len(keys):  # the usual case has no repeat: nothing more to do
            _unique(r, keys, None, path)
        return
    _unique(r, outcomes, lambda lo: json.dumps(lo.get("title"), sort_keys=True), path)

def _proof_dates(doc, *, by: str | None = None) -> list[tuple[str, datetime]]:
    """(path, created) of the proofs (only those whose verification method belongs to `by`)."""
    proofs = doc.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if isinstance(proofs, dict) else []
    out = []
    for i, proof in enumerate(proofs):
        if by is not None and not (isinstance(proof, dict) and str(proof.get("verificationMethod", "")).startswith(by + "#")):
            continue
        created = proof.get("created") if isinstance(proof, dict) else None
        if isinstance(created, str):
            path = f"$.proof[{i}].created" if isinstance(doc.get("proof"), list) else "$.proof.created"
            try:
                out.append((path, _instant(created)))
            except ValueError:
                pass  # the proof engine reports malformed proofs
    return out

def _agreement_rules(r: _Rules, valid_from: datetime):
    subject = r.doc["credentialSubject"]
    claim = subject["hasClaim"]
    cp = "$.credentialSubject.hasClaim"
    start, _ = r.period(claim["temporal"], f"{cp}.temporal")
    # Signed before the mobility starts: validFrom and every proof on or before the start date.
    if valid_from.astimezone(timezone.utc).date() > start:  # one time zone (UTC) for every date rule
        r.add("$.validFrom", f"the learning agreement must be in force by the start date {start}")
    for path, created in _proof_dates(r.doc):
        if created.astimezone(timezone.utc).date() > start:
            r.add(path, f"signed {created.date()}, after the mobility started on {start}")
    if claim["homeInstitution"] != r.doc["issuer"]["id"]:
        r.add(f"{cp}.homeInstitution", "must be the issuer (the home institution drafts the agreement)")
    if claim["directedBy"]["id"] == r.doc["issuer"]["id"]:
        r.add(f"{cp}.directedBy.id", "the host institution must differ from the home institution")
    born = _day(subject["dateOfBirth"])
    age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    if age < 18 and "guardian" not in subject:
        r.add("$.credentialSubject.guardian", f"is required: the learner is {age} on the start date {start}")
    for _where, created in _proof_dates(r.doc, by=subject["id"]):
        day = created.astimezone(timezone.utc).date()
        age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if age < 18 and "guardian" not in subject:
            r.add("$.credentialSubject.guardian", f"is required: the learner was {age} on the day they signed ({day})")
    for i, arr in enumerate(claim["assessmentArrangement"]):
        _unique(r, arr["assessor"], lambda p: p if isinstance(p, str) else (p["id"]),
                f"{cp}.assessmentArrangement[{i}].assessor")
    specs = {s["id"] for s in claim["influences"]}
    codes = [s["identifier"]["notation"] for s in claim["influences"]]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            r.add(f"{cp}.influences[{i}].identifier.notation", f"unit code {code!r} appears twice")
    covered: set[Any] = set()
    for i, arr in enumerate(claim["assessmentArrangement"]):
        for j, ref in enumerate(arr.get("appliesTo", [])):
            if ref not in specs:
                r.add(f"{cp}.assessmentArrangement[{i}].appliesTo[{j}]", f"{ref!r} is not one of the agreement's units")
        covered.update(arr.get("appliesTo") or specs)
    for i, spec in enumerate(claim["influences"]):
        if spec["id"] not in covered:
            r.add(f"{cp}.influences[{i}]", "no assessment arrangement covers this unit")

def _transcript_rules(r: _Rules, valid_from: datetime):
    claim = r.doc["credentialSubject"]["hasClaim"]
    cp = "$.credentialSubject.hasClaim"
    mobility = claim["influencedBy"]
    start, end = r.period(mobility["temporal"], f"{cp}.influencedBy.temporal")
    if mobility["durationWeeks"] * 7 > (end - start).days + 7:
        r.add(f"{cp}.influencedBy.durationWeeks", f"{mobility['durationWeeks']} weeks do not fit between {start} and {end}")
    if mobility["directedBy"] != r.doc["issuer"]["id"]:
        r.add(f"{cp}.influencedBy.directedBy", "must be the issuer (the host institution issues the transcript)")
    codes = []
    for i, unit in enumerate(claim["hasPart"]):
        path = f"{cp}.hasPart[{i}]"
        code = unit["specifiedBy"]["identifier"]["notation"]
        if code in codes:
            r.add(f"{path}.specifiedBy.identifier.notation", f"unit code {code!r} appears twice")
        codes.append(code)
        proven = unit["provenBy"] if isinstance(unit["provenBy"], list) else [unit["provenBy"]]
        for j, assessment in enumerate(proven):
            at = f"{path}.provenBy" + (f"[{j}]" if isinstance(unit["provenBy"], list) else "")
            assessed = _day(assessment["dateIssued"])
            if assessed < start:  # after the return is allowed when the LA says so (agreement-match)
                r.add(f"{at}.dateIssued", f"{assessed} is before the mobility started on {start}")
            if assessed > valid_from.astimezone(timezone.utc).date():
                r.add(f"{at}.dateIssued", f"{assessed} is after the transcript's validFrom")
        assessment = proven[0]  # the deciding assessment
        spec_points, received = unit["specifiedBy"].get("creditPoint"), unit.get("creditReceived")
        if (spec_points is None) != (received is None):
            r.add(f"{path}.creditReceived", "points are received exactly when the unit has ECVET points")
        elif spec_points is not None:
            r.points(spec_points, received, path, not_achieved=assessment["gradeStatus"] == GRADE_NOT_ACHIEVED)

def _recognition_rules(r: _Rules, valid_from: datetime):
    claim = r.doc["credentialSubject"]["hasClaim"]
    cp = "$.credentialSubject.hasClaim"
    decision = claim["awardedBy"]
    if decision["awardingBody"] != r.doc["issuer"]["id"]:
        r.add(f"{cp}.awardedBy.awardingBody", "must be the issuer")
    if _day(decision["awardingDate"]) > valid_from.astimezone(timezone.utc).date():
        r.add(f"{cp}.awardedBy.awardingDate", "the decision date is after the credential's validFrom")
    if claim["basedOnTranscript"]["id"] == claim["basedOnAgreement"]["id"]:
        r.add(f"{cp}.basedOnAgreement.id", "is the same credential as basedOnTranscript")
    total = None
    for i, unit in enumerate(claim["hasPart"]):
        up = f"{cp}.hasPart[{i}]"
        points = Decimal(unit["creditReceived"]["point"]) if "creditReceived" in unit else None
        if not unit["recognised"] and points:
            r.add(f"{up}.creditReceived", "must be 0 for a unit validated but not recognised")
        if unit["recognised"] and points is not None:
            total = (total or Decimal(0)) + points
        validation = unit.get("validation")
        if validation and _day(validation["validationDate"]) > _day(decision["awardingDate"]):
            r.add(f"{up}.validation.validationDate", "validation comes before recognition: it is after the decision date")
    given = Decimal(claim["creditReceived"]["point"]) if "creditReceived" in claim else None
    if given != total:
        r.add(f"{cp}.creditReceived.point", f"is not the sum of the recognised units ({total if total is not None else 'no points'})")

def _mou_rules(r: _Rules, valid_from: datetime):
    subject = r.doc["credentialSubject"]
    r.period(subject["temporal"], "$.credentialSubject.temporal")
    first = subject["partner"][0]["organisation"]
    if (first if isinstance(first, str) else first.get("id")) != r.doc["issuer"]["id"]:
        r.add("$.credentialSubject.partner[0].organisation", "the first partner must be the issuer (who drafts the MoU)")
    _unique(r, subject["partner"], lambda p: p["organisation"] if isinstance(p["organisation"], str) else p["organisation"]["id"],
            "$.credentialSubject.partner")

_RULES = {"learning-agreement-v1": _agreement_rules, "personal-transcript-v1": _transcript_rules,
          "recognition-v1": _recognition_rules, "memorandum-of-understanding-v1": _mou_rules}
