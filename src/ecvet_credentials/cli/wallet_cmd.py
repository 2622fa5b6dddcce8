"""`ecvet wallet`: the learner's e-portfolio (<home>/wallet): import, list, show, export, present,
points, backup and restore. Thin over ecvet_credentials.wallet."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import EXIT_NOT_VERIFIED, handle_errors, passphrase_option, write_json
from ecvet_credentials.cli.wallet_text import _status, _issuer, _table

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def _wallet(state):
    from ecvet_credentials.wallet import Wallet

    wallet = Wallet.open(state.ensure_home())
    return wallet


def _notes(wallet) -> None:
    for note in wallet.notes:
        click.echo(_("repaired: {note}").format(note=note), err=True)


def _entries(wallet) -> list[dict]:
    entries = wallet.entries()
    _notes(wallet)
    return entries


def _verify_options(state, *, trust_path=None, status_dir=None, agreement: dict | None = None, source=None) -> dict:
    """The sources of `ecvet verify` (a status/ folder beside or inside SOURCE counts as presented)."""
    from ecvet_credentials.verify.sources import verifier_setup

    if status_dir is None and source is not None and (Path(source) / "status").is_dir():
        status_dir = Path(source) / "status"
    input_path = str(source) if source is not None and Path(source).is_file() else None
    options = verifier_setup(state.home, trust_path=trust_path, status_dir=status_dir, input_path=input_path).options()
    if agreement is not None:
        options["agreement"] = agreement
    return options


def _trust_options(fn):
    fn = click.option("--status-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
                      help="Published status lists of the issuers (revocation is checked offline).")(fn)
    fn = click.option("--trust", "trust_path", default=None, metavar="FILE|example",
                      help="Trust registry ('example': the bundled one) [default: the registries you subscribed to; "
                           "with none, no issuer is recognised].")(fn)
    return fn


@click.group("wallet")
def wallet():
    """The learner's e-portfolio: keep verified credentials, present them, count points.

    \b
    The wallet lives in HOME/wallet (see --home). Typical use:
      ecvet wallet init
      ecvet wallet import transcript.json --trust trust-registry.json --status-dir status/
      ecvet wallet list
      ecvet wallet present 3f2a --challenge <from verifier> --domain verifier.example -o vp.json
    """


@wallet.command("init")
@click.option("--import-key", "import_key", type=_file, default=None,
              help="Use this existing key file (Ed25519) as the learner key instead of creating one.")
@passphrase_option
@click.pass_obj
@handle_errors
def init(state, import_key, passphrase_env):
    """Create the learner's did:key (Ed25519, encrypted with the passphrase) and print the DID."""
    from ecvet_credentials.crypto.keys import passphrase_from_env
    from ecvet_credentials.wallet.holder import init_key

    passphrase = passphrase_from_env(passphrase_env, confirm=import_key is None)
    key = init_key(_wallet(state), passphrase=passphrase, import_from=import_key)
    click.echo(key.did)
    click.echo(_("learner key stored encrypted in {path} (mode 0600)").format(path=state.home / 'wallet' / 'learner.key'), err=True)


@wallet.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@_trust_options
@click.option("--agreement", "agreement_path", type=_file, default=None,
              help="Learning Agreement: the unit catalogue of QR codes, and what a transcript is matched against.")
@click.pass_obj
@handle_errors
def import_(state, source, trust_path, status_dir, agreement_path):
    """Verify and store SOURCE: a credential JSON file, a QR image, or a cohort output folder (*.json).

    Expired credentials and credentials from issuers not in the trust registry are kept and
    marked; forged ones (bad proof, unknown vocabulary, schema) are refused (exit 1).
    Importing the same credential again changes nothing.
    """
    from ecvet_credentials.render.qr import load_agreement
    from ecvet_credentials.wallet.importing import import_path

    agreement = load_agreement(agreement_path) if agreement_path else None
    w = _wallet(state)
    options = _verify_options(state, trust_path=trust_path, status_dir=status_dir, agreement=agreement, source=source)
    outcomes = import_path(w, source, verify_options=options, agreement=agreement)
    _notes(w)
    refused = 0
    for o in outcomes:
        if o.refused:
            refused += 1
            click.echo(_("refused  {source}: {refused}").format(source=o.source, refused=o.refused), err=True)
            continue
        e = o.entry
        verb = _("imported") if o.created else _("already in wallet")
        marks = f" [{', '.join(o.marks)}]" if o.marks else ""
        click.echo(_("{verb}  {id}  {type} from {issuer}{marks}").format(
            verb=verb, id=e['id'], type=e['type'], issuer=_issuer(e), marks=marks) + f": {_status(e)}")
    if not outcomes:
        click.echo(_("no *.json credential files in {source}").format(source=source), err=True)
    if refused:
        sys.exit(EXIT_NOT_VERIFIED)


