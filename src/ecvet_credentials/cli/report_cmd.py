"""`ecvet report`: the partnership's evaluation report after mobility (CSV and a page with a chart)."""
from __future__ import annotations

from pathlib import Path

import click

from ecvet_credentials.cli.common import handle_errors


@click.command("report")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--csv", "csv_out", default=None, metavar="FILE", help="Write the table as CSV (default: standard output).")
@click.option("--html", "html_out", default=None, metavar="FILE", help="Also write the page with the bar chart.")
@handle_errors
def report(paths: tuple[Path, ...], csv_out: str | None, html_out: str | None) -> None:
    """Evaluation report of a partnership from its credentials (files or directories of LA, transcripts, recognitions).

    Per host/home pair and year of the mobility: learners, units agreed, assessed, achieved,
    validated, recognised and assessed outside the agreement; the page adds a bar chart and the
    learning outcomes most often not achieved, for the review and action plan after mobility.

    \b
    Example:
      ecvet report demo-out/ --csv evaluation.csv --html evaluation.html
    """
    from ecvet_credentials.ecvet.evaluation import evaluate_paths
    from ecvet_credentials.render.evaluation_page import render_page
    from ecvet_credentials.core.files import atomic_write_text

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
