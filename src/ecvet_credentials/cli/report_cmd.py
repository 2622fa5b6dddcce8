"""`ecvet report`: the partnership's evaluation report after mobility (CSV and a page with a chart)."""
from __future__ import annotations

from pathlib import Path

import click

from ecvet_credentials.cli.common import db_option, handle_errors, open_registry, pass_state
from ecvet_credentials.i18n import _


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--registry", "use_registry", is_flag=True,
              help="Count what the issuer registry recorded too (the default when no files are given).")
@click.option("--csv", "csv_out", default=None, metavar="FILE", help="Write the table as CSV (default: standard output).")
@click.option("--html", "html_out", default=None, metavar="FILE", help="Also write the page with the bar chart.")
@db_option
@pass_state
@handle_errors
def report(state, paths: tuple[Path, ...], use_registry: bool, csv_out: str | None, html_out: str | None, db) -> None:
    """Evaluation report of a partnership from its credentials (files or directories of LA, transcripts,
    recognitions) and/or from the issuer registry.

    Per host/home pair and year of the mobility: learners, units agreed, assessed, achieved,
    validated, recognised and assessed outside the agreement; the page adds a bar chart and the
    learning outcomes most often not achieved, for the review and action plan after mobility.

    Without PATHS it reads the registry (--db, ECVET_DB or HOME/registry.sqlite): the facts recorded
    when each transcript and recognition was issued (revoked ones left out). Learning Agreements are
    signed by every party, not issued from the registry: give their files too (PATHS with --registry);
    a credential both in the registry and among the files counts once.

    \b
    Examples:
      ecvet report demo-out/ --csv evaluation.csv --html evaluation.html
      ecvet report                                   # this institution's registry
      ecvet report --registry agreements/ --html evaluation.html
    """
    from ecvet_credentials.ecvet.evaluation import KINDS, evaluate_paths
    from ecvet_credentials.render.evaluation_page import render_page
    from ecvet_credentials.core.files import atomic_write_text

    if use_registry or not paths:
        with open_registry(state, db) as registry:
            found = registry.evaluation_facts(KINDS)
            # the files' learners salted like the registry's, so each learner counts once
            result = evaluate_paths(list(paths), stored=found.facts, learner_key=registry.row_digest)
        click.echo(_("registry: {n} credential(s) counted, {revoked} revoked left out, {missing} without "
                     "evaluation facts (issued before this version: give their files)").format(
            n=len(found.facts), revoked=len(found.revoked), missing=len(found.without_facts)), err=True)
    else:
        result = evaluate_paths(list(paths))
    if csv_out and csv_out != "-":
        atomic_write_text(Path(csv_out), result.to_csv())
    else:
        click.echo(result.to_csv(), nl=False)
    if html_out:
        atomic_write_text(Path(html_out), render_page(result))
    for top, n in result.top_not_achieved(3):
        click.echo(f"not achieved {n}x: {top}", err=True)
    click.echo(f"{len(result.rows())} partnership period(s); {len(result.skipped)} file(s) skipped", err=True)


COMMANDS = [report]
