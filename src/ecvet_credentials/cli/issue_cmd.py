"""`ecvet issue`: sign Personal Transcripts (one, or a cohort from CSV) and Recognition credentials."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import (
    EXIT_NOT_VERIFIED,
    db_option,
    handle_errors,
    open_registry,
    pass_state,
    passphrase_option,
    write_json,
)
from ecvet_credentials.cli.keys_cmd import load_key

def _registry_options(fn):
    fn = click.option("--no-registry", is_flag=True, help="Sign without recording it or allocating status entries (cannot be revoked).")(fn)
    fn = click.option("--dev", is_flag=True,
                      help="Trying things out: without a profile or --status-base-url, status URLs point at "
                           "http://127.0.0.1:8080/status (a local `ecvet serve`).")(fn)
    fn = click.option("--status-base-url", default=None, envvar="ECVET_STATUS_BASE_URL",
                      help="Where you publish your status lists [env ECVET_STATUS_BASE_URL; default: the institution "
                           "profile's base URL + /status (ecvet institution init)].")(fn)
    return db_option(fn)


def status_base(state, status_base_url: str | None, dev: bool) -> str:
    """The status base URL to issue with (refused with how to set it when none is known)."""
    from ecvet_credentials.ecvet.institution import issuing_status_base

    return issuing_status_base(state.home, status_base_url, dev=dev)


def issuer_key(state, key_path: Path | None, passphrase_env: str):
    """--key, else the key named in the institution profile (ecvet institution init)."""
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.ecvet.institution import load_profile

    if key_path is None:
        profile = load_profile(state.home)
        key_path = profile.resolve(state.home, profile.key) if profile is not None else None
        if key_path is None:
            raise InputError("no --key and no institution profile with a key in HOME: give --key FILE, or set up "
                             "your institution once with `ecvet institution init`.")
    return load_key(key_path, passphrase_env)


@click.group("issue")
def issue() -> None:
    """Issue signed ECVET credentials from authoring files (see examples/).

    Each credential is checked against its JSON Schema, the ECVET rules and strict JSON-LD before it
    is signed, recorded in the registry, and given revocation and suspension status entries.
    """


def _timestamp(value) -> str | None:
    from ecvet_credentials.model.wire import iso_datetime

    return iso_datetime(value) if value is not None else None


def _issue_one(state, unsigned: dict, key, *, db, no_registry: bool, status_base_url: str, out: str | None,
               batch_id: str | None = None, row_key: str | None = None, created: str | None = None):
    from ecvet_credentials.core.files import atomic_write_text
    from ecvet_credentials.ecvet.issue import issue_credential

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
@click.option("--key", "key_path", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The host institution's key [default: the institution profile's key; none for a cohort --check].")
@click.option("--cohort", "cohort_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A cohort sheet, .csv, .xlsx or .ods (one row per learner and unit); needs --template and --out-dir.")
@click.option("--sheet", default=None, help="Cohort: the sheet of an .xlsx/.ods file [default: the first].")
@click.option("--date-order", type=click.Choice(["DMY", "MDY"]), default=None,
              help="Cohort: read slashed dates such as 05/11/2026 day first (DMY) or month first (MDY); "
                   "without it ambiguous ones are refused.")
@click.option("--check", "check_only", is_flag=True,
              help="Cohort: run every rule and report every problem by row and column; issue nothing.")
@click.option("--reissue", default=None, metavar="REASON",
              help="Cohort: revoke the credential of each row changed since it was issued (REASON in the audit log) "
                   "and issue the corrected one, which names the one it replaces.")
@click.option("--allow-deviation", default=None, metavar="REASON",
              help="Cohort: issue although the transcript does not match its Learning Agreement; REASON and the "
                   "deviations are recorded in the registry.")
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
                   "made under. Cohort QR codes stay self-contained (any verifier reads them).")
@click.option("--batch-id", default=None, help="Batch name for idempotent re-runs [default: the CSV file name].")
@click.option("--created", default=None, metavar="ISO8601", help="Signature time (default: now).")
@click.option("-o", "--out", "out", default=None, help="Output file for a single transcript (default: standard output).")
@_registry_options
@passphrase_option
@pass_state
@handle_errors
def transcript(state, source, key_path, cohort_csv, sheet, date_order, check_only, reissue, allow_deviation, template, out_dir, with_qr, with_print, print_format, agreement_path, batch_id, created, out, db, status_base_url, dev, no_registry, passphrase_env):
    """Issue a Personal Transcript from SOURCE (YAML/JSON), or a whole cohort with --cohort.

    \b
    Examples:
      ecvet issue transcript examples/transcript.yaml --agreement la.json --key host.key -o pt.json
      ecvet issue transcript --cohort examples/cohort.csv --template examples/cohort-template.yaml \\
          --key host.key --out-dir cohort/
      ecvet issue transcript --cohort cohort.xlsx --template cohort-template.yaml --key host.key --check
      ecvet issue transcript --cohort cohort.xlsx --template cohort-template.yaml --key host.key \\
          --out-dir cohort/ --reissue "grade of unit 2 corrected"
    A re-run of the same cohort issues nothing twice: rows already issued are reported and skipped;
    rows changed since they were issued are reported, and re-issued with --reissue.
    """
    if not (no_registry or check_only):
        status_base_url = status_base(state, status_base_url, dev)
    if cohort_csv is not None:
        if source is not None or template is None or (out_dir is None and not check_only):
            raise click.UsageError(_("--cohort takes no SOURCE and needs --template and --out-dir"))
        if no_registry:
            raise click.UsageError(_("a cohort is always recorded in the registry (that is what makes re-runs safe)"))
        from ecvet_credentials.ecvet.authoring.cohort import CohortOptions
        from ecvet_credentials.cli.common import read_json_document

        agreements = (read_json_document(str(agreement_path)),) if agreement_path else ()
        options = CohortOptions(sheet=sheet, date_order=date_order, agreements=agreements, allow_deviation=allow_deviation)
        key = None if check_only else issuer_key(state, key_path, passphrase_env)
        ok = _issue_cohort(state, cohort_csv, template, out_dir, key, batch_id=batch_id or cohort_csv.name, db=db,
                           status_base_url=status_base_url, created=created, with_qr=with_qr, agreement_path=agreement_path,
                           with_print=print_format if with_print else None, options=options, check_only=check_only,
                           reissue=reissue)
        sys.exit(0 if ok else EXIT_NOT_VERIFIED)
    key = issuer_key(state, key_path, passphrase_env)
    if source is None:
        raise click.UsageError(_("give a SOURCE file, or --cohort CSV --template YAML --out-dir DIR"))
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_transcript_credential

    authored = load(source, expect="transcript")
    model = authored.model
    if agreement_path is not None:
        from dataclasses import replace

        from ecvet_credentials.model import reference_to
        from ecvet_credentials.cli.common import read_json_document

        model = replace(model, agreement=reference_to(read_json_document(str(agreement_path))))
    unsigned = build_transcript_credential(model, valid_from=authored.valid_from, valid_until=authored.valid_until)
    result = _issue_one(state, unsigned, key, db=db, no_registry=no_registry, status_base_url=status_base_url, out=out, created=created)
    click.echo(f"issued {result.credential['id']}" + (f" -> {out}" if out else ""), err=True)


def _issue_cohort(state, csv_path: Path, template_path: Path, out_dir: Path | None, key, *, batch_id: str, db,
                  status_base_url, created, with_qr: bool = False, agreement_path: Path | None = None,
                  with_print: str | None = None, options=None, check_only: bool = False, reissue: str | None = None) -> bool:
    from contextlib import nullcontext

    from ecvet_credentials.ecvet.authoring.cohort import CohortOptions, count_learners
    from ecvet_credentials.ecvet.authoring.cohort_issue import issue_cohort

    options = options or CohortOptions()
    total = count_learners(csv_path, sheet=options.sheet)

    def progress(entries):
        with click.progressbar(entries, length=total, label=_("Checking") if check_only else _("Issuing transcripts"),
                               file=sys.stderr) as bar:
            yield from bar

    qr_writer = None
    if with_qr and not check_only:  # codes are drawn on every core while the cohort is being signed
        from ecvet_credentials.render.qr import load_agreement
        from ecvet_credentials.render.qr.files import QrPngWriter

        qr_writer = QrPngWriter(agreement=load_agreement(agreement_path) if agreement_path else None)
    with (qr_writer or nullcontext()), (nullcontext() if check_only else open_registry(state, db)) as registry:
        run = issue_cohort(csv_path, template_path, key=key, registry=registry, out_dir=out_dir, options=options,
                           batch_id=batch_id, check_only=check_only, reissue=reissue, who=getpass.getuser(),
                           created=created, status_base_url=status_base_url, progress=progress,
                           on_file=(lambda path: qr_writer.submit(path, path.with_suffix(".png"))) if qr_writer else None)
    if qr_writer is not None:
        click.echo(f"wrote {qr_writer.pngs} QR code PNG(s) for {qr_writer.credentials} credential(s)", err=True)
        if qr_writer.contact_details:
            click.echo(_("no QR code for {n} credential(s) carrying the learner's address or telephone (QR codes "
                         "leave them out: `ecvet qr encode --with-contact-details` puts them in on purpose)").format(
                n=qr_writer.contact_details), err=True)
    if with_print and run.files and out_dir is not None:  # (files are only written into an out_dir)
        _print_pages(state, out_dir, run.files, agreement_path, with_print)
    for line in run.warnings:
        click.echo(f"warning: {line}", err=True)
    for line in run.problems:
        click.echo(f"error: {line}", err=True)
    c = run.counts
    if check_only:
        click.echo(_("checked {n} learner(s): {ready} ready, {errors} with errors ({problems} problem(s)); "
                     "nothing was issued").format(n=c["checked"] + c["error"], ready=c["checked"], errors=c["error"],
                                                  problems=len(run.problems)), err=True)
    else:
        assert out_dir is not None  # (required unless --check-only)
        click.echo(_("{issued} issued, {reissued} re-issued, {already} already issued (skipped), {changed} changed "
                     "since issued, {errors} with errors; see {path}").format(
            issued=c["issued"], reissued=c["re-issued"], already=c["already issued"],
            changed=c["changed since issued"], errors=c["error"], path=out_dir / "results.csv"), err=True)
    return run.ok


def _print_pages(state, out_dir: Path, files: list[str], agreement_path: Path | None, fmt: str) -> None:
    """<learner_id>.html or .pdf beside each issued <learner_id>.json, on every core (render.files)."""
    from ecvet_credentials.ecvet.institution import load_profile
    from ecvet_credentials.render.qr import load_agreement
    from ecvet_credentials.render.files import write_printed_files

    agreement = load_agreement(agreement_path) if agreement_path else None
    pairs = [(out_dir / name, (out_dir / name).with_suffix("." + fmt)) for name in files]
    write_printed_files(pairs, fmt, agreement=agreement, profile=load_profile(state.home), home=state.home)
    click.echo(f"wrote {len(files)} printable {fmt.upper()} document(s)", err=True)


@issue.command("template")
@click.option("--agreement", "agreement_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The signed Learning Agreement (JSON) whose units the sheet offers.")
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The workbook to write (.xlsx).")
@click.option("--template-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The cohort template YAML to write beside it [default: OUT with -template.yaml].")
@pass_state
@handle_errors
def template_cmd(state, agreement_path, out, template_out):
    """Write a cohort workbook to fill in (agreed units, drop-down lists, a sheet explaining each column)
    and the cohort template YAML that issues it.

    \b
    Example:
      ecvet issue template --agreement la.json -o cohort.xlsx
      # fill in cohort.xlsx (grades, dates, more learners), then:
      ecvet issue transcript --cohort cohort.xlsx --template cohort-template.yaml --agreement la.json \\
          --key host.key --out-dir cohort/
    """
    from ecvet_credentials.ecvet.authoring.sheet_template import write_template
    from ecvet_credentials.cli.common import read_json_document

    if out.suffix.lower() != ".xlsx":
        raise click.UsageError("-o must name an .xlsx file")
    template_out = template_out or out.with_name(out.stem + "-template.yaml")
    write_template(read_json_document(str(agreement_path)), out, template_out, agreement_path)
    click.echo(f"wrote {out} and {template_out}", err=True)


@issue.command("recognition")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_path", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The home institution's key [default: the institution profile's key].")
@click.option("--created", default=None, metavar="ISO8601", help="Signature time (default: now).")
@click.option("-o", "--out", "out", default=None, help="Output file (default: standard output).")
@_registry_options
@passphrase_option
@pass_state
@handle_errors
def recognition(state, source, key_path, created, out, db, status_base_url, dev, no_registry, passphrase_env):
    """Issue a Recognition credential from SOURCE (YAML/JSON): units validated and recognised, points credited.

    \b
    Example:
      ecvet issue recognition examples/recognition.yaml --key home.key -o recognition.json
    """
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_recognition_credential

    key = issuer_key(state, key_path, passphrase_env)
    status_base_url = None if no_registry else status_base(state, status_base_url, dev)
    authored = load(source, expect="recognition")
    unsigned = build_recognition_credential(authored.model, valid_from=authored.valid_from, valid_until=authored.valid_until)
    result = _issue_one(state, unsigned, key, db=db, no_registry=no_registry, status_base_url=status_base_url, out=out, created=created)
    click.echo(f"issued {result.credential['id']}" + (f" -> {out}" if out else ""), err=True)


COMMANDS = [issue]
