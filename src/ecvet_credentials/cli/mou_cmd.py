"""`ecvet mou`: the Memorandum of Understanding, drafted by one partner and signed by every partner."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ecvet_credentials.cli.common import handle_errors, passphrase_option, read_json_document
from ecvet_credentials.cli.proof_set import add_signature, create_document, finish_status


@click.group("mou")
def mou() -> None:
    """Draft, sign and check the ECVET Memorandum of Understanding (a proof set: one signature per partner).

    \b
    The MoU names the competent institutions with their roles and responsibilities, the
    qualifications and units covered and its period. Learning Agreements reference it (mou: in the
    LA file); verify --mou and recognize --mou check host and home are partners on the mobility dates.

    \b
    Example:
      ecvet mou create examples/mou.yaml --key home.key -o mou.json
      ecvet mou sign mou.json --key host.key -o mou.json
      ecvet mou sign mou.json --key authority.key -o mou.json
      ecvet mou status mou.json
    """


@mou.command("create")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The first partner's key: sign right away.")
@click.option("--created", default=None, metavar="ISO8601", help="Signature time (default: now).")
@click.option("-o", "--out", "out", default=None, help="Output file (default: standard output).")
@passphrase_option
@handle_errors
def create(source: Path, key_path: Path | None, created: str | None, out: str | None, passphrase_env: str) -> None:
    """Build the MoU credential from an authoring file (YAML or JSON; see examples/mou.yaml).

    \b
    Example:
      ecvet mou create examples/mou.yaml --key home.key -o mou.json
    """
    from ecvet_credentials.model import build_mou_credential

    create_document(source, expect="memorandum-of-understanding", build=build_mou_credential, key_path=key_path,
                    passphrase_env=passphrase_env, created=created, out=out)


@mou.command("sign")
@click.argument("mou_path", metavar="MOU", type=click.Path(exists=True, dir_okay=False))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your key (a partner's).")
@click.option("--created", default=None, metavar="ISO8601", help="Signature time (default: now).")
@click.option("-o", "--out", "out", default=None, help="Output file; may be MOU itself (default: standard output).")
@passphrase_option
@handle_errors
def sign(mou_path: str, key_path: Path, created: str | None, out: str | None, passphrase_env: str) -> None:
    """Add your signature to the MoU's proof set (refused if you are not a partner or already signed).

    \b
    Example:
      ecvet mou sign mou.json --key host.key -o mou.json
    """
    add_signature(mou_path, key_path, passphrase_env, created, out)


@mou.command("status")
@click.argument("mou_path", metavar="MOU", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the signature status as JSON.")
@handle_errors
def status(mou_path: str, as_json: bool) -> None:
    """Show the partners, the period and which signatures are present. Exit 0 when every partner signed, 1 if not.

    \b
    Example:
      ecvet mou status mou.json --json
    """
    from ecvet_credentials.verify.agreement_signatures import signature_status
    from ecvet_credentials.model import mou_from_credential

    doc = read_json_document(mou_path)
    model = mou_from_credential(doc)
    result = signature_status(doc)
    if as_json:
        click.echo(json.dumps({"period": [str(model.start), str(model.end)], **result.to_json()}, indent=2))
    else:
        click.echo(f"{model.title}: {model.start} to {model.end}")
        for partner, signer in zip(model.partners, result.required):
            mark = "signed " if signer.role in result.signed else "MISSING"
            click.echo(f"[{mark}] {partner.institution.name} ({', '.join(partner.roles)}): {partner.responsibilities}")
    finish_status(result, as_json=as_json)


COMMANDS = [mou]
