"""`ecvet agreement`: the Learning Agreement, drafted by the home institution and signed by every party."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ecvet_credentials.cli.common import handle_errors, passphrase_option, read_json_document
from ecvet_credentials.cli.proof_set import add_signature, create_document, finish_status


@click.group("agreement")
def agreement() -> None:
    """Draft, sign and check Learning Agreements (a proof set: one signature per party).

    \b
    The journey:
      ecvet agreement create examples/learning-agreement.yaml --key home.key -o la.json
      ecvet agreement sign la.json --key host.key -o la.json
      ecvet agreement sign la.json --key learner.key -o la.json
      ecvet agreement sign la.json --key guardian.key -o la.json   # learner under 18
      ecvet agreement status la.json
    """


@agreement.command("create")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The home institution's key: sign as home right away.")
@click.option("--created", default=None, metavar="ISO8601", help="Signature time (default: now).")
@click.option("-o", "--out", "out", default=None, help="Output file (default: standard output).")
@passphrase_option
@handle_errors
def create(source: Path, key_path: Path | None, created: str | None, out: str | None, passphrase_env: str) -> None:
    """Build the Learning Agreement credential from an authoring file (YAML or JSON; see examples/)."""
    from ecvet_credentials.model import build_agreement_credential

    create_document(source, expect="learning-agreement", build=build_agreement_credential, key_path=key_path,
                    passphrase_env=passphrase_env, created=created, out=out)


@agreement.command("sign")
@click.argument("la_path", metavar="LA", type=click.Path(exists=True, dir_okay=False))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your key: host, home, learner, guardian or intermediary; on a transcript, the learner or a "
                   "workplace supervisor named in its assessment sheet.")
@click.option("--created", default=None, metavar="ISO8601", help="Signature time (default: now).")
@click.option("-o", "--out", "out", default=None, help="Output file; may be LA itself (default: standard output).")
@passphrase_option
@handle_errors
def sign(la_path: str, key_path: Path, created: str | None, out: str | None, passphrase_env: str) -> None:
    """Add your signature to the agreement's proof set (refused if you are not a party or already signed)."""
    add_signature(la_path, key_path, passphrase_env, created, out)


@agreement.command("status")
@click.argument("la_path", metavar="LA", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the signature status as JSON.")
@handle_errors
def status(la_path: str, as_json: bool) -> None:
    """Show which required signatures are present (and optional ones: intermediary; on a transcript the
    learner and workplace supervisors), with each signatory's name, role and place as the document
    states them. Exit 0 when complete, 1 when any is missing or invalid.

    
    Example:
      ecvet agreement status la.json --json
    """
    from ecvet_credentials.verify.agreement_signatures import signature_status

    result = signature_status(read_json_document(la_path))
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        optional = [s for s in result.optional if s.role in result.signed]
        for signer in result.required + optional:
            mark = "signed " if signer.role in result.signed else "MISSING"
            face = result.signatories.get(signer.did or "")  # name, role, place: signed claims of the document
            who = f"  ({face.name}, {face.role}{', ' + face.place if face.place else ''})" if face else ""
            click.echo(f"[{mark}] {signer.role:<12} {signer.did}{who}")
        for bad in result.invalid:
            click.echo(f"[INVALID] {bad.verification_method}: {bad.message}")
    finish_status(result, as_json=as_json)


COMMANDS = [agreement]
