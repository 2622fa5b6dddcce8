"""The evaluation report of a partnership after mobility: per partner pair and period, how many units
were agreed, assessed, achieved, validated and recognised, and which learning outcomes were most
often not achieved. Read from the partnership's own credentials (LA, transcripts, recognitions), or from
the facts the issuer registry keeps of each credential it issued (the same facts: model_facts):
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


KINDS = ("EcvetLearningAgreement", "EcvetPersonalTranscript", "EcvetRecognition")


def model_facts(kind: str, model, *, agreement=None, transcript=None, learner_key=str) -> dict | None:
    """What the report counts for one credential (a model), given its agreement and, for a recognition,
    its transcript (None: a recognition without its transcript cannot be placed). Stored as they are in
    the registry at issuance (`learner_key` makes the learner a salted digest there), so the report from
    the registry and from the files add up the same facts."""
    counts: Counter = Counter()
    not_achieved: list[str] = []
    if kind == "EcvetLearningAgreement":
        host, home, start, learner = model.host, model.home, model.start, model.learner
        counts["units_agreed"] = len(model.units)
    elif kind == "EcvetPersonalTranscript":
        host, home, start, learner = model.host, agreement.home if agreement else model.home, model.start, model.learner
        for result in model.units:
            counts["units_assessed"] += 1
            if result.assessment.passed:
                counts["units_achieved"] += 1
            else:
                not_achieved += [str(o.text) for o in result.unit.outcomes]
            if agreement is not None and agreement.unit(result.unit.code) is None:
                counts["units_outside_agreement"] += 1
    elif kind == "EcvetRecognition":
        if transcript is None:
            return None
        host, home, start, learner = transcript.host, agreement.home if agreement else model.home, transcript.start, None
        counts["units_validated"] = len(model.units)
        counts["units_recognised"] = sum(1 for u in model.units if u.recognised)
    else:
        return None
    return {"v": 1, "host": host.name, "home": home.name if home else "?", "period": str(start.year),
            "learner": learner_key(learner.learner_id) if learner is not None else None,
            "counts": {k: n for k, n in counts.items() if n}, "not_achieved": not_achieved}


def document_facts(doc: dict, *, agreement: dict | None = None, transcript: dict | None = None,
                   learner_key=str) -> dict | None:
    """model_facts of a credential and its related documents (JSON); None when they do not read."""
    from ecvet_credentials.model import credential_type, from_credential

    try:
        kind = credential_type(doc)
        if kind not in KINDS:
            return None
        return model_facts(kind, from_credential(doc), learner_key=learner_key,
                           agreement=from_credential(agreement) if agreement is not None else None,
                           transcript=from_credential(transcript) if transcript is not None else None)
    except EcvetError:
        return None


def add_facts(report: EvaluationReport, facts: dict) -> None:
    key = (facts["host"], facts["home"], facts["period"])
    if key not in report.groups:
        report.groups[key] = PartnerPeriod(*key)
    group = report.groups[key]
    if facts.get("learner") is not None:
        group.learners.add(facts["learner"])
    group.counts.update(facts.get("counts") or {})
    report.not_achieved.update(facts.get("not_achieved") or [])


def evaluate(documents: list[dict], *, stored: dict[str, dict] | None = None, learner_key=str) -> EvaluationReport:
    """The report over parsed credentials (any order; other documents are skipped by id), plus `stored`
    facts (the registry's, by credential id; a document among them is counted once). With stored facts,
    `learner_key` must be the registry's (row_digest), so a learner counts once in both."""
    from ecvet_credentials.model import EcvetDocument, LearningAgreement, PersonalTranscript, Recognition
    from ecvet_credentials.model import credential_type, from_credential

    report = EvaluationReport()
    stored = stored or {}
    models: dict[Any, tuple[str | None, EcvetDocument]] = {}
    for doc in documents:
        try:
            kind = credential_type(doc)
            if kind not in KINDS:
                raise EcvetError("not a LA, transcript or recognition")
            models[doc.get("id")] = (kind, from_credential(doc))
        except EcvetError:
            report.skipped.append(str(doc.get("id") if isinstance(doc, dict) else "?"))
    agreements = {cid: m for cid, (_k, m) in models.items() if isinstance(m, LearningAgreement)}
    transcripts = {cid: m for cid, (_k, m) in models.items() if isinstance(m, PersonalTranscript)}
    for cid, (kind, model) in models.items():
        if cid in stored:
            continue
        agreed = transcript = None
        if isinstance(model, (PersonalTranscript, Recognition)) and model.agreement is not None:
            agreed = agreements.get(model.agreement.id)
        if isinstance(model, Recognition):
            transcript = transcripts.get(model.transcript.id)
            if transcript is None:
                report.skipped.append(f"recognition for {model.transcript.id}: its transcript is not among the files")
                continue
        facts = model_facts(kind or "", model, agreement=agreed, transcript=transcript, learner_key=learner_key)
        if facts is not None:
            add_facts(report, facts)
    for facts in stored.values():
        add_facts(report, facts)
    return report


def evaluate_paths(paths: list[Path], *, stored: dict[str, dict] | None = None, learner_key=str) -> EvaluationReport:
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
    report = evaluate(documents, stored=stored, learner_key=learner_key)
    report.skipped += skipped
    return report
