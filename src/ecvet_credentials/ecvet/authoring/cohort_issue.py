"""Issuing a cohort: every row checked, each learner's transcript issued once, corrections re-issued.

For each learner of the sheet (cohort.iter_cohort, streamed), in one pass:
- errors -> reported on results.csv (file, row, column), nothing issued for that learner;
- not issued yet -> issued (the registry records the salted learner key, row content and rows);
- issued from the same content -> "already issued" (a re-run issues nothing twice);
- issued from other content -> "changed since issued"; with `reissue` the old credential is revoked
  (reason in the audit log) and the corrected one issued, naming the one it replaces.
`check_only` runs every rule and reports, and touches neither the registry nor the output folder.
"""
from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.i18n import _
from ecvet_credentials.ecvet.authoring.cohort import CohortEntry, CohortOptions, iter_cohort, load_template

RESULT_COLUMNS = ("learner_id", "rows", "status", "credential_id", "replaces", "file", "error", "warnings")
STATUSES = ("issued", "re-issued", "already issued", "changed since issued", "checked", "error")


@dataclass
class CohortRun:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    problems: list[str] = field(default_factory=list)   # every error line, for the terminal
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)      # credential files written (for QR codes and pages)

    @property
    def ok(self) -> bool:
        return not self.counts["error"] and not self.counts["changed since issued"]


