"""`ecvet status`: revoke, suspend, reinstate and publish status lists (issuer side)."""
from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from ecvet_credentials.cli.common import db_option, handle_errors, open_registry, pass_state, passphrase_option


@click.group("status")
def status() -> None:
    """Revoke, suspend or reinstate issued credentials and publish the signed status lists.

    \b
    Examples (TARGET is a credential id or a learner number):
      ecvet status revoke urn:uuid:... --reason "issued with a wrong grade"
      ecvet status revoke IPL-2024-0456 --reason "left the programme"
      ecvet status suspend --batch cohort.xlsx --row 17 --reason "under review"
      ecvet status publish --key host.key --out public/status
    Verifiers see a change only after you publish the lists again.
    """


def _change(action: str):
    @click.argument("target", required=False)
    @click.option("--reason", required=True, help="Why (kept in the append-only audit log).")
    @click.option("--who", default=None, help="Who made the change [default: the login name].")
    @click.option("--batch", "batch_id", default=None, help="The cohort batch (with --row, or to narrow a learner number).")
    @click.option("--row", type=int, default=None, help="The cohort sheet's row number (with --batch).")
    @db_option
    @pass_state
    @handle_errors
    def command(state, target: str | None, reason: str, who: str | None, batch_id: str | None, row: int | None,
                db: str | None) -> None:
        from ecvet_credentials.registry.cohort_rows import resolve_target

        if row is not None and (batch_id is None or target is not None):
            raise click.UsageError("--row needs --batch and no TARGET")
        with open_registry(state, db) as registry:
            credential_id = resolve_target(registry, target, batch_id=batch_id, row=row)
            changed = getattr(registry, action)(credential_id, who=who or getpass.getuser(), reason=reason)
            record = registry.status_of(credential_id)
        verb = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}[action]
        click.echo(f"{credential_id}: {verb if changed else 'unchanged (already ' + record.state + ')'}; now {record.state}.")
        click.echo("Publish the lists again (`ecvet status publish`) so verifiers see it.")

    return command


_TARGET = ("\n\nTARGET is a credential id (urn:uuid:...) or a learner number; or give --batch B --row N "
           "(the sheet row of a cohort). A learner with several credentials needs --batch.\n\n\b\nExample:\n  ")
status.command("revoke", help="Revoke a credential for good (it can never be reinstated)." + _TARGET
               + 'ecvet status revoke IPL-2024-0456 --batch cohort.xlsx --reason "wrong grade"')(_change("revoke"))
status.command("suspend", help="Suspend a credential (reversible with `reinstate`)." + _TARGET
               + 'ecvet status suspend --batch cohort.xlsx --row 17 --reason "under review"')(_change("suspend"))
status.command("reinstate", help="Lift a suspension (a revocation is final)." + _TARGET
               + 'ecvet status reinstate IPL-2024-0456 --reason "review closed"')(_change("reinstate"))


@status.command("show")
@click.argument("credential_id")
@click.option("--json", "as_json", is_flag=True, help="Print the record and its audit log as JSON.")
@db_option
@pass_state
@handle_errors
def show(state, credential_id: str, as_json: bool, db: str | None) -> None:
    """Show a credential's status, list positions and audit log."""
    with open_registry(state, db) as registry:
        record = registry.status_of(credential_id)
        log = registry.audit_log(credential_id)
    if as_json:
        click.echo(json.dumps({"credential": record.to_json(), "audit": [e.to_json() for e in log]}, indent=2, default=str))
        return
    click.echo(f"Credential: {record.credential_id} ({record.credential_type})")
    click.echo(f"State:      {record.state}")
    click.echo(f"Revocation: {record.revocation.url} index {record.revocation.index}")
    click.echo(f"Suspension: {record.suspension.url} index {record.suspension.index}")
    for entry in log:
        data = entry.to_json()
        click.echo(f"  {data.get('at')}  {data.get('action'):<10} by {data.get('who')}: {data.get('reason')}")


@status.command("publish")
@click.option("--key", "key_path", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The issuer's key: lists are signed by the institution that issued the credentials "
                   "[default: the institution profile's key].")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the signed list credentials and index.json (host it as static files).")
@click.option("--agreement", "agreements", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A Learning Agreement whose unit catalogue QR codes were made with: also write "
                   "OUT/catalogues/<digest>.json (and HOME/catalogues/ for `ecvet serve`), so verifiers without "
                   "the agreement can read those codes. Repeatable.")
@db_option
@passphrase_option
@pass_state
@handle_errors
def publish(state, key_path: Path, out: Path, agreements: tuple[Path, ...], db: str | None, passphrase_env: str) -> None:
    """Sign and write the issuer's status lists as static files (BitstringStatusListCredential).

    \b
    Example:
      ecvet status publish --out public/status      # then upload public/status to BASE_URL/status/
      ecvet status publish --out public/status --agreement la.json   # + catalogues/<digest>.json
    """
    from ecvet_credentials.jsonld.limits import read_json_file
    from ecvet_credentials.render.qr.catalogue_fetch import write_catalogue

    for agreement in agreements:
        doc = read_json_file(agreement)
        path = write_catalogue(out, doc)
        write_catalogue(state.home, doc)  # `ecvet serve` on this HOME serves it at /status/catalogues/
        click.echo(f"catalogue  {agreement} -> {path}")
    from ecvet_credentials.status.publish import publish_status_lists
    from ecvet_credentials.cli.issue_cmd import issuer_key

    key = issuer_key(state, key_path, passphrase_env)
    with open_registry(state, db) as registry:
        published = publish_status_lists(registry, out, key=key)
    for item in published:
        click.echo(f"{item.purpose:<10} {item.url} -> {item.path}")
    if not published:
        click.echo(f"No status lists for {key.did} in the registry yet (issue credentials first).")


@click.group("registry")
def registry() -> None:
    """Inspect the issuer registry (issued credentials, status positions, audit log)."""


@registry.command("list")
@click.option("--batch", "batch_id", default=None, help="Only this batch.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@db_option
@pass_state
@handle_errors
def list_credentials(state, batch_id: str | None, as_json: bool, db: str | None) -> None:
    """List issued credentials with their state."""
    with open_registry(state, db) as reg:
        records = reg.list_credentials(batch_id=batch_id)
    for record in records:
        if as_json:
            click.echo(json.dumps(record.to_json(), default=str))
        else:
            issued = record.issued_at.strftime("%Y-%m-%d %H:%M") if record.issued_at else "-"
            click.echo(f"{record.credential_id}  {record.credential_type:<24} {record.state:<9} {issued}  {record.batch_id or ''}")
    if not as_json:
        click.echo(f"{len(records)} credential(s)")


@registry.command("export")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write JSON lines here (default: standard output).")
@db_option
@pass_state
@handle_errors
def export(state, out: Path | None, db: str | None) -> None:
    """Export every record (JSON lines: credentials, lists, audit log)."""
    with open_registry(state, db) as reg:
        if out is None:
            n = reg.export(sys.stdout)  # (click.get_text_stream is deprecated in Click 8.2)
        else:
            with open(out, "w", encoding="utf-8") as fh:
                n = reg.export(fh)
    click.echo(f"exported {n} record(s)", err=True)


COMMANDS = [status, registry]
