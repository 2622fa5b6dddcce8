"""`ecvet issue`: sign Personal Transcripts (one, or a cohort from CSV) and Recognition credentials."""
from __future__ import annotations

import csv
import io
import os
import re
import sys
from pathlib import Path

import click

from .common import EXIT_NOT_VERIFIED, db_option, handle_errors, open_registry, pass_state, passphrase_option, write_json
from .keys_cmd import load_key

DEFAULT_STATUS_BASE = os.environ.get("ECVET_STATUS_BASE_URL", "https://status.example/ecvet")


def _registry_options(fn):
    fn = click.option("--no-registry", is_flag=True, help="Sign without recording it or allocating status entries (cannot be revoked).")(fn)
    fn = click.option("--status-base-url", default=DEFAULT_STATUS_BASE, show_default=True,
                      help="Where you will host the status lists (`ecvet status publish --out`) [env ECVET_STATUS_BASE_URL].")(fn)
    return db_option(fn)


@click.group("issue")
def issue() -> None:
    """Issue signed ECVET credentials from authoring files (see examples/).

    Each credential is checked against its JSON Schema, the ECVET rules and strict JSON-LD before it
    is signed, recorded in the registry, and given revocation and suspension status entries.
    """


def _timestamp(value) -> str | None:
    from ..model.wire import iso_datetime

    return iso_datetime(value) if value is not None else None


def _issue_one(state, unsigned: dict, key, *, db, no_registry: bool, status_base_url: str, out: str | None,
               batch_id: str | None = None, row_key: str | None = None, created: str | None = None):
    from ..fileutil import atomic_write_text
    from ..issue import issue_credential

    import json

    def write(doc):
        if out and out != "-":
            atomic_write_text(Path(out), json.dumps(doc, indent=2, ensure_ascii=False) + "\n")

    if no_registry:
        result = issue_credential(unsigned, key, created=created, write=write)
    else:
        with open_registry(state, db) as registry:
            result = issue_credential(unsigned, key, created=created, registry=registry, status_base_url=status_base_url,
                                      batch_id=batch_id, row_key=row_key, write=write)
    if not out or out == "-":
        write_json(result.credential, None)
    return result