def safe_name(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", value).strip("_") or "learner"


def issue_cohort(path: Path, template_path: Path, *, key, registry=None, out_dir: Path | None = None,
                 options: CohortOptions | None = None, batch_id: str | None = None, check_only: bool = False,
                 reissue: str | None = None, who: str = "ecvet", created: str | None = None,
                 status_base_url: str | None = None, progress: Callable[[Iterator], Iterator] = iter,
                 on_file: Callable[[Path], None] | None = None) -> CohortRun:
    """Issue (or with `check_only`, only check) a cohort; results.csv in `out_dir` lists every learner.
    `on_file(path)` is called with each credential file written or already there (e.g. to draw its QR code).

    `reissue` is the reason recorded when a changed row's credential is revoked and re-issued."""
    from ecvet_credentials.core.files import atomic_write_text
    from ecvet_credentials.ecvet.issue import issue_credential
    from ecvet_credentials.model import CredentialRef, build_transcript_credential
    from ecvet_credentials.model import _checks as checks

    options = options or CohortOptions()
    loaded = load_template(template_path)
    template = loaded.template
    agreements = _agreement_models((loaded.agreement_doc, *options.agreements))
    valid_from = checks.timestamp(template.get("valid_from"), "valid_from", optional=True)
    valid_until = checks.timestamp(template.get("valid_until"), "valid_until", optional=True)
    if not check_only and (registry is None or out_dir is None):
        raise ValueError("issuing a cohort needs a registry and an out_dir")
    batch_id = batch_id or path.name
    run = CohortRun()
    writer_file = None
    if out_dir is not None and not check_only:
        out_dir.mkdir(parents=True, exist_ok=True)
        writer_file = tempfile.NamedTemporaryFile("w", dir=out_dir, prefix=".results-", suffix=".csv",  # noqa: SIM115
                                                  delete=False, encoding="utf-8", newline="")
        writer = csv.DictWriter(writer_file, fieldnames=RESULT_COLUMNS)
        writer.writeheader()
    try:
        for entry in progress(iter_cohort(path, template_path, options=options)):
            row = {"learner_id": entry.learner_id, "rows": " ".join(map(str, entry.rows)), "status": "",
                   "credential_id": "", "replaces": "", "file": "",
                   "error": " | ".join(map(str, entry.errors)), "warnings": " | ".join(map(str, entry.warnings))}
            run.problems += [str(e) for e in entry.errors]
            run.warnings += [str(w) for w in entry.warnings]
            if entry.errors:
                row["status"] = "error"
            elif check_only:
                row["status"] = "checked"
            else:
                _issue_entry(entry, row, run, out_dir=out_dir, key=key, registry=registry, batch_id=batch_id,
                             reissue=reissue, who=who, created=created, valid_from=valid_from, valid_until=valid_until,
                             status_base_url=status_base_url, options=options, agreements=agreements,
                             build=build_transcript_credential, ref=CredentialRef, issue=issue_credential,
                             write=atomic_write_text)
            run.counts[row["status"]] += 1
            if on_file is not None and out_dir is not None and row["file"]:
                on_file(out_dir / row["file"])
            if writer_file is not None:
                writer.writerow(row)
        if writer_file is not None and out_dir is not None:  # (a results file is only made in an out_dir)
            writer_file.close()
            os.replace(writer_file.name, out_dir / "results.csv")
            writer_file = None
    finally:
        if writer_file is not None:
            writer_file.close()
            os.unlink(writer_file.name)
    return run


def _agreement_models(docs) -> dict:
    """The Learning Agreements at hand by id, read once (for the evaluation facts of each transcript)."""
    from ecvet_credentials.model import agreement_from_credential

    out = {}
    for doc in docs:
        if isinstance(doc, dict) and doc.get("id") not in out:
            try:
                out[doc.get("id")] = agreement_from_credential(doc)
            except EcvetError:  # the rules report an unreadable agreement; the facts then go without it
                continue
    return out


def _issue_entry(entry: CohortEntry, row: dict, run: CohortRun, *, out_dir, key, registry, batch_id, reissue, who,
                 created, valid_from, valid_until, status_base_url, options, agreements, build, ref, issue,
                 write) -> None:
    from dataclasses import replace

    from ecvet_credentials.ecvet.evaluation import model_facts
    from ecvet_credentials.model.recognition import digest_multibase
    from ecvet_credentials.registry import cohort_rows

    # an entry without errors always has its transcript and content digest (cohort._learner)
    assert entry.transcript is not None and entry.content_digest is not None
    target = out_dir / f"{safe_name(entry.learner_id)}.json"
    try:
        issued = cohort_rows.issued_row(registry, batch_id, entry.learner_id)
        replaces = None
        if issued is not None and cohort_rows.changed(registry, issued, entry.content_digest):
            if not reissue:
                row["status"], row["credential_id"] = "changed since issued", issued.record.credential_id
                run.problems.append(_("{learner} (rows {rows}): changed since issued as {id}; re-issue it with "
                                      "--reissue REASON").format(learner=entry.learner_id, rows=row["rows"],
                                                                 id=issued.record.credential_id))
                return
            replaces = issued.record.credential_id
            cohort_rows.supersede(registry, replaces, who=who, reason=f"replaced by a corrected credential: {reissue}")
            issued = None
        elif issued is None:
            replaces = cohort_rows.pending_replacement(registry, batch_id, entry.learner_id)
        transcript = entry.transcript
        if replaces is not None:
            old = _old_credential(target, replaces)
            transcript = replace(transcript, replaces=ref(replaces, digest_multibase(old) if old else None))
        unsigned = build(transcript, valid_from=valid_from, valid_until=valid_until)
        deviation = f"{options.allow_deviation}: " + "; ".join(entry.deviations) if entry.deviations else None

        def record_then_write(doc, t=target):
            write(t, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")

        values = cohort_rows.row_values(registry, learner_id=entry.learner_id, content_digest=entry.content_digest,
                                        rows=entry.rows, replaces=replaces, deviation=deviation)
        la = agreements.get(transcript.agreement.id) if transcript.agreement else None
        result = issue(unsigned, key, created=created, registry=registry, status_base_url=status_base_url,
                       batch_id=batch_id, row_key=entry.learner_id, write=record_then_write, row_values=values,
                       evaluation=model_facts("EcvetPersonalTranscript", transcript, agreement=la))
        if result.already_issued:
            row["status"] = "already issued"
        else:
            row["status"] = "re-issued" if replaces else "issued"
        row["credential_id"], row["replaces"], row["file"] = result.credential["id"], replaces or "", target.name
        run.files.append(target.name)
    except EcvetError as exc:  # a learner's problem is reported on its row; the batch goes on
        row["status"], row["error"] = "error", str(exc)
        run.problems.append(f"{entry.learner_id} (rows {row['rows']}): {exc}")


def _old_credential(path: Path, credential_id: str) -> dict | None:
    """The replaced credential as written in the output folder (for its digest), when it is still there."""
    from ecvet_credentials.jsonld.limits import parse_json
    from ecvet_credentials.ecvet.authoring.files import read_bytes

    try:
        doc = parse_json(read_bytes(path), source=str(path))
    except EcvetError:
        return None
    return doc if isinstance(doc, dict) and doc.get("id") == credential_id else None
