"""The template's parts around the units: enclosures (by reference) and signatories (the face of a
signature), with their wire form. Shared by the Learning Agreement, the transcript and the MoU."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ecvet_credentials.model import _checks as c
from ecvet_credentials.model.common import _set
from ecvet_credentials.model.wire import Reader, Writer, iso_date


@dataclass(frozen=True)
class Enclosure:
    """An enclosure of the template, by reference: its kind (Europass CV, Europass Mobility, Language
    Passport, Certificate Supplement, units already acquired, development plan, annex...), a title,
    and where it is (URL) and/or its digest. The document itself is never embedded."""

    kind: str
    title: str
    url: str | None = None
    digest_multibase: str | None = None

    def __post_init__(self):
        _set(self, "kind", c.text(self.kind, "kind", max_len=200))
        _set(self, "title", c.text(self.title, "title", max_len=200))
        _set(self, "url", c.iri(self.url, "url", optional=True))
        digest = c.text(self.digest_multibase, "digest_multibase", optional=True, max_len=200)
        if digest is not None and not re.match(r"^[uz][A-Za-z0-9_-]{10,200}$", digest):
            raise c.fail("digest_multibase", f"must be multibase (u... base64url or z... base58btc), got {digest!r}")
        _set(self, "digest_multibase", digest)


@dataclass(frozen=True)
class Signatory:
    """The face of a signature, as a signed claim: the DID whose proof signs, and the person's name,
    role and the place and date of signing as written on the template."""

    did: str
    name: str
    role: str
    place: str | None = None
    date: date | None = None

    def __post_init__(self):
        _set(self, "did", c.did(self.did, "did"))
        _set(self, "name", c.text(self.name, "name", max_len=200))
        _set(self, "role", c.text(self.role, "role", max_len=200))
        _set(self, "place", c.text(self.place, "place", optional=True, max_len=200))
        _set(self, "date", c.day(self.date, "date", optional=True))


def write_enclosures(w: Writer, enclosures) -> list[dict]:
    out = []
    for i, e in enumerate(enclosures):
        node = {"id": w.frag(f"encl{i + 1}"), "type": "Enclosure", "enclosureType": e.kind, "name": e.title}
        if e.url:
            node["enclosureUrl"] = e.url
        if e.digest_multibase:
            node["digestMultibase"] = e.digest_multibase
        out.append(node)
    return out


def read_enclosures(r: Reader, value, path: str) -> tuple[Enclosure, ...]:
    out = []
    for i, item in enumerate(r.items(value, "")):
        node = r.node(item, f"{path}[{i}]")
        out.append(r.build(f"{path}[{i}]", Enclosure, node.get("enclosureType"), node.get("name"),
                           node.get("enclosureUrl"), node.get("digestMultibase")))
    return tuple(out)


def write_signatories(w: Writer, signatories) -> list[dict]:
    out = []
    for i, s in enumerate(signatories):
        node = {"id": w.frag(f"sig{i + 1}"), "type": "Signatory", "signer": s.did, "name": s.name,
                "signatoryRole": s.role}
        if s.place:
            node["signingPlace"] = s.place
        if s.date:
            node["signingDate"] = iso_date(s.date)
        out.append(node)
    return out


def read_signatories(r: Reader, value, path: str) -> tuple[Signatory, ...]:
    out = []
    for i, item in enumerate(r.items(value, "")):
        node = r.node(item, f"{path}[{i}]")
        out.append(r.build(f"{path}[{i}]", Signatory, node.get("signer"), node.get("name"), node.get("signatoryRole"),
                           node.get("signingPlace"), node.get("signingDate")))
    return tuple(out)


def unique_signers(signatories, field_: str) -> None:
    from ecvet_credentials.model.common import unique_texts

    unique_texts((s.did for s in signatories), field_)
