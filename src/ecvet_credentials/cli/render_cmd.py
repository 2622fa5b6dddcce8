"""`ecvet render`: a credential as the institution's printable document, HTML or PDF/A-3 (render/)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ecvet_credentials.core.timeutil import utc_now
from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import EXIT_NOT_VERIFIED, handle_errors, pass_state, read_input_bytes

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def output_format(fmt: str | None, out: str) -> str:
    """--format, else the output file's extension (.pdf is PDF), else HTML."""
    return fmt or ("pdf" if out.lower().endswith(".pdf") else "html")


def write_printed(document: dict, raw: bytes, out: str, fmt: str, *, quiet: bool = False, **options) -> None:
    """Write the printable document (html or pdf) to `out` ('-' for standard output)."""
    from ecvet_credentials.core.files import atomic_write_bytes
    from ecvet_credentials.render.files import printed_bytes

    data = printed_bytes(document, raw, fmt, **options)
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        atomic_write_bytes(Path(out), data)
        if not quiet:
            click.echo(f"wrote {out}", err=True)


def _parse_lang(ctx, param, value):
    from ecvet_credentials.i18n import LANGUAGES, normalize

    if value is not None and normalize(value) is None:
        raise click.BadParameter(f"no translation for {value!r}; available: {', '.join(LANGUAGES)}")
    return value


@click.command("render")
@click.argument("credential", metavar="CREDENTIAL")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), default=None,
              help="html: a page to print from a browser; pdf: PDF/A-3 with the signed credential attached "
                   "(credential.json). Default: pdf when --out ends in .pdf, else html.")
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
@click.option("--lang", default=None, callback=_parse_lang, help="Language of the document's texts and of multilingual values "
              "(default: the global --lang, else the environment's language).")
@click.option("-o", "--out", required=True, metavar="FILE", help="Output file, .html or .pdf ('-' for standard output).")
@pass_state
@handle_errors
def render(state, credential, fmt, agreement_path, catalogue, do_verify, trust_path, status_dir, status_optional, lang, out):
    """Write CREDENTIAL (JSON file, QR image, printed PDF/HTML, or - for stdin) as the institution's printable
    document: letterhead, the ECVET heading, a verification box with the QR code(s), the content, the
    signatures, technical details on a last page. The letterhead and signatory come from HOME/institution.json
    when that institution issued the credential; otherwise the page says no profile was given.

    Exit 0 when written, 1 when written but --verify found it not verified (the page says so), 2 when
    CREDENTIAL cannot be read or PDF output is not available here.

    \b
    Examples:
      ecvet render transcript.json --agreement learning-agreement.json -o transcript.pdf
      ecvet render transcript.json --format html --lang de -o transcript.html
      ecvet render transcript.json --agreement la.json --verify --trust trust-registry.json --status-dir status/ -o pt.pdf
      ecvet render transcript.json --agreement la.json --catalogue -o for-home-school.pdf
    """
    from ecvet_credentials.ecvet.institution import load_profile
    from ecvet_credentials.cli.verify_cmd import build_options, document_bytes, parse_document

    if catalogue and agreement_path is None:
        raise click.UsageError(_("--catalogue needs --agreement (the Learning Agreement whose unit catalogue is used)"))

    do_verify = do_verify or trust_path is not None or status_dir is not None
    # unreadable input (InputError, QR errors included) and unwritable output exit 2 through handle_errors
    from ecvet_credentials.core.files import MAX_PHOTO_BYTES

    data, name = read_input_bytes(credential, max_bytes=MAX_PHOTO_BYTES)  # a QR photo; JSON held to 2 MB by the parse
    raw = document_bytes(data, name, agreement_path=agreement_path)
    document = parse_document(raw, name, agreement_path=agreement_path)
    options = build_options(state, input_path=credential, trust_path=trust_path, agreement_path=agreement_path,
                            status_dir=status_dir, did_documents=(), offline=not do_verify)
    options.pop("catalogue")
    report = None
    if do_verify:
        from ecvet_credentials.verify import verify_credential

        report = verify_credential(document, status_optional=status_optional, **options)
    write_printed(document, raw, out, output_format(fmt, out), agreement=options.get("agreement"), report=report,
                  lang=lang, checked_at=utc_now(), resolver=options.get("resolver"),
                  profile=load_profile(state.home), home=state.home, catalogue=catalogue)
    if report is not None and not report.verified:
        failed = ", ".join(c.id for c in report.failed_checks)
        click.echo(f"{report.verdict.value.replace('_', ' ')} ({failed}); the page shows the result", err=True)
        sys.exit(EXIT_NOT_VERIFIED)


COMMANDS = [render]
