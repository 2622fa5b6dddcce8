"""`ecvet verify DIR` (or several files): one line per credential, a summary, an optional report file.

The batch itself is the library's `verify.batch.verify_many`; this module only prints.
"""
from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import N_, _
from ecvet_credentials.verify.batch import (
    CREDENTIAL_SUFFIXES,
    BatchSummary,
    check_report_path,
    collect_inputs,
    verify_many,
    write_batch_report,
)
from ecvet_credentials.verify.report import Verdict
from ecvet_credentials.cli.common import EXIT_NOT_VERIFIED, EXIT_OK

VERDICT_WORDS = {
    Verdict.VERIFIED: (N_("VERIFIED"), "green"),
    Verdict.ISSUER_NOT_RECOGNISED: (N_("ISSUER NOT RECOGNISED"), "yellow"),
    Verdict.COULD_NOT_CHECK: (N_("COULD NOT CHECK"), "yellow"),
    Verdict.NOT_VERIFIED: (N_("NOT VERIFIED"), "red"),
}


def is_batch(input_paths: tuple[str, ...], report_path) -> bool:
    """Several inputs, a folder, or a --report: the batch form (one line per credential)."""
    return len(input_paths) > 1 or report_path is not None or Path(input_paths[0]).is_dir()


def batch_files(input_paths: tuple[str, ...], report_path) -> list[Path]:
    """The files a batch will verify; InputError for a missing path, stdin, an empty folder or a bad report name."""
    if "-" in input_paths:
        raise InputError("standard input (-) can only be verified on its own, not in a batch.")
    if report_path is not None:
        check_report_path(report_path)
    files = collect_inputs(input_paths)
    if not files:
        raise InputError(f"no credential files ({', '.join(CREDENTIAL_SUFFIXES)}) in {', '.join(input_paths)}.")
    return files


def run_batch(files: list[Path], *, load, run_options: dict, as_json: bool, report_path, color: bool) -> int:
    """Verify every file with the same options; print a line (or a JSON line) each and the summary.
    Returns the exit code: 0 only when every credential is verified."""
    summary = BatchSummary()
    results = []
    show_bar = sys.stderr.isatty() and len(files) > 1
    bar_cm = click.progressbar(length=len(files), label=_("Verifying"), file=sys.stderr, show_pos=True) if show_bar else nullcontext()
    width = max(len(_(word)) for word, _fg in VERDICT_WORDS.values())
    clear = "\r\x1b[K" if show_bar and sys.stdout.isatty() else ""  # a line on the bar's terminal line erases it first
    with bar_cm as bar:
        for result in verify_many(files, load=load, **run_options):
            results.append(result)
            summary.add(result)
            line = json.dumps(result.to_json(), ensure_ascii=False) if as_json else _line(result, color, width)
            click.echo(clear + line)
            if bar is not None:
                bar.update(1)
    if report_path is not None:
        write_batch_report(results, Path(report_path))
    done = _("{summary}; report written to {path}").format(summary=summary.text(), path=report_path) if report_path else summary.text()
    click.echo(done, err=as_json)
    return EXIT_OK if summary.all_verified else EXIT_NOT_VERIFIED


def _line(result, color: bool, width: int) -> str:
    word, fg = VERDICT_WORDS[result.verdict]
    word = _(word).ljust(width)
    mark = click.style(word, fg=fg, bold=True) if color else word
    reason = result.reason()
    return f"{mark}  {result.source}" + (f"  ({reason})" if reason else "")