@issue.command("transcript")
@click.argument("source", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="The host institution's key.")
@click.option("--cohort", "cohort_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV of a cohort (one row per learner and unit); needs --template and --out-dir.")
@click.option("--template", "template", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Cohort template YAML (host, mobility, unit catalogue) for --cohort.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Cohort output: one JSON per learner plus results.csv.")
@click.option("--qr", "with_qr", is_flag=True, help="Cohort: also write a QR code PNG per credential (<learner_id>.png).")
@click.option("--print", "with_print", is_flag=True,
              help="Cohort: also write the printable document with its QR code(s) per credential (<learner_id>.html or .pdf).")
@click.option("--print-format", type=click.Choice(["html", "pdf"]), default="html", show_default=True,
              help="With --print: html pages, or PDF/A-3 files with the signed credential attached.")
@click.option("--agreement", "agreement_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The signed Learning Agreement: a single transcript records it (id and digest) as the agreement it was "
                   "made under; a cohort's QR codes use its unit texts as dictionary (verifiers need it too).")
@click.option("--batch-id", default=None, help="Batch name for idempotent re-runs [default: the CSV file name].")
@click.option("--created", default=None, metavar="ISO8601", help="Signature time (default: now).")
@click.option("-o", "--out", "out", default=None, help="Output file for a single transcript (default: standard output).")
@_registry_options
@passphrase_option
@pass_state
@handle_errors
def transcript(state, source, key_path, cohort_csv, template, out_dir, with_qr, with_print, print_format, agreement_path, batch_id, created, out, db, status_base_url, no_registry, passphrase_env):
    """Issue a Personal Transcript from SOURCE (YAML/JSON), or a whole cohort with --cohort.

    \b
    Examples:
      ecvet issue transcript examples/transcript.yaml --agreement la.json --key host.key -o pt.json
      ecvet issue transcript --cohort examples/cohort.csv --template examples/cohort-template.yaml \\
          --key host.key --out-dir cohort/
    A re-run of the same cohort issues nothing twice: rows already issued are reported and skipped.
    """
    key = load_key(key_path, passphrase_env)
    if cohort_csv is not None:
        if source is not None or template is None or out_dir is None:
            raise click.UsageError("--cohort takes no SOURCE and needs --template and --out-dir")
        if no_registry:
            raise click.UsageError("a cohort is always recorded in the registry (that is what makes re-runs safe)")
        ok = _issue_cohort(state, cohort_csv, template, out_dir, key, batch_id=batch_id or cohort_csv.name, db=db,
                           status_base_url=status_base_url, created=created, with_qr=with_qr, agreement_path=agreement_path,
                           with_print=print_format if with_print else None)
        sys.exit(0 if ok else EXIT_NOT_VERIFIED)
    if source is None:
        raise click.UsageError("give a SOURCE file, or --cohort CSV --template YAML --out-dir DIR")
    from ..authoring.documents import load
    from ..model import build_transcript_credential

    authored = load(source, expect="transcript")
    model = authored.model
    if agreement_path is not None:
        from dataclasses import replace

        from ..model import reference_to
        from .common import read_json_document

        model = replace(model, agreement=reference_to(read_json_document(str(agreement_path))))
    unsigned = build_transcript_credential(model, valid_from=authored.valid_from, valid_until=authored.valid_until)
    result = _issue_one(state, unsigned, key, db=db, no_registry=no_registry, status_base_url=status_base_url, out=out, created=created)
    click.echo(f"issued {result.credential['id']}" + (f" -> {out}" if out else ""), err=True)


def _safe_name(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", value).strip("_") or "learner"


def _issue_cohort(state, csv_path: Path, template_path: Path, out_dir: Path, key, *, batch_id: str, db, status_base_url, created,
                  with_qr: bool = False, agreement_path: Path | None = None, with_print: str | None = None) -> bool:
    from ..authoring.cohort import iter_cohort, load_template
    from ..fileutil import atomic_write_text
    from ..issue import issue_credential
    from ..model import build_transcript_credential
    from ..model import _checks as checks

    import json

    template = load_template(template_path).template
    valid_from = checks.timestamp(template.get("valid_from"), "valid_from", optional=True)
    valid_until = checks.timestamp(template.get("valid_until"), "valid_until", optional=True)
    entries = list(iter_cohort(csv_path, template_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    counts = {"issued": 0, "already issued": 0, "error": 0}
    with open_registry(state, db) as registry, click.progressbar(entries, label="Issuing transcripts", file=sys.stderr) as bar:
        for entry in bar:
            row = {"learner_id": entry.learner_id, "rows": " ".join(map(str, entry.rows)), "status": "", "credential_id": "", "file": "", "error": ""}
            target = out_dir / f"{_safe_name(entry.learner_id)}.json"
            try:
                if entry.error is not None:
                    raise entry.error
                unsigned = build_transcript_credential(entry.transcript, valid_from=valid_from, valid_until=valid_until)
                result = issue_credential(
                    unsigned, key, created=created, registry=registry, status_base_url=status_base_url,
                    batch_id=batch_id, row_key=entry.learner_id,
                    write=lambda doc, t=target: atomic_write_text(t, json.dumps(doc, indent=2, ensure_ascii=False) + "\n"))
                row["status"] = "already issued" if result.already_issued else "issued"
                row["credential_id"] = result.credential["id"]
                row["file"] = target.name
            except Exception as exc:  # noqa: BLE001 - a row's problem is reported on its row; the batch goes on
                from ..errors import EcvetError

                if not isinstance(exc, EcvetError):
                    raise
                row["status"], row["error"] = "error", str(exc)
            counts[row["status"]] += 1
            results.append(row)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["learner_id", "rows", "status", "credential_id", "file", "error"])
    writer.writeheader()
    writer.writerows(results)
    atomic_write_text(out_dir / "results.csv", buf.getvalue())
    if with_qr:
        from ..qr import load_agreement
        from ..qr.files import write_qr_pngs

        pairs = [(out_dir / r["file"], (out_dir / r["file"]).with_suffix(".png")) for r in results if r["file"]]
        agreement = load_agreement(agreement_path) if agreement_path else None
        written = write_qr_pngs(pairs, agreement=agreement)
        click.echo(f"wrote {sum(len(w) for w in written)} QR code PNG(s) for {len(pairs)} credential(s)", err=True)
    if with_print:
        _print_pages(state, out_dir, [r["file"] for r in results if r["file"]], agreement_path, with_print)
    for row in results:
        if row["status"] == "error":
            click.echo(f"error: {row['error']}", err=True)
    click.echo(f"{counts['issued']} issued, {counts['already issued']} already issued (skipped), {counts['error']} with errors; "
               f"see {out_dir / 'results.csv'}", err=True)
    return counts["error"] == 0


def _print_pages(state, out_dir: Path, files: list[str], agreement_path: Path | None, fmt: str) -> None:
    """<learner_id>.html or .pdf beside each issued <learner_id>.json, on every core (render.files)."""
    from ..institution import load_profile
    from ..qr import load_agreement
    from ..render.files import write_printed_files

    agreement = load_agreement(agreement_path) if agreement_path else None
    pairs = [(out_dir / name, (out_dir / name).with_suffix("." + fmt)) for name in files]
    write_printed_files(pairs, fmt, agreement=agreement, profile=load_profile(state.home), home=state.home)
    click.echo(f"wrote {len(files)} printable {fmt.upper()} document(s)", err=True)


@issue.command("recognition")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="The home institution's key.")
@click.option("--created", default=None, metavar="ISO8601", help="Signature time (default: now).")
@click.option("-o", "--out", "out", default=None, help="Output file (default: standard output).")
@_registry_options
@passphrase_option
@pass_state
@handle_errors
def recognition(state, source, key_path, created, out, db, status_base_url, no_registry, passphrase_env):
    """Issue a Recognition credential from SOURCE (YAML/JSON): units validated and recognised, points credited."""
    from ..authoring.documents import load
    from ..model import build_recognition_credential

    key = load_key(key_path, passphrase_env)
    authored = load(source, expect="recognition")
    unsigned = build_recognition_credential(authored.model, valid_from=authored.valid_from, valid_until=authored.valid_until)
    result = _issue_one(state, unsigned, key, db=db, no_registry=no_registry, status_base_url=status_base_url, out=out, created=created)
    click.echo(f"issued {result.credential['id']}" + (f" -> {out}" if out else ""), err=True)


COMMANDS = [issue]
