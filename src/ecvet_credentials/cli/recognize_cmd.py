"""`ecvet recognize`: verify a Personal Transcript against its Learning Agreement, then issue the
Recognition credential, or refuse and say why. The home institution's last step of the journey."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ..errors import InputError
from ..i18n import _
from .common import EXIT_BAD_INPUT, EXIT_NOT_VERIFIED, db_option, handle_errors, open_registry, pass_state, passphrase_option
from .issue_cmd import DEFAULT_STATUS_BASE
from .keys_cmd import load_key
from .verify_cmd import _parse_max_age, _parse_now, build_options, load_document


def _parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("{value!r} is not a date like 2026-12-10").format(value=value)) from None


@click.command("recognize")
@click.option("--transcript", "transcript_path", required=True, metavar="PT",
              help="The Personal Transcript (JSON file, QR image, or - for stdin).")
@click.option("--agreement", "agreement_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="LA", help="The signed Learning Agreement the mobility was made under.")
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="HOME_KEY", help="The home institution's key (the agreement's home signs the recognition).")
@click.option("--trust", "trust_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Trust registry file: the host must be a trusted partner institution.")
@click.option("--trust-anchor", default=None, metavar="DID", help="Use --trust only if it carries a valid proof by this DID.")
@click.option("--status-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Directory of the host's published status lists (to check the transcript is not revoked).")
@click.option("--status-optional", is_flag=True, help="Recognise even when the status list cannot be had (it is still reported).")
@click.option("--status-max-age", callback=_parse_max_age, default=None, metavar="DURATION", help="Oldest status list accepted, e.g. 7d.")
@click.option("--did-document", "did_documents", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your --trust-anchor's did:web document, pinned (see `ecvet verify --help`).")
@click.option("--responsible", default=None, metavar="NAME",
              help="Who takes the recognition decision [default: the first person of the agreement's recognition arrangement].")
@click.option("--role", default=None, metavar="ROLE", help="Their role, e.g. 'Head teacher'.")
@click.option("--decision-date", callback=_parse_date, default=None, metavar="DATE", help="Date of the decision [default: today].")
@click.option("--now", callback=_parse_now, default=None, metavar="ISO8601", help="Verify at this time instead of now.")
@click.option("-o", "--out", "out", default=None, help="Output file for the Recognition credential (default: standard output).")
@click.option("--no-registry", is_flag=True, help="Sign without recording it or allocating status entries (cannot be revoked).")
@click.option("--status-base-url", default=DEFAULT_STATUS_BASE, show_default=True,
              help="Where you host your status lists [env ECVET_STATUS_BASE_URL].")
@db_option
@passphrase_option
@pass_state
@handle_errors
def recognize(state, transcript_path, agreement_path, key_path, trust_path, trust_anchor, status_dir, status_optional,
              status_max_age, did_documents, responsible, role, decision_date, now, out, no_registry, status_base_url, db,
              passphrase_env):
    """Verify a transcript against its Learning Agreement and issue the Recognition credential.

    Runs every check on the transcript (signature, trusted host, not revoked, ECVET rules, matches
    the signed agreement unit by unit) and on the agreement itself. If anything required fails, it
    refuses (exit 1) and lists the reasons; otherwise the home institution's key signs a Recognition
    credential that pins the transcript and the agreement by id and digest (exit 0). Exit 2 when an
    input cannot be read or the key is not the agreement's home institution.

    \b
    Example:
      ecvet recognize --transcript transcript.json --agreement learning-agreement.json \\
          --key home.key --trust trust-registry.json --status-dir status/ \\
          --responsible "Laura Bianchi" --role "Head teacher" -o recognition.json
    """
    from ..fileutil import atomic_write_text
    from ..recognition import home_institution, recognize as recognize_transcript
    from ..verify import verify_credential
    from .common import write_json

    try:
        pt = load_document(transcript_path, agreement_path=agreement_path)
        options = build_options(state, trust_path=trust_path, agreement_path=agreement_path, status_dir=status_dir,
                                did_documents=did_documents, offline=True, trust_anchor=trust_anchor)
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    la = options["agreement"]
    if not isinstance(la, dict):
        raise InputError(_("{agreement_path} holds no JSON object; a Learning Agreement is a credential.").format(agreement_path=agreement_path))
    key = load_key(key_path, passphrase_env)
    home = home_institution(la)
    if home is not None and key.did != home:
        raise InputError(_("The key {key_path} is {did}, but the agreement's home institution is {home}; sign the recognition with the home institution's key.").format(key_path=key_path, did=key.did, home=home))

    common = dict(now=now, status_optional=status_optional, status_max_age=status_max_age,
                  **{k: v for k, v in options.items() if k != "agreement"})

    def write(doc):
        if out and out != "-":
            atomic_write_text(Path(out), json.dumps(doc, indent=2, ensure_ascii=False) + "\n")

    def run(registry):
        return recognize_transcript(
            pt, la, key, verify=lambda doc, agreement: verify_credential(doc, agreement=agreement, **common),
            decision_date=decision_date or (now.date() if now else date.today()), responsible=responsible, role=role,
            issued_at=now, created=now.strftime("%Y-%m-%dT%H:%M:%SZ") if now else None, registry=registry,
            status_base_url=status_base_url, write=write)

    if no_registry:
        outcome = run(None)
    else:
        with open_registry(state, db) as registry:
            outcome = run(registry)
    if outcome.refused:
        click.echo("Refused: the Recognition credential was not issued, because:", err=True)
        for r in outcome.refusals:
            click.echo(f"  - {r.document}: {r.label} [{r.check}, {r.code}]: {r.message}", err=True)
        sys.exit(EXIT_NOT_VERIFIED)
    for warning in outcome.warnings:  # warnings do not stop recognition, but are shown
        click.echo(f"warning: {warning}", err=True)
    if outcome.issued.already_issued:
        click.echo(f"already recognised: {outcome.issued.credential['id']} was issued for this transcript before; "
                   "nothing new was signed (the registry records one recognition per transcript).", err=True)
        return
    if not out or out == "-":
        write_json(outcome.issued.credential, None)
    click.echo(f"recognised: issued {outcome.issued.credential['id']}" + (f" -> {out}" if out and out != "-" else ""), err=True)


COMMANDS = [recognize]
