"""`ecvet trust`: sign a trust registry as its trust anchor, and check such a signature."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from ..i18n import _
from .common import EXIT_NOT_VERIFIED, handle_errors, passphrase_option, read_json_document, write_json
from .keys_cmd import load_key


@click.group("trust")
def trust() -> None:
    """Trust registries: the institutions, keys and MoU partnerships a verifier trusts.

    A trust anchor (e.g. a national agency) signs the registry file; verifiers then use it only
    with `ecvet verify --trust FILE --trust-anchor DID`, so a changed file is never trusted.
    """


@trust.command("sign")
@click.argument("file", metavar="FILE")
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The trust anchor's key (Ed25519 signs with eddsa-jcs-2022, P-256/P-384 with ecdsa-jcs-2019).")
@click.option("--created", default=None, metavar="ISO8601", help="Proof creation time (default: now).")
@click.option("-o", "--out", "out", default=None, help="Output file (default: standard output).")
@passphrase_option
@handle_errors
def sign(file, key_path, created, out, passphrase_env):
    """Sign the trust registry FILE with the anchor's key (an earlier signature is replaced).

    \b
    Example:
      ecvet trust sign trust-registry.json --key agency.key -o trust-registry.signed.json
      ecvet verify pt.json --trust trust-registry.signed.json --trust-anchor did:key:zDna...
    """
    from ..trust_sign import sign_trust_registry

    data = read_json_document(file)
    key = load_key(key_path, passphrase_env)
    signed = sign_trust_registry(data, key, created=created)
    write_json(signed, out)
    click.echo(f"signed by {key.did}" + (f" -> {out}" if out and out != "-" else ""), err=True)


@trust.command("check")
@click.argument("file", metavar="FILE")
@click.option("--anchor", required=True, metavar="DID", help="The trust anchor whose proof the registry must carry.")
@handle_errors
def check(file, anchor):
    """Check that FILE is a readable trust registry signed by ANCHOR (exit 0 yes, 1 no, 2 unreadable).

    \b
    Example:
      ecvet trust check trust-registry.signed.json --anchor did:key:zDna...
    """
    from ..trust import parse_trust_registry
    from ..trust_sign import check_anchor_proof

    data = read_json_document(file)
    registry = parse_trust_registry(data, source=file)
    if not isinstance(data, dict):  # parse_trust_registry already refuses, kept for the type checker
        raise InputError(_("{file} is not a trust registry.").format(file=file))
    problem = check_anchor_proof(data, anchor)
    if problem:
        click.echo(f"NOT TRUSTED: {problem}", err=True)
        sys.exit(EXIT_NOT_VERIFIED)
    click.echo(f"'{registry.name}': {len(registry.institutions)} institution(s), signed by {anchor}")


COMMANDS = [trust]
