"""`ecvet qr encode|decode`: the whole signed credential in QR codes, read back offline from photos."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ecvet_credentials.render.qr.files import numbered as _numbered
from ecvet_credentials.core.files import MAX_PHOTO_BYTES
from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import handle_errors, read_input_bytes


def _compact(data: bytes, name: str) -> bytes:
    """Whitespace-free JSON: smaller codes, same proof (canonicalization ignores formatting)."""
    from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, parse_json

    doc = parse_json(data, limits=DEFAULT_LIMITS, source=name)
    compact = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return compact if json.loads(compact) == doc else data  # never change a value just to save space


@click.group("qr")
def qr():
    """Put a whole signed credential into QR codes and read it back, offline.

    \b
    The QR text is EC1: + Base45 of the credential compressed with DEFLATE and
    a preset dictionary (docs/qr-payload.md). With --agreement, the unit
    texts of the Learning Agreement join the dictionary: a 3-unit transcript
    then fits one version 20-25 code at ECC M. The verifier needs the same
    agreement file to read it.
    """


@qr.command("encode")
@click.argument("credential", metavar="CREDENTIAL")
@click.option("--agreement", "agreement_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Learning Agreement JSON, for --catalogue.")
@click.option("--catalogue", is_flag=True,
              help="Compress with the agreement's unit catalogue too: one much smaller code, but only a reader holding "
                   "that Learning Agreement can decode it (for documents meant for the home institution). Default: "
                   "self-contained codes (built-in dictionary only) that any verifier reads.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Image file, .png or .svg; several codes become NAME-1.png, NAME-2.png... "
                   "(default: print the QR texts, one per line).")
@click.option("--max-version", type=click.IntRange(1, 40), default=25, show_default=True,
              help="Largest QR version for one code; above it: several codes, or a link with --url-base.")
@click.option("--ecc", type=click.Choice(["L", "M", "Q", "H"]), default="M", show_default=True,
              help="Error-correction level.")
@click.option("--url-base", default=None, metavar="URL",
              help="If the credential does not fit one code, print a link URL/<sha256>.json plus digest instead "
                   "of several codes (publish the credential file there).")
@click.option("--exact", is_flag=True,
              help="Encode the file's bytes as they are (default: compact JSON, same proof, smaller code).")
@click.option("--with-contact-details", "contact_details", is_flag=True,
              help="Put a learner's or guardian's address and telephone in the code too (personal data anyone "
                   "scanning it reads). Default: such a credential gets a link code (--url-base) or is refused.")
@handle_errors
def encode(credential, agreement_path, catalogue, out, max_version, ecc, url_base, exact, contact_details):
    """Encode the signed CREDENTIAL (a JSON file, or - for stdin) as QR codes.

    \b
    Examples:
      ecvet qr encode transcript.json -o transcript.png
      ecvet qr encode transcript.json --agreement la.json --catalogue -o for-home-school.png
      ecvet qr encode transcript.json -o transcript.svg --max-version 33
      ecvet qr encode transcript.json --url-base https://school.example/c -o link.png
    """
    from ecvet_credentials.render.qr import encode_credential, load_agreement, render_png, render_svg
    from ecvet_credentials.render.qr.images import PNG_BOX_PX, PNG_DPI, QUIET_ZONE, SVG_MODULE_MM

    if out is not None and out.suffix.lower() not in (".png", ".svg"):
        raise click.UsageError(_("-o must end in .png or .svg"))
    data, name = read_input_bytes(credential)
    original = len(data)
    if not exact:
        data = _compact(data, name)
    if catalogue and agreement_path is None:
        raise click.UsageError(_("--catalogue needs --agreement (the Learning Agreement whose unit catalogue is used)"))
    agreement = load_agreement(agreement_path) if agreement_path else None
    enc = encode_credential(data, agreement=agreement, max_version=max_version, ecc=ecc, url_base=url_base,
                            dictionary="catalogue" if catalogue else "builtin", contact_details=contact_details)
    if agreement is not None and not catalogue:
        click.echo(_("note: self-contained code (the agreement is not needed to read it); --catalogue makes a smaller "
                     "one that only readers holding the agreement can decode"), err=True)
    echo = (lambda s: click.echo(s)) if out else (lambda s: click.echo(s, err=True))
    compact_note = "" if len(data) == original else f" (compact form of the {original}-byte file)"
    echo(f"mode: {enc.mode}, {len(enc.segments)} QR code(s), ECC {ecc}, dictionary: {enc.dictionary}")
    echo(f"credential: {enc.credential_bytes} bytes{compact_note} -> DEFLATE {enc.compressed_bytes} bytes "
         + (f"-> {enc.chars} characters" if enc.mode != "link" else "(a link instead: too big for one code, "
                                                                   "or personal contact details)"))
    if enc.url:
        echo(f"publish the credential file ({enc.credential_bytes} bytes) at: {enc.url}")
    n = len(enc.segments)
    mm = (PNG_BOX_PX / PNG_DPI * 25.4) if out is None or out.suffix.lower() == ".png" else SVG_MODULE_MM
    for i, seg in enumerate(enc.segments, 1):
        span = 17 + 4 * seg.version + 2 * QUIET_ZONE
        where = ""
        if out is not None:
            path = _numbered(out, i, n)
            (render_svg if path.suffix.lower() == ".svg" else render_png)(seg.text, path, ecc=ecc)
            where = f" -> {path}"
        echo(f"QR {i}/{n}: version {seg.version}, {seg.mode} mode, {seg.chars} characters, "
             f"{span * mm:.0f} mm wide at {mm:.2f} mm/module{where}")
    if out is None:
        for seg in enc.segments:
            click.echo(seg.text)


@qr.command("decode")
@click.argument("images", nargs=-1, required=True, metavar="IMAGE...")
@click.option("--agreement", "agreement_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Learning Agreement JSON, when the codes were made with its unit catalogue.")
@click.option("-o", "--out", default=None, help="Write the credential JSON here (default: standard output).")
@handle_errors
def decode(images, agreement_path, out):
    """Read the credential from QR IMAGE files (PNG/JPEG photos or text files of EC1: lines).

    The codes of a chunked credential may be given in any order, in one or several
    images. The output is exactly the signed JSON that was encoded: check it with
    `ecvet verify` (which also reads QR images directly).

    \b
    Examples:
      ecvet qr decode photo.jpg --agreement la.json -o transcript.json
      ecvet qr decode part1.jpg part2.jpg part3.jpg -o transcript.json
    """
    from ecvet_credentials.core.errors import QrPayloadError
    from ecvet_credentials.core.files import atomic_write_bytes
    from ecvet_credentials.render.qr import decode_texts, is_image, load_agreement, read_texts

    texts = []
    for path in images:
        data, name = read_input_bytes(path, max_bytes=MAX_PHOTO_BYTES)
        if is_image(data):
            texts += read_texts(data, name=name)
        elif data.lstrip()[:5] in (b"<svg ", b"<?xml"):
            raise QrPayloadError(f"{name} is an SVG file: print it and photograph it, or use the PNG")
        else:
            try:
                texts += [line.strip() for line in data.decode("utf-8").splitlines() if line.strip()]
            except UnicodeDecodeError:
                raise QrPayloadError(f"{name} is neither a PNG/JPEG image nor a text file of QR texts") from None
    if not texts:
        raise QrPayloadError(f"no QR code found in {', '.join(images)}", code="QR_NOT_FOUND")
    agreement = load_agreement(agreement_path) if agreement_path else None
    credential = decode_texts(texts, agreement=agreement)
    if out is None or out == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(credential)
        sys.stdout.buffer.flush()
    else:
        atomic_write_bytes(Path(out), credential)
        click.echo(f"wrote {out} ({len(credential)} bytes)", err=True)


COMMANDS = [qr]