@wallet.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the index entries as JSON.")
@click.pass_obj
@handle_errors
def list_(state, as_json):
    """List the stored credentials: type, issuer, date, units, points, status.

    (?) after an issuer: not checked against a trust registry, or not in it.
    """
    entries = _entries(_wallet(state))
    if as_json:
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
    elif not entries:
        click.echo(_("The wallet is empty: `ecvet wallet import FILE` adds a credential."))
    else:
        click.echo(_table(entries))


@wallet.command("show")
@click.argument("ref", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the credential and its stored report as JSON.")
@click.pass_obj
@handle_errors
def show(state, ref, as_json):
    """Show one credential: units, learning outcomes, grades, points, and how it verified."""
    from ecvet_credentials.wallet.view import render

    stored = _wallet(state).get(ref)
    if as_json:
        click.echo(json.dumps({"entry": stored.entry, "credential": stored.credential, "report": stored.report},
                              indent=2, ensure_ascii=False))
    else:
        click.echo(render(stored))


@wallet.command("search")
@click.option("--unit", default=None, metavar="CODE", help="Credentials with this unit code.")
@click.option("--issuer", default=None, metavar="TEXT", help="Issuer name or DID containing TEXT (any case).")
@click.pass_obj
@handle_errors
def search(state, unit, issuer):
    """Find credentials by unit code or issuer."""
    if not unit and not issuer:
        raise click.UsageError(_("give --unit CODE and/or --issuer TEXT"))
    found = []
    for e in _entries(_wallet(state)):
        if unit and unit not in (e.get("units") or []):
            continue
        if issuer and issuer.lower() not in f"{e.get('issuerName') or ''} {e.get('issuer') or ''}".lower():
            continue
        found.append(e)
    if not found:
        click.echo(_("no matching credential"), err=True)
        sys.exit(EXIT_NOT_VERIFIED)
    click.echo(_table(found))


@wallet.command("delete")
@click.argument("ref", metavar="ID")
@click.pass_obj
@handle_errors
def delete(state, ref):
    """Remove a credential from the wallet."""
    entry = _wallet(state).delete(ref)
    click.echo(_("deleted {id} ({type} from {issuer})").format(id=entry['id'], type=entry.get('type'), issuer=entry.get('issuerName') or entry.get('issuer')))


def _numbered(out: Path, i: int, n: int) -> Path:
    return out if n == 1 else out.with_name(f"{out.stem}-{i}{out.suffix}")


def _catalogue_for(w, stored, agreement_path, use_catalogue):
    """The LA whose unit catalogue shrinks a transcript's QR code: --agreement, else the wallet's LA
    that the transcript references."""
    from ecvet_credentials.render.qr import load_agreement

    if not use_catalogue:
        return None
    if agreement_path:
        return load_agreement(agreement_path)
    if stored.entry.get("ecvetType") != "EcvetPersonalTranscript":
        return None
    text = json.dumps(stored.credential.get("credentialSubject", {}))
    for other in w.stored():
        if other.entry.get("ecvetType") == "EcvetLearningAgreement" and other.entry.get("credentialId") \
                and other.entry["credentialId"] in text:
            return other.credential
    return None


@wallet.command("export")
@click.argument("ref", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["json", "png", "svg", "html", "pdf"]), default="json", show_default=True,
              help="json: the signed credential; png/svg: its QR code(s); html: a printable page with the content, "
                   "the QR code(s) and the verification result from the import; pdf: the same page as PDF/A-3 with "
                   "the signed credential attached.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Output file; a credential needing several QR codes gets them all side by side in one PNG "
                   "(one file, one photo), or NAME-1.svg, NAME-2.svg... as SVG.")
@click.option("--agreement", "agreement_path", type=_file, default=None,
              help="Learning Agreement for --catalogue (default: the wallet's LA the transcript names).")
