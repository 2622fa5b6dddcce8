"""The evaluation report of a partnership after mobility: per partner pair and period, how many units
were agreed, assessed, achieved, validated and recognised, and which learning outcomes were most
often not achieved. Read from the partnership's own credentials (LA, transcripts, recognitions):
a review document, not a verification (verify each credential with `ecvet verify`)."""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecvet_credentials.core.errors import EcvetError

COLUMNS = ("host", "home", "period", "learners", "units_agreed", "units_assessed", "units_achieved",
           "units_validated", "units_recognised", "units_outside_agreement")


@dataclass
class PartnerPeriod:
    host: str
    home: str
    period: str
    learners: set = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)

    def row(self) -> dict:
        return {"host": self.host, "home": self.home, "period": self.period, "learners": len(self.learners),
                **{c: self.counts[c] for c in COLUMNS[4:]}}


@dataclass
class EvaluationReport:
    groups: dict[tuple[str, str, str], PartnerPeriod] = field(default_factory=dict)
    not_achieved: Counter = field(default_factory=Counter)   # learning outcome text -> times not achieved
    skipped: list[str] = field(default_factory=list)          # files that are no ECVET LA/PT/recognition

    def rows(self) -> list[dict]:
        return [g.row() for _, g in sorted(self.groups.items())]

    def top_not_achieved(self, n: int = 10) -> list[tuple[str, int]]:
        return self.not_achieved.most_common(n)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return out.getvalue()


def _group(report: EvaluationReport, host, home, start) -> PartnerPeriod:
    key = (host.name, home.name if home else "?", str(start.year))
    if key not in report.groups:
        report.groups[key] = PartnerPeriod(*key)
    return report.groups[key]


def evaluate(documents: list[dict]) -> EvaluationReport:
    """The report over parsed credentials (any order; other documents are skipped by id)."""
    from ecvet_credentials.model import EcvetDocument, LearningAgreement, PersonalTranscript, Recognition
    from ecvet_credentials.model import credential_type, from_credential

    report = EvaluationReport()
    models: dict[Any, tuple[str | None, EcvetDocument]] = {}
    for doc in documents:
        try:
            kind = credential_type(doc)
            if kind not in ("EcvetLearningAgreement", "EcvetPersonalTranscript", "EcvetRecognition"):
                raise EcvetError("not a LA, transcript or recognition")
            models[doc.get("id")] = (kind, from_credential(doc))
        except EcvetError:
            report.skipped.append(str(doc.get("id") if isinstance(doc, dict) else "?"))
    agreements = {cid: m for cid, (_k, m) in models.items() if isinstance(m, LearningAgreement)}
    transcripts = {cid: m for cid, (_k, m) in models.items() if isinstance(m, PersonalTranscript)}
    for la in agreements.values():
        group = _group(report, la.host, la.home, la.start)
        group.learners.add(la.learner.learner_id)
        group.counts["units_agreed"] += len(la.units)
    for pt in transcripts.values():
        agreed = agreements.get(pt.agreement.id) if pt.agreement else None
        group = _group(report, pt.host, agreed.home if agreed else pt.home, pt.start)
        group.learners.add(pt.learner.learner_id)
        for result in pt.units:
            group.counts["units_assessed"] += 1
            if result.assessment.passed:
                group.counts["units_achieved"] += 1
            else:
                report.not_achieved.update(str(o.text) for o in result.unit.outcomes)
            if agreed is not None and agreed.unit(result.unit.code) is None:
                group.counts["units_outside_agreement"] += 1
    for _kind, rec in models.values():
        if not isinstance(rec, Recognition):
            continue
        transcript = transcripts.get(rec.transcript.id)
        if transcript is None:
            report.skipped.append(f"recognition for {rec.transcript.id}: its transcript is not among the files")
            continue
        agreed = agreements.get(rec.agreement.id)
        group = _group(report, transcript.host, agreed.home if agreed else rec.home, transcript.start)
        group.counts["units_validated"] += len(rec.units)
        group.counts["units_recognised"] += sum(1 for u in rec.units if u.recognised)
    return report


def evaluate_paths(paths: list[Path]) -> EvaluationReport:
    """The report over JSON files and directories of JSON files (the one bounded read and parse)."""
    from ecvet_credentials.jsonld.limits import read_json_file

    files = []
    for path in paths:
        files += sorted(p for p in Path(path).rglob("*.json") if p.is_file()) if Path(path).is_dir() else [Path(path)]
    documents, skipped = [], []
    for path in files:
        try:
            doc = read_json_file(path)
        except (EcvetError, OSError):
            skipped.append(str(path))
            continue
        if isinstance(doc, dict):
            documents.append(doc)
    report = evaluate(documents)
    report.skipped += skipped
    return report
