"""`ecvet verify`: check a credential or presentation and print a checklist or a JSON report."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.verify.report import CHECK_ORDER
from ecvet_credentials.cli.common import EXIT_BAD_INPUT, EXIT_NOT_VERIFIED, EXIT_OK, read_input_bytes

IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"BM")


def _parse_checks(ctx, param, value):
    if value is None:
        return None
    ids = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [i for i in ids if i not in CHECK_ORDER]
    if unknown or not ids:
        raise click.BadParameter(_("unknown check {checks}; choose from: {choices}").format(checks=', '.join(unknown) or '(empty)', choices=', '.join(CHECK_ORDER)))
    return ids


def _parse_now(ctx, param, value):
    if value is None:
        return None
    from ecvet_credentials.core.timeutil import parse_datetime

    parsed = parse_datetime(value)
    if parsed is None:
        raise click.BadParameter(_("{value!r} is not an ISO 8601 date-time like 2026-05-01T12:00:00Z").format(value=value))
    return parsed


def _parse_max_age(ctx, param, value):
    if value is None:
        return None
    from ecvet_credentials.core.timeutil import parse_duration

    parsed = parse_duration(value)
    if parsed is None:
        raise click.BadParameter(_("{value!r} is not a duration like 7d, 12h, 1d12h, 90m or 3600s").format(value=value))
    return parsed


@click.command("verify")
@click.argument("input_paths", metavar="IN...", nargs=-1, required=True)
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE.csv|FILE.jsonl",
              help="Several inputs or a folder: also write one record per credential to this CSV or JSON Lines file.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON: {verified, checks: [{id, outcome, code, message}]}.")
@click.option("--checks", callback=_parse_checks, default=None, metavar="LIST",
              help=f"Comma-separated checks to run (others are not_checked and do not count). Ids: {', '.join(CHECK_ORDER)}.")
@click.option("--trust", "trust_path", default=None, metavar="FILE|example",
              help="Trust registry file (institutions, keys, MoU partners); 'example' for the bundled example "
                   "registry. Default: the registries you subscribed to (ecvet trust subscribe).")
@click.option("--trust-anchor", default=None, metavar="DID",
              help="Use the --trust registry only if it carries a valid proof by this DID (e.g. your national agency).")
@click.option("--agreement", "agreement_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Signed Learning Agreement to match a Personal Transcript against.")
@click.option("--status-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="A folder of status list credentials (any file names; read by their ids). Used only when the "
                   "issuer's own list cannot be fetched, or is older.")
@click.option("--status-optional", is_flag=True, help="Do not fail when a status list cannot be had (it is still reported).")
@click.option("--status-max-age", callback=_parse_max_age, default=None, metavar="DURATION",
              help="Oldest status list accepted, e.g. 7d: older is not checked (fails unless --status-optional); "
                   "past its ttl but younger is a warning.")
@click.option("--offline/--online", default=False, show_default=True,
              help="Online fetches status lists over HTTPS, only from the places the issuer's trust registry entry "
                   "lists, and refreshes subscribed registries; offline uses local files and caches (with their age).")
@click.option("--now", callback=_parse_now, default=None, metavar="ISO8601", help="Check validity at this time instead of now.")
@click.option("--clock-skew", type=click.FloatRange(min=0), default=300, show_default=True, help="Allowed clock skew in seconds.")
@click.option("--did-document", "did_documents", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your --trust-anchor's did:web document, pinned (nothing is fetched). Other institutions' "
                   "did:web documents come only from the registry the anchor signed; a did:key needs none.")
@click.option("--mou", "mou_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The signed MoU credential: with --agreement, host and home must be its partners on the mobility dates.")
@click.option("--challenge", default=None, help="Expected challenge (presentations).")
@click.option("--domain", default=None, help="Expected domain (presentations).")
@click.option("-v", "--verbose", is_flag=True, help="Also list the checks that did not apply.")
@click.pass_obj
def verify(state, input_paths, report_path, as_json, checks, trust_path, trust_anchor, agreement_path, status_dir, status_optional,
           status_max_age, offline, now, clock_skew, did_documents, mou_path, challenge, domain, verbose):
    """Verify IN: a credential or presentation as a JSON file, a QR image, a PDF or HTML page printed by
    `ecvet render` (the signed credential embedded in it), or - for stdin.

    Prints a checklist (or --json) and exits 0 when verified, 1 when not, 2 when IN cannot be read.
    Several files or a folder (its .json/.jsonld/.png/.jpg files) are verified in one run: a line per
    credential (--json: a JSON line each), a summary, exit 0 only when all are verified.

    \b
    Examples:
      ecvet verify transcript.json
      ecvet verify transcript.pdf --trust trust-registry.json
      ecvet verify signed.json --checks proof --json
      ecvet verify transcript.json --agreement learning-agreement.json --trust trust-registry.json
      ecvet verify transcript.json --trust example        # the bundled example registry (demos)
      ecvet verify transcript.json --offline              # subscriptions and status lists from the cache
      ecvet verify pt.json --trust registry.json --trust-anchor did:key:zDna... --status-dir status/ --status-max-age 7d
      ecvet verify received/ --trust trust-registry.json --agreement la.json --report checked.csv
    """
    from ecvet_credentials.verify import verify_credential
    from ecvet_credentials.cli.verify_batch import batch_files, is_batch, run_batch

    batch = is_batch(input_paths, report_path)
    input_path = input_paths[0]
    try:
        if batch:
            files = batch_files(input_paths, report_path)
            input_path = str(files[0])  # a status/ folder beside the first file is found as for one file
        options = build_options(state, input_path=input_path, trust_path=trust_path, agreement_path=agreement_path, status_dir=status_dir,
                                did_documents=did_documents, offline=offline, trust_anchor=trust_anchor, mou_path=mou_path)
        catalogue = options.pop("catalogue")
        if not batch:
            document = load_document(input_path, agreement_path=agreement_path, catalogue=catalogue)
    except InputError as exc:
        if as_json:
            click.echo(json.dumps({"verified": False, "verdict": "not_verified", "checks": [
                {"id": "input", "outcome": "failed", "code": exc.code, "message": str(exc)}]}, indent=2))
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)

    run_options = dict(checks=checks, now=now, clock_skew=clock_skew, offline=offline, status_optional=status_optional,
                       status_max_age=status_max_age, challenge=challenge, domain=domain, **options)
    if batch:
        sys.exit(run_batch(files, load=lambda path: load_document(str(path), agreement_path=agreement_path, catalogue=catalogue),
                           run_options=run_options,
                           as_json=as_json, report_path=report_path, color=sys.stdout.isatty() and not _no_color()))
    report = verify_credential(document, **run_options)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        from ecvet_credentials.verify.render_text import render_text

        click.echo(render_text(report, color=sys.stdout.isatty() and not _no_color(), verbose=verbose))
    sys.exit(EXIT_OK if report.verified else EXIT_NOT_VERIFIED)


def _no_color() -> bool:
    import os

    return bool(os.environ.get("NO_COLOR"))


def load_document(input_path: str, *, agreement_path=None, catalogue=None):
    """Read IN: JSON, or a QR image decoded to JSON. Raises InputError when unreadable."""
    from ecvet_credentials.core.files import MAX_PHOTO_BYTES

    data, name = read_input_bytes(input_path, max_bytes=MAX_PHOTO_BYTES)  # parse_json holds JSON to 2 MB
    return parse_document(data, name, agreement_path=agreement_path, catalogue=catalogue)


def document_bytes(data: bytes, name: str, *, agreement_path=None, catalogue=None) -> bytes:
    """The credential's JSON bytes in IN: as they are, decoded from a QR image, or the exact credential
    embedded in a printed PDF or HTML page (render.extract)."""
    from ecvet_credentials.render.extract import credential_bytes

    if data.startswith(IMAGE_MAGIC):
        return decode_qr_image(data, name, agreement_path=agreement_path, catalogue=catalogue)
    # an older printed page may carry only its QR texts, perhaps made with the agreement's unit catalogue
    embedded = credential_bytes(data, name=name, agreement_path=agreement_path)
    return embedded if embedded is not None else data


def parse_document(data: bytes, name: str, *, agreement_path=None, catalogue=None):
    """The bytes of IN (JSON, a QR image, a printed PDF or HTML page) as a credential or presentation;
    InputError when unreadable."""
    from ecvet_credentials.jsonld.limits import parse_json

    data = document_bytes(data, name, agreement_path=agreement_path, catalogue=catalogue)
    document = parse_json(data, source=name)
    if not isinstance(document, dict):
        kind = "an array" if isinstance(document, list) else f"a {type(document).__name__} value"
        raise InputError(_("{name} holds {kind}; a credential or presentation is a JSON object.").format(name=name, kind=kind))
    require_known_contexts(document, name)
    return document


def require_known_contexts(document, name: str) -> None:
    """An unknown @context URL makes the input unreadable (exit 2): its terms cannot be interpreted offline."""
    from ecvet_credentials.core.errors import UnknownContextError
    from ecvet_credentials.jsonld.contexts import default_registry
    from ecvet_credentials.verify.formats import unknown_context_message

    if not isinstance(document, dict):
        return
    contexts = document.get("@context")
    registry = default_registry()
    for entry in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(entry, str) and entry not in registry:
            raise UnknownContextError(unknown_context_message(entry, name=name), details={"url": entry})


def decode_qr_image(data: bytes, name: str, *, agreement_path=None, catalogue=None) -> bytes:
    try:
        from ecvet_credentials.render.qr import decode_images_to_bytes
    except ImportError:
        raise InputError(_("{name} is an image; reading QR codes is not available in this installation.").format(name=name)) from None
    return decode_images_to_bytes([data], name=name, agreement_path=agreement_path, catalogue=catalogue)


def build_options(state, *, trust_path, agreement_path, status_dir, did_documents, offline, trust_anchor=None,
                  input_path: str | None = None, mou_path=None) -> dict:
    """Turn CLI file options into library objects (InputError when a file is unreadable)."""
    from ecvet_credentials.jsonld.limits import read_json_file
    from ecvet_credentials.verify.sources import verifier_setup

    documents = []
    for path in did_documents:
        doc = read_json_file(path)
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            raise InputError(_("{path} is not a DID document (no 'id').").format(path=path))
        if doc["id"].startswith("did:key:"):
            raise InputError(f"{path} is a document for {doc['id']:.60}; a did:key is its own document and is never "
                             "replaced, so drop --did-document.")
        if doc["id"] != trust_anchor:
            raise InputError(f"{path} is the DID document of {doc['id']:.80}; --did-document only pins your "
                             "--trust-anchor's did:web document. Other DID documents count only from a trust "
                             "registry signed by your anchor.")
        documents.append(doc)
    setup = verifier_setup(state.home, trust_path=trust_path, trust_anchor=trust_anchor, did_documents=documents,
                           status_dir=status_dir, input_path=input_path, offline=offline)
    options = setup.options()
    options["catalogue"] = catalogue_lookup(setup)  # verify pops it: QR codes made with a unit catalogue
    if agreement_path is not None:
        options["agreement"] = read_json_file(agreement_path)
    if mou_path is not None:
        options["mou"] = read_json_file(mou_path)
    return options


def catalogue_lookup(setup):
    """`lookup(digest)` for QR codes made with a unit catalogue: asks the registry's status-list hosts."""
    def lookup(digest: str):  # the qr package (qrcode, Pillow) is imported only when a code needs it
        from ecvet_credentials.render.qr.catalogue_fetch import catalogue_source, trusted_prefixes

        return catalogue_source(setup.fetcher, trusted_prefixes(setup.trust))(digest)

    return lookup
