"""`ecvet keys`: generate key pairs and publish DID documents."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import handle_errors, passphrase_option, write_json

KEY_TYPE_CHOICES = {"ed25519": "Ed25519", "p256": "P-256", "p384": "P-384"}


@click.group()
def keys() -> None:
    """Create and inspect institution and learner keys."""


@keys.command("generate")
@click.option("--type", "key_type", type=click.Choice(sorted(KEY_TYPE_CHOICES)), default="ed25519", show_default=True,
              help="ed25519 for eddsa-* cryptosuites, p256/p384 for ecdsa-*.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the private key (encrypted PKCS#8 PEM, mode 0600).")
@click.option("--overwrite", is_flag=True, help="Replace an existing key file.")
@click.option("--json", "as_json", is_flag=True, help="Print the DID and verification method as JSON.")
@passphrase_option
@handle_errors
def generate(key_type: str, out: Path, overwrite: bool, as_json: bool, passphrase_env: str) -> None:
    """Generate a key pair and store it encrypted with a passphrase.

    Prints the did:key DID and the verification method id to use with `ecvet sign`.

    \b
    Example:
      ECVET_PASSPHRASE=... ecvet keys generate --type ed25519 --out host.key
    """
    from ecvet_credentials.crypto.keys import KeyPair, passphrase_from_env, save_key_file

    passphrase = passphrase_from_env(passphrase_env)
    key = KeyPair.generate(KEY_TYPE_CHOICES[key_type])
    save_key_file(out, key, passphrase=passphrase, overwrite=overwrite)
    info = {"did": key.did, "verificationMethod": key.verification_method_id, "keyType": key.key_type,
            "publicKeyMultibase": key.public_multibase, "file": str(out)}
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        click.echo(f"DID:                 {key.did}")
        click.echo(f"Verification method: {key.verification_method_id}")
        click.echo(f"Key type:            {key.key_type}")
        click.echo(f"Private key:         {out} (encrypted, mode 0600)")
        click.echo(f"Next: make it your institution's key with `ecvet institution init --key {out} --name ... "
                   "--country ... --base-url https://...`, and send the DID to the agency that keeps your trust "
                   "registry (ecvet trust add).", err=True)


@keys.command("show")
@click.argument("key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@passphrase_option
@handle_errors
def show(key_file: Path, passphrase_env: str) -> None:
    """Show the public side of a key file (never the private key)."""
    key = load_key(key_file, passphrase_env)
    click.echo(f"DID:                 {key.did}")
    click.echo(f"Verification method: {key.verification_method_id}")
    click.echo(f"Key type:            {key.key_type}")
    click.echo(f"Public key:          {key.public_multibase}")


@keys.command("did-web")
@click.option("--did", "did", required=True, help="The institution's did:web, e.g. did:web:school.example.")
@click.option("--key", "key_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A current key file (repeatable).")
@click.option("--public-key", "public_keys", multiple=True, metavar="MULTIBASE[=REVOKED]",
              help="A public key; with =ISO8601 it is listed as revoked since then (key rotation).")
@click.option("-o", "--out", "out", default=None, help="Write did.json here (default: standard output).")
@passphrase_option
@handle_errors
def did_web(did: str, key_files: tuple[Path, ...], public_keys: tuple[str, ...], out: str | None, passphrase_env: str) -> None:
    """Write a did:web DID document for an institution.

    Old keys stay listed with a revocation date so credentials signed before a rotation keep verifying.
    Host the output at https://<domain>/.well-known/did.json, and give it to verifiers in the trust registry.
    """
    from ecvet_credentials.crypto.dids import did_web_document
    from ecvet_credentials.crypto.keys import public_key_from_multibase

    entries = [{"key": load_key(path, passphrase_env), "revoked": None} for path in key_files]
    for spec in public_keys:
        value, _sep, revoked = spec.partition("=")
        entries.append({"key": public_key_from_multibase(value), "revoked": revoked or None})
    if not entries:
        raise click.UsageError(_("give at least one --key or --public-key"))
    write_json(did_web_document(did, entries), out)


def load_key(path: Path, passphrase_env: str):
    """Load a key file; asks for the passphrase only when the file is encrypted."""
    from ecvet_credentials.crypto.keys import load_key_file, passphrase_from_env, read_key_file_bytes

    data = read_key_file_bytes(path)
    passphrase = passphrase_from_env(passphrase_env) if b"-----BEGIN" in data and b"ENCRYPTED" in data else None
    return load_key_file(path, passphrase=passphrase)