@click.option("--catalogue", is_flag=True,
              help="One smaller QR code compressed with the agreement's unit catalogue, for the home institution "
                   "(only readers holding that agreement decode it). Default: self-contained codes anyone reads.")
@click.option("--no-catalogue", is_flag=True, hidden=True, help="Self-contained codes (the default now).")
@click.pass_obj
@handle_errors
def export(state, ref, fmt, out, agreement_path, catalogue, no_catalogue):
    """Export a credential as the signed JSON, as QR code image(s) holding the whole credential, or as a
    printable page: HTML (print from a browser) or PDF/A-3 with the signed credential attached.

    \b
    Example:
      ecvet wallet export urn:uuid:... --format pdf -o transcript.pdf
    """
    w = _wallet(state)
    stored = w.get(ref)
    if fmt == "json":
        write_json(stored.credential, str(out))
        click.echo(_("wrote {out}").format(out=out))
        return
    if fmt in ("html", "pdf"):
        from ecvet_credentials.verify.report import VerificationReport
        from ecvet_credentials.cli.render_cmd import write_printed

        agreement = _catalogue_for(w, stored, agreement_path, catalogue and not no_catalogue)
        raw = json.dumps(stored.credential, indent=2, ensure_ascii=False).encode("utf-8")
        write_printed(stored.credential, raw, str(out), fmt, quiet=True, agreement=agreement,
                      report=VerificationReport.from_json(stored.report),
                      checked_at=stored.entry.get("importedAt"),  # the stored report is as of the import
                      catalogue=agreement is not None)
        click.echo(_("wrote {out}").format(out=out))
        return
    from ecvet_credentials.render.qr import encode_credential, render_svg

    agreement = _catalogue_for(w, stored, agreement_path, catalogue and not no_catalogue)
    compact = json.dumps(stored.credential, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    enc = encode_credential(compact, agreement=agreement, dictionary="catalogue" if agreement is not None else "builtin")
    n = len(enc.texts)
    if fmt == "png":  # every code in one image: one file to send, one photo to take
        from ecvet_credentials.core.files import atomic_write_bytes
        from ecvet_credentials.render.qr.images import sheet_png_bytes

        atomic_write_bytes(out, sheet_png_bytes(enc.texts))
        click.echo(_("wrote {path} ({n} QR code(s), version {versions})").format(
            path=out, n=n, versions="/".join(map(str, enc.versions))))
    for i, text in enumerate(enc.texts if fmt == "svg" else [], 1):
        path = _numbered(out, i, n)
        render_svg(text, path)
        click.echo(_("wrote {path} (QR {i}/{n}, version {version})").format(path=path, i=i, n=n, version=enc.versions[i - 1]))
    if agreement is not None:
        click.echo(_("note: encoded with the unit catalogue of {agreement}; readers need that Learning Agreement (--agreement) to decode it").format(agreement=agreement.get('id')), err=True)


@wallet.command("present")
@click.argument("refs", nargs=-1, required=True, metavar="ID...")
@click.option("--challenge", required=True, help="The verifier's challenge (a one-time value they gave you).")
@click.option("--domain", default=None, help="The verifier's domain, e.g. employer.example.")
@click.option("-o", "--out", default=None, help="Write the presentation JSON here (default: standard output).")
@click.option("--qr", "qr_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the presentation as QR code image(s) (.png or .svg).")
@passphrase_option
@click.pass_obj
@handle_errors
def present(state, refs, challenge, domain, out, qr_out, passphrase_env):
    """Sign a presentation of credentials ID... with the learner key for a verifier's challenge/domain."""
    from ecvet_credentials.crypto.keys import passphrase_from_env
    from ecvet_credentials.verify.presentation import sign_presentation
    from ecvet_credentials.wallet.holder import load_key

    w = _wallet(state)
    stored = [w.get(r) for r in refs]
    key = load_key(w, passphrase=passphrase_from_env(passphrase_env))
    for s in stored:
        if s.entry.get("subject") != key.did:
            click.echo(_("warning: {id} is about {subject}, not you ({did}); verifiers will refuse it").format(id=s.entry['id'], subject=s.entry.get('subject'), did=key.did), err=True)
        elif not s.entry.get("verified"):
            click.echo(_("warning: {id} is marked: {status}").format(id=s.entry['id'], status=_status(s.entry))
                       + f" ({_issuer(s.entry)})", err=True)
    vp = sign_presentation([s.credential for s in stored], key, challenge=challenge, domain=domain)
    if qr_out is not None:
        from ecvet_credentials.render.qr import encode_credential, render_png, render_svg

        if qr_out.suffix.lower() not in (".png", ".svg"):
            raise click.UsageError(_("--qr must end in .png or .svg"))
        enc = encode_credential(json.dumps(vp, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        for i, text in enumerate(enc.texts, 1):
            path = _numbered(qr_out, i, len(enc.texts))
            (render_svg if path.suffix.lower() == ".svg" else render_png)(text, path)
            click.echo(_("wrote {path} (QR {i}/{n})").format(path=path, i=i, n=len(enc.texts)), err=True)
    if out is not None or qr_out is None:
        write_json(vp, out)
        if out not in (None, "-"):
            click.echo(_("wrote {out}: {n} credential(s) presented by {did}").format(out=out, n=len(stored), did=key.did), err=True)


@wallet.command("points")
@_trust_options
@click.option("--json", "as_json", is_flag=True, help="Print the overview as JSON.")
@click.pass_obj
@handle_errors
def points(state, trust_path, status_dir, as_json):
    """ECVET points recognised per qualification (verified Recognition credentials only).

    With --trust/--status-dir the Recognition credentials are verified again now (and their
    stored reports refreshed); otherwise their reports from import are used.
    """
    from ecvet_credentials.verify import verify_credential
    from ecvet_credentials.wallet.points import YEAR_POINTS, points_overview

    w = _wallet(state)
    stored = w.stored()
    _notes(w)
    if trust_path or status_dir:
        options = _verify_options(state, trust_path=trust_path, status_dir=status_dir)
        for s in stored:
            if s.entry.get("ecvetType") == "EcvetRecognition":
                s.report = verify_credential(s.credential, **options).to_json()
                w.add(s.credential, s.report, source=s.entry.get("source"))
    overview = points_overview(stored)
    if as_json:
        click.echo(json.dumps({"yearPoints": int(YEAR_POINTS), "qualifications": [
            {"title": q.title, "points": float(q.total), "units": {k: float(v) for k, v in q.units.items()},
             "credentials": q.credentials} for q in overview.qualifications],
            "skipped": [{"id": i, "reason": r} for i, r in overview.skipped]}, indent=2, ensure_ascii=False))
        return
    if not overview.qualifications:
        click.echo(_("No verified Recognition credential yet: no ECVET points recognised."))
    for q in overview.qualifications:
        share = min(q.total / YEAR_POINTS, 1)
        bar = "#" * int(share * 30) + "." * (30 - int(share * 30))
        click.echo(_("{title}: {total:f} ECVET points recognised ({units})").format(title=q.title, total=q.total.normalize(), units=', '.join((f'{c} {v.normalize():f}' for c, v in q.units.items()))))
        click.echo(_("  [{bar}] {share:.0%} of the {year} points of one year of full-time VET").format(bar=bar, share=q.total / YEAR_POINTS, year=YEAR_POINTS))
    for cid, why in overview.skipped:
        click.echo(_("skipped {cid}: {why}").format(cid=cid, why=why))


@wallet.command("backup")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="FILE.tar.gz to write.")
@click.pass_obj
@handle_errors
def backup(state, out):
    """Write the whole wallet (credentials, reports, the encrypted learner key) to one .tar.gz."""
    from ecvet_credentials.wallet.backup import backup as run_backup

    n = run_backup(_wallet(state), out)
    click.echo(_("wrote {out}: {n} credential(s)").format(out=out, n=n))


@wallet.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@_trust_options
@click.pass_obj
@handle_errors
def restore(state, archive, trust_path, status_dir):
    """Restore a backup into this wallet (merged; every credential is verified again)."""
    from ecvet_credentials.wallet.backup import restore as run_restore

    w = _wallet(state)
    result = run_restore(w, archive, verify_options=_verify_options(state, trust_path=trust_path, status_dir=status_dir))
    click.echo(_("restored {n} credential(s) ({new} new)").format(n=result['credentials'], new=result['new'])
               + (_("; learner key {path}").format(path=result['key']) if result["key"] else ""))


COMMANDS = [wallet]
