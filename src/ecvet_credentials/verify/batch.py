"""Many credentials in one process: `verify_many` and its summary.

The caller's trust registry, agreement, resolver and status source are built once and shared by
every verification: status lists are read once per source, the agreement's proofs verified once
(la_signatures.checked_agreement). An input that cannot be read is a result like any other (its
input check failed), so one bad file never stops the batch.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ecvet_credentials.core.errors import EcvetError, InputError
from ecvet_credentials.i18n import N_
from ecvet_credentials.verify.pipeline import verify_credential
from ecvet_credentials.verify.report import VerificationReport, Verdict

# What a folder holds that can be verified: JSON credentials and QR images.
CREDENTIAL_SUFFIXES = (".json", ".jsonld", ".png", ".jpg", ".jpeg")


def collect_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """The files to verify: each file named, and for a folder the credential files directly in it
    (CREDENTIAL_SUFFIXES, hidden files skipped), sorted by name. InputError for a path that does not exist."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.iterdir()
                            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in CREDENTIAL_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{raw}: no such file or folder.")
    return found


def load_json_credential(path: Path) -> Any:
    """The default loader: the file's JSON, parsed under the input limits (InputError when unreadable)."""
    from ecvet_credentials.jsonld.limits import parse_json

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}.") from None
    return parse_json(data, source=str(path))


@dataclass
class BatchResult:
    source: str                 # the file (or name) the credential came from
    report: VerificationReport

    @property
    def verdict(self) -> Verdict:
        return self.report.verdict

    def reason(self) -> str:
        """The first required check that did not pass, in words ('' when verified)."""
        failed = self.report.failed_checks
        return f"{failed[0].id}: {failed[0].message}" if failed else ""

    def to_json(self) -> dict[str, Any]:
        return {"file": self.source, **self.report.to_json()}

    def record(self) -> dict[str, str]:
        """One flat row for a registrar's records (the CSV report)."""
        doc = self.report.document
        types: list[Any] = doc["type"] if isinstance(doc.get("type"), list) else [doc.get("type")]
        kind = next((str(t) for t in types if t not in ("VerifiableCredential", "VerifiablePresentation", None)), "")
        return {"file": self.source, "verdict": self.verdict.value, "verified": str(self.report.verified).lower(),
                "type": kind, "id": str(doc.get("id") or ""), "issuer": str(doc.get("issuer") or ""),
                "failed_checks": " ".join(c.id for c in self.report.failed_checks), "reason": self.reason()}


SUMMARY_WORDS = {  # translated where shown
    Verdict.VERIFIED: N_("{n} verified"),
    Verdict.ISSUER_NOT_RECOGNISED: N_("{n} issuer not recognised"),
    Verdict.COULD_NOT_CHECK: N_("{n} could not be checked"),
    Verdict.NOT_VERIFIED: N_("{n} not verified"),
}


@dataclass
class BatchSummary:
    verdicts: Counter[Verdict] = field(default_factory=Counter)

    def add(self, result: BatchResult) -> None:
        self.verdicts[result.verdict] += 1

    @property
    def total(self) -> int:
        return sum(self.verdicts.values())

    @property
    def all_verified(self) -> bool:
        return self.total > 0 and self.verdicts[Verdict.VERIFIED] == self.total

    def text(self) -> str:
        """e.g. "100 credentials (98 verified, 2 not verified)", in the current language (ecvet_credentials.i18n)."""
        from ecvet_credentials.i18n import _, ngettext

        parts = [_(SUMMARY_WORDS[v]).format(n=self.verdicts[v]) for v in Verdict if self.verdicts[v]]
        head = ngettext("{n} credential", "{n} credentials", self.total).format(n=self.total)
        return f"{head} ({', '.join(parts)})" if parts else head


def verify_many(items: Iterable[Path | str | tuple[str, Any]], *, load: Callable[[Path], Any] = load_json_credential,
                **options: Any) -> Iterator[BatchResult]:
    """Verify each item with the same options (those of verify_credential), one result per item, in order.

    An item is a path (read with `load`, which raises InputError/EcvetError when the file is unreadable)
    or a (name, parsed document) pair. Build the options' trust registry, resolver and status source
    once and pass them here, so that a batch reads them once.
    """
    for item in items:
        if isinstance(item, tuple):
            name, document = item
        else:
            name = str(item)
            try:
                document = load(Path(item))
            except EcvetError as exc:
                yield _unreadable(name, exc.code, str(exc))
                continue
            except OSError as exc:  # e.g. permission denied: this file is unreadable, the batch goes on
                yield _unreadable(name, "UNREADABLE", f"{name}: {exc.strerror or exc}.")
                continue
        yield BatchResult(name, verify_credential(document, **options))


REPORT_FORMATS = (".csv", ".jsonl")
_CSV_FIELDS = ["file", "verdict", "verified", "type", "id", "issuer", "failed_checks", "reason"]


def check_report_path(path: Path) -> None:
    """Refuse a report name that is neither .csv nor .jsonl before any work is done (InputError)."""
    if Path(path).suffix.lower() not in REPORT_FORMATS:
        raise InputError(f"{path}: the report is written as .csv or .jsonl; name the file so.")


def _unreadable(name: str, code: str, message: str) -> BatchResult:
    report = VerificationReport()
    report.failed("input", code, message)
    return BatchResult(name, report)


def write_batch_report(results: list[BatchResult], path: Path) -> None:
    """The registrar's record of a batch: CSV (one flat row each) or JSON Lines (the full reports)."""
    from ecvet_credentials.core.files import atomic_write_text

    path = Path(path)
    check_report_path(path)
    if path.suffix.lower() == ".csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=_CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _inert_cell(v) for k, v in r.record().items()} for r in results)
        atomic_write_text(path, out.getvalue())
    else:
        atomic_write_text(path, "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in results))


def _inert_cell(value: str) -> str:
    """A credential's own text (its id, issuer, a message quoting it) must not run as a spreadsheet formula.
    A carriage return becomes a line feed: the csv module quotes a cell for "\n" (our line end) but writes
    a lone "\r" raw, which a reader takes for the end of the row."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\n") else value
