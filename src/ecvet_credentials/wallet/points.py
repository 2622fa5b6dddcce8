"""ECVET points recognised per qualification, from the learner's verified Recognition credentials.

60 ECVET points are the reference for the learning outcomes of one year of full-time formal VET.
A unit recognised twice (e.g. a re-issued Recognition) counts once per qualification.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

YEAR_POINTS = Decimal(60)


@dataclass
class QualificationPoints:
    title: str
    units: dict[str, Decimal] = field(default_factory=dict)  # unit code -> points
    credentials: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.units.values(), Decimal(0))

    @property
    def years(self) -> Decimal:
        return self.total / YEAR_POINTS


@dataclass
class PointsOverview:
    qualifications: list[QualificationPoints]
    skipped: list[tuple[str, str]]  # (wallet id, why)


def points_overview(stored: list, *, reports: dict[str, dict] | None = None) -> PointsOverview:
    """`stored`: wallet.Stored items; `reports` optionally overrides reports by wallet id (re-verified now)."""
    from ecvet_credentials.model import recognition_from_credential
    from ecvet_credentials.wallet.summary import marks

    by_title: dict[str, QualificationPoints] = {}
    skipped = []
    for item in stored:
        if item.entry.get("ecvetType") != "EcvetRecognition":
            continue
        cid = item.entry["id"]
        report = (reports or {}).get(cid, item.report)
        if not report.get("verified"):
            why = ", ".join(mk["mark"] for mk in marks(report))
            skipped.append((cid, f"not verified ({why or 'see wallet show'})"))
            continue
        try:
            rec = recognition_from_credential(item.credential)
        except Exception as exc:  # noqa: BLE001 - an unreadable model is a skip reason, not a crash
            skipped.append((cid, f"unreadable ({type(exc).__name__})"))
            continue
        key = rec.qualification.code or str(rec.qualification.title)
        q = by_title.setdefault(key, QualificationPoints(str(rec.qualification.title)))
        q.credentials.append(cid)
        for unit in rec.units:
            if unit.recognised:  # a system without points credits the outcomes: 0 points here
                q.units[unit.code] = max(q.units.get(unit.code, Decimal(0)), unit.points or Decimal(0))
    return PointsOverview(list(by_title.values()), skipped)
