"""`ecvet sign`: add a Data Integrity proof to any JSON-LD document."""
from __future__ import annotations

from pathlib import Path

import click

from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import handle_errors, passphrase_option, read_json_document, write_json
from ecvet_credentials.cli.keys_cmd import load_key

CRYPTOSUITE_CHOICES = ["eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019"]


@click.command("sign")
@click.argument("input_path", metavar="IN")
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Key file from `ecvet keys generate`, or a Multikey pair JSON (publicKeyMultibase + secretKeyMultibase).")
@click.option("--cryptosuite", type=click.Choice(CRYPTOSUITE_CHOICES), default=None,
              help="Default: eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256/P-384.")
@click.option("--created", default=None, metavar="ISO8601", help="Proof creation time (default: now, UTC).")
@click.option("--verification-method", default=None, metavar="ID", help="Default: the key's did:key method.")
@click.option("--purpose", type=click.Choice(["assertionMethod", "authentication"]), default="assertionMethod", show_default=True)
@click.option("--challenge", default=None, help="Verifier's challenge (authentication proofs).")
@click.option("--domain", default=None, help="Verifier's domain (authentication proofs).")
@click.option("--proof-id", "proof_id", default=None, metavar="IRI",
              help="An id for the new proof (e.g. urn:uuid:...), so that a later proof can chain after it.")
@click.option("--previous-proof", "previous_proof", multiple=True, metavar="ID", help="Chain this proof after the proof with this id (repeatable).")
@click.option("-o", "--out", "out", default=None, help="Output file (default: standard output).")
@passphrase_option
@handle_errors
def sign(input_path, key_path, cryptosuite, created, verification_method, purpose, challenge, domain, proof_id,
         previous_proof, out, passphrase_env):
    """Sign IN (a JSON-LD file or - for stdin) and write the signed document.

    An existing proof is kept: the new one is added beside it (a proof set), or chained
    after it with --previous-proof (give the first proof an id with --proof-id).

    \b
    Examples:
      ecvet sign credential.json --key host.key -o signed.json
      ecvet sign credential.json --key host.key --proof-id urn:uuid:1 -o once.json
      ecvet sign once.json --key home.key --proof-id urn:uuid:2 --previous-proof urn:uuid:1 -o chained.json
      ecvet sign unsigned.json --key keyPair.json --created 2023-02-24T23:36:38Z \\
          --verification-method did:key:z6Mk...#z6Mk...
    """
    import re

    from ecvet_credentials.proofs import sign as add_proof

    if proof_id is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", proof_id):
        raise click.UsageError(f"--proof-id {proof_id!r} must be an absolute IRI such as urn:uuid:... or https://...")

    document = read_json_document(input_path)
    if not isinstance(document, dict):
        raise click.UsageError(_("IN must hold a JSON object (a credential or presentation)."))
    key = load_key(key_path, passphrase_env)
    if cryptosuite is None:
        cryptosuite = "eddsa-rdfc-2022" if key.key_type == "Ed25519" else "ecdsa-rdfc-2019"
    elif cryptosuite.startswith("eddsa") != (key.key_type == "Ed25519"):
        raise click.UsageError(_("--cryptosuite {cryptosuite} does not fit a {key_type} key.").format(cryptosuite=cryptosuite, key_type=key.key_type))
    signed = add_proof(
        document,
        key,
        cryptosuite=cryptosuite,
        verification_method=verification_method,
        created=created,
        purpose=purpose,
        challenge=challenge,
        domain=domain,
        proof_id=proof_id,
        previous_proof=(previous_proof[0] if len(previous_proof) == 1 else list(previous_proof)) or None,
    )
    write_json(signed, out)
