"""`ecvet recognize`: verify a Personal Transcript against its Learning Agreement, then issue the
Recognition credential, or refuse and say why. The home institution's last step of the journey."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ecvet_credentials.core.timeutil import utc_today
from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_VERIFIED,
    db_option,
    handle_errors,
    open_registry,
    pass_state,
    passphrase_option,
)
from ecvet_credentials.cli.issue_cmd import issuer_key, status_base
from ecvet_credentials.cli.verify_cmd import _parse_max_age, _parse_now, build_options, load_document


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
@click.option("--key", "key_path", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="HOME_KEY", help="The home institution's key (the agreement's home signs the recognition).")
@click.option("--trust", "trust_path", default=None, metavar="FILE|example",
              help="Trust registry file ('example': the bundled one): the host must be a trusted partner institution "
                   "[default: the registries you subscribed to].")
@click.option("--trust-anchor", default=None, metavar="DID", help="Use --trust only if it carries a valid proof by this DID.")
@click.option("--status-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Directory of the host's published status lists (to check the transcript is not revoked).")
@click.option("--status-optional", is_flag=True, help="Recognise even when the status list cannot be had (it is still reported).")
@click.option("--status-max-age", callback=_parse_max_age, default=None, metavar="DURATION", help="Oldest status list accepted, e.g. 7d.")
@click.option("--did-document", "did_documents", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your --trust-anchor's did:web document, pinned (see `ecvet verify --help`).")
@click.option("--mou", "mou_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The signed MoU credential (else the --trust registry's partnerships): host and home must be "
                   "partners on the mobility dates.")
@click.option("--recognise-unit", "recognise_units", multiple=True, metavar="CODE",
              help="Recognise this unit although it is outside the agreement (repeatable; decided one by one).")
@click.option("--refuse-unit", "refuse_units", multiple=True, metavar="CODE=REASON",
              help="Do not recognise this unit, for this reason (repeatable).")
@click.option("--consequence", "consequences", multiple=True, metavar="CODE=TEXT",
              help="A practical consequence of recognising a unit, e.g. 'ENO-U1=exempt from the kitchen module exam'.")
@click.option("--counts-for", "counts_for", multiple=True, metavar="CODE=HOME_UNIT",
              help="The home unit a recognised unit counts for (repeatable).")
@click.option("--validated-by", default=None, metavar="NAME",
              help="Who validated the units [default: the first person of the agreement's validation arrangement].")
@click.option("--validation-method", default=None, metavar="TEXT", help="How they were validated [default: the arrangement's].")
@click.option("--validation-date", callback=_parse_date, default=None, metavar="DATE",
              help="Date of the validation [default: the decision date].")
@click.option("--responsible", default=None, metavar="NAME",
              help="Who takes the recognition decision [default: the first person of the agreement's recognition arrangement].")
@click.option("--role", default=None, metavar="ROLE", help="Their role, e.g. 'Head teacher'.")
@click.option("--decision-date", callback=_parse_date, default=None, metavar="DATE", help="Date of the decision [default: today].")
@click.option("--now", callback=_parse_now, default=None, metavar="ISO8601", help="Verify at this time instead of now.")
@click.option("-o", "--out", "out", default=None, help="Output file for the Recognition credential (default: standard output).")
@click.option("--no-registry", is_flag=True, help="Sign without recording it or allocating status entries (cannot be revoked).")
@click.option("--status-base-url", default=None, envvar="ECVET_STATUS_BASE_URL",
              help="Where you publish your status lists [env ECVET_STATUS_BASE_URL; default: the institution profile's].")
@click.option("--dev", is_flag=True, help="Without a profile or --status-base-url, point status URLs at a local `ecvet serve`.")
@db_option
@passphrase_option
@pass_state
@handle_errors
def recognize(state, transcript_path, agreement_path, key_path, trust_path, trust_anchor, status_dir, status_optional,
              status_max_age, did_documents, mou_path, recognise_units, refuse_units, consequences, counts_for,
              validated_by, validation_method, validation_date, responsible, role, decision_date, now, out,
              no_registry, status_base_url, dev, db, passphrase_env):
    """Verify a transcript against its Learning Agreement and issue the Recognition credential.

    Runs every check on the transcript (signature, trusted host, not revoked, ECVET rules, each unit
    the agreed unit, host and home MoU partners on the mobility dates) and on the agreement itself.
    If anything required fails, it refuses (exit 1) and lists the reasons; otherwise the home
    institution's (or a competent authority's) key signs a Recognition credential that records the
    validation and, unit by unit, what is recognised (outcomes achieved, points where used) or why
    not, pinning the transcript and the agreement by id and digest (exit 0). A unit outside the
    agreement is recognised only with --recognise-unit. Exit 2 when an input cannot be read or the
    key is neither the home institution's nor a competent authority's of the MoU.

    \b
    Example:
      ecvet recognize --transcript transcript.json --agreement learning-agreement.json \\
          --key home.key --trust trust-registry.json --status-dir status/ \\
          --responsible "Laura Bianchi" --role "Head teacher" -o recognition.json
      ecvet recognize --transcript pt.json --agreement la.json --mou mou.json --key home.key \
          --recognise-unit ENO-U4 --consequence "ENO-U1=no retake of the kitchen exam" -o rec.json
    """
    from ecvet_credentials.core.files import atomic_write_text
    from ecvet_credentials.model import Person
    from ecvet_credentials.ecvet.recognition import (
        awarding_institution,
        default_validation,
        recognize as recognize_transcript,
    )
    from ecvet_credentials.verify import verify_credential
    from ecvet_credentials.cli.common import write_json

    try:
        pt = load_document(transcript_path, agreement_path=agreement_path)
        options = build_options(state, trust_path=trust_path, agreement_path=agreement_path, status_dir=status_dir,
                                did_documents=did_documents, offline=False, trust_anchor=trust_anchor,
                                input_path=transcript_path, mou_path=mou_path)
        options.pop("catalogue")  # recognition always has the agreement
        decisions = _decisions(recognise_units, refuse_units, consequences, counts_for)
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    la = options["agreement"]
    if not isinstance(la, dict):
        raise InputError(_("{agreement_path} holds no JSON object; a Learning Agreement is a credential.").format(agreement_path=agreement_path))
    key = issuer_key(state, key_path, passphrase_env)
    status_base_url = None if no_registry else status_base(state, status_base_url, dev)
    awarding = awarding_institution(la, key.did, mou=options.get("mou"), trust=options.get("trust"))

    common = dict(now=now, status_optional=status_optional, status_max_age=status_max_age,
                  **{k: v for k, v in options.items() if k != "agreement"})

    def write(doc):
        if out and out != "-":
            atomic_write_text(Path(out), json.dumps(doc, indent=2, ensure_ascii=False) + "\n")

    decided_on = decision_date or (now.date() if now else utc_today())
    validation = default_validation(la, validation_date or decided_on, method=validation_method,
                                    person=Person(validated_by) if validated_by else None)

    def run(registry):
        return recognize_transcript(
            pt, la, key, verify=lambda doc, agreement: verify_credential(doc, agreement=agreement, **common),
            decision_date=decided_on, responsible=responsible, role=role,
            issued_at=now, created=now.strftime("%Y-%m-%dT%H:%M:%SZ") if now else None, registry=registry,
            status_base_url=status_base_url, write=write, decisions=decisions, validation=validation, awarding=awarding)

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


def _pairs(values, option: str) -> list[tuple[str, str]]:
    out = []
    for value in values:
        code, sep, text = value.partition("=")
        if not sep or not code.strip() or not text.strip():
            raise InputError(f"{option} {value!r}: expected CODE=TEXT, e.g. ENO-U1=exempt from the module exam")
        out.append((code.strip(), text.strip()))
    return out


def _decisions(recognise_units, refuse_units, consequences, counts_for) -> dict:
    """The unit-by-unit decisions given on the command line, checked by the library (as the server's)."""
    from ecvet_credentials.ecvet.recognition import unit_decisions

    return unit_decisions(recognise=recognise_units, refuse=_pairs(refuse_units, "--refuse-unit"),
                          consequences=_pairs(consequences, "--consequence"),
                          counts_for=_pairs(counts_for, "--counts-for"))


COMMANDS = [recognize]
