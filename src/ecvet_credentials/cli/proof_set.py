"""The create / sign / status flow shared by `ecvet agreement` and `ecvet mou`: documents signed by every
party as a Data Integrity proof set (ecvet.agreement_signatures signs, verify.agreement_signatures checks)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ecvet_credentials.cli.common import EXIT_NOT_VERIFIED, read_json_document, write_json
from ecvet_credentials.cli.keys_cmd import load_key

if TYPE_CHECKING:
    from ecvet_credentials.verify.agreement_signatures import SignatureStatus


def create_document(source: Path, *, expect: str, build: Callable[..., dict[str, Any]], key_path: Path | None,
                    passphrase_env: str, created: str | None, out: str | None) -> None:
    """Build the credential from an authoring file (`expect`: its document kind) with `build(model,
    valid_from=, valid_until=)`, check it, sign it with `key_path` when given, write it to `out`."""
    from ecvet_credentials.ecvet.agreement_signatures import sign_agreement
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.ecvet.issue import check_before_signing

    authored = load(source, expect=expect)
    doc = build(authored.model, valid_from=authored.valid_from, valid_until=authored.valid_until)
    check_before_signing(doc)
    if key_path is not None:
        doc, role = sign_agreement(doc, load_key(key_path, passphrase_env), created=created)
        click.echo(f"signed as {role}", err=True)
    write_json(doc, out)


def add_signature(path: str, key_path: Path, passphrase_env: str, created: str | None, out: str | None) -> None:
    """Add the key's signature to the proof set of the document at `path` and say who is still missing."""
    from ecvet_credentials.ecvet.agreement_signatures import sign_agreement
    from ecvet_credentials.verify.agreement_signatures import signature_status

    signed, role = sign_agreement(read_json_document(path), load_key(key_path, passphrase_env), created=created)
    write_json(signed, out)
    click.echo(f"signed as {role}; {signature_status(signed).summary()}", err=True)


def finish_status(result: SignatureStatus, *, as_json: bool) -> None:
    """The status commands' last line (text only); exit 1 while a required signature is missing or invalid."""
    if not as_json:
        click.echo("complete" if result.complete else "incomplete: " + ", ".join(s.role for s in result.missing))
    if not result.complete:
        sys.exit(EXIT_NOT_VERIFIED)
