"""The manual's skills assessment sheet, as a signed part of the Personal Transcript.

Criteria rated on a declared scale, by a workplace supervisor of the host company, dated and signed.
The supervisor signs in the transcript's own proof set (their DID is the sheet's `signer`), rather
than issuing a separate credential referenced by digest: one document carries the sheet and its
unit results, the recognition's digest of the transcript covers both, the QR and the printout show
both, and there is no second file to lose or to pair up again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ecvet_credentials.model import _checks as c
from ecvet_credentials.model.common import Person, _set, check_items, unique_texts
from ecvet_credentials.model.wire import Reader, Writer, iso_date


@dataclass(frozen=True)
class Company:
    """The host company (workplace) of the placement; it needs no DID."""

    name: str
    address: str | None = None
    telephone: str | None = None
    website: str | None = None

    def __post_init__(self):
        _set(self, "name", c.text(self.name, "name", max_len=300))
        _set(self, "address", c.text(self.address, "address", optional=True, max_len=500))
        _set(self, "telephone", c.text(self.telephone, "telephone", optional=True, max_len=50))
        _set(self, "website", c.iri(self.website, "website", optional=True))


@dataclass(frozen=True)
class CriterionRating:
    criterion: str
    rating: str

    def __post_init__(self):
        _set(self, "criterion", c.text(self.criterion, "criterion", max_len=500))
        _set(self, "rating", c.text(self.rating, "rating", max_len=100))


@dataclass(frozen=True)
class SkillsAssessmentSheet:
    """Criteria and ratings on `scale`, by `supervisor` (who signs: supervisor.did), on `date`."""

    supervisor: Person
    scale: str
    ratings: tuple[CriterionRating, ...]
    date: date
    units: tuple[str, ...] = ()          # unit codes the sheet assesses (empty: the whole placement)
    place: str | None = None

    def __post_init__(self):
        if not isinstance(self.supervisor, Person):
            raise c.fail("supervisor", "must be a Person")
        if self.supervisor.did is None:
            raise c.fail("supervisor.did", "is required: the workplace supervisor signs the sheet")
        _set(self, "scale", c.text(self.scale, "scale", max_len=500))
        ratings = check_items(self.ratings, CriterionRating, "ratings", required=True)
        unique_texts((r.criterion for r in ratings), "ratings")
        _set(self, "ratings", ratings)
        _set(self, "date", c.day(self.date, "date"))
        units = tuple(c.text(u, f"units[{i}]", max_len=64) for i, u in enumerate(check_items(self.units, str, "units")))
        unique_texts(units, "units")
        _set(self, "units", units)
        _set(self, "place", c.text(self.place, "place", optional=True, max_len=200))


def write_company(w: Writer, company: Company) -> dict:
    node = {"id": w.frag("company"), "type": "Organisation", "name": company.name}
    for key, value in (("postalAddress", company.address), ("telephone", company.telephone), ("homepage", company.website)):
        if value:
            node[key] = value
    return node


def read_company(r: Reader, value, path: str) -> Company:
    node = r.node(value, path)
    return r.build(path, Company, node.get("name"), node.get("postalAddress"), node.get("telephone"), node.get("homepage"))


def write_sheets(w: Writer, sheets, spec_ids: dict[str, str]) -> list[dict]:
    out = []
    for i, sheet in enumerate(sheets):
        node = {"id": w.frag(f"sheet{i + 1}"), "type": "SkillsAssessmentSheet", "signer": w.person(sheet.supervisor),
                "ratingScale": sheet.scale,
                "assessmentCriterion": [{"id": w.frag(f"sheet{i + 1}-c{j + 1}"), "type": "AssessmentCriterion",
                                         "name": r.criterion, "rating": r.rating} for j, r in enumerate(sheet.ratings)],
                "signingDate": iso_date(sheet.date)}
        if sheet.place:
            node["signingPlace"] = sheet.place
        if sheet.units:
            node["appliesTo"] = [spec_ids[code] for code in sheet.units]
        out.append(node)
    return out


def read_sheets(r: Reader, value, path: str, code_by_spec: dict[str, str]) -> tuple[SkillsAssessmentSheet, ...]:
    out = []
    for i, item in enumerate(r.items(value, "")):
        sp = f"{path}[{i}]"
        node = r.node(item, sp)
        units = []
        for j, ref in enumerate(r.items(node.get("appliesTo"), "")):
            if ref not in code_by_spec:
                raise r.fail(f"{sp}.appliesTo[{j}]", f"{ref!r} is not one of the transcript's units")
            units.append(code_by_spec[ref])
        ratings = []
        for j, x in enumerate(r.items(node.get("assessmentCriterion"), "")):
            cp = f"{sp}.assessmentCriterion[{j}]"
            n = r.node(x, cp)
            ratings.append(r.build(cp, CriterionRating, n.get("name"), n.get("rating")))
        out.append(r.build(sp, SkillsAssessmentSheet, supervisor=r.person(r.get(node, "signer", sp), f"{sp}.signer"),
                           scale=node.get("ratingScale"), ratings=tuple(ratings), date=node.get("signingDate"),
                           units=tuple(units), place=node.get("signingPlace")))
    return tuple(out)
