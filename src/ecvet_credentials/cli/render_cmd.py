"""`ecvet render`: a credential as one printable HTML document with its QR code(s) (printable.py)."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from ..i18n import _
from .common import EXIT_NOT_VERIFIED, handle_errors, pass_state

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("render")
@click.argument("credential", metavar="CREDENTIAL")
@click.option("--agreement", "agreement_path", type=_file, default=None,
              help="The Learning Agreement: needed to read a QR image made with its unit catalogue; with --verify, "
                   "the PT is matched against it; with --catalogue, its unit texts shrink the printed QR code.")
@click.option("--catalogue", is_flag=True,
              help="Print one smaller QR code compressed with the agreement's unit catalogue, for a document meant "
                   "for the home institution (only a reader holding that agreement can decode it). Default: "
                   "self-contained codes any employer can read (two codes when needed).")
@click.option("--verify", "do_verify", is_flag=True, help="Verify first and print the result (as of now) on the page.")
@click.option("--trust", "trust_path", default=None, metavar="FILE|example",
              help="Trust registry for --verify (implies --verify; 'example': the bundled one) [default: your subscriptions].")
@click.option("--status-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Published status lists for --verify (implies --verify; default HOME/status or status/ beside CREDENTIAL).")
@click.option("--status-optional", is_flag=True, help="With --verify: a status list that cannot be had does not fail.")
@click.option("--lang", default="en", show_default=True, help="Language of the page's texts and of multilingual values.")
@click.option("-o", "--out", required=True, metavar="FILE.html", help="Output HTML file ('-' for standard output).")
@pass_state
@handle_errors
def render(state, credential, agreement_path, catalogue, do_verify, trust_path, status_dir, status_optional, lang, out):
    """Write CREDENTIAL (JSON file, QR image, or - for stdin) as a printable HTML page: the content in plain
    words plus the whole signed credential as QR code(s), so the paper can be verified.

    Print it, or "Save as PDF", from any browser (A4). Exit 0 when written, 1 when written but --verify
    found it not verified (the page says so), 2 when CREDENTIAL cannot be read.

    \b
    Examples:
      ecvet render transcript.json --agreement learning-agreement.json -o transcript.html
      ecvet render transcript.json --agreement la.json --verify --trust trust-registry.json --status-dir status/ -o pt.html
      ecvet render transcript.json --agreement la.json --catalogue -o for-home-school.html
    """
    from ..fileutil import atomic_write_text
    from ..printable import render_printable
    from .verify_cmd import build_options, load_document

    if catalogue and agreement_path is None:
        raise click.UsageError(_("--catalogue needs --agreement (the Learning Agreement whose unit catalogue is used)"))

    do_verify = do_verify or trust_path is not None or status_dir is not None
    # unreadable input (InputError, QR errors included) and unwritable output exit 2 through handle_errors
    document = load_document(credential, agreement_path=agreement_path)
    options = build_options(state, input_path=credential, trust_path=trust_path, agreement_path=agreement_path,
                            status_dir=status_dir, did_documents=(), offline=not do_verify)
    report = None
    if do_verify:
        from ..verify import verify_credential

        report = verify_credential(document, status_optional=status_optional, **options)
    page = render_printable(document, agreement=options.get("agreement"), report=report, lang=lang,
                            checked_at=datetime.now(timezone.utc), resolver=options.get("resolver"), catalogue=catalogue)
    if out == "-":
        click.echo(page, nl=False)
    else:
        atomic_write_text(Path(out), page)
        click.echo(f"wrote {out}", err=True)
    if report is not None and not report.verified:
        failed = ", ".join(c.id for c in report.failed_checks)
        click.echo(f"not verified ({failed}); the page shows the result", err=True)
        sys.exit(EXIT_NOT_VERIFIED)


COMMANDS = [render]
