"""`ecvet trust`: sign a trust registry as its trust anchor, and check such a signature."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import (
    EXIT_NOT_VERIFIED,
    handle_errors,
    pass_state,
    passphrase_option,
    read_json_document,
    write_json,
)
from ecvet_credentials.cli.keys_cmd import load_key


@click.group("trust")
def trust() -> None:
    """Trust registries: the institutions, keys and MoU partnerships a verifier trusts.

    
    A national agency or a partnership builds one and publishes it signed:
      ecvet trust init registry.json --name "NA Germany: ECVET partners"
      ecvet trust add registry.json did:web:bk.example --name "Berufskolleg" --country DE --role host \\
          --status-prefix https://bk.example/ecvet/status/
      ecvet trust sign registry.json --key agency.key -o registry.signed.json   # publish at a URL
    A verifier (an employer, a school) subscribes once; every verifying command then uses it:
      ecvet trust subscribe https://agency.example/registry.json --anchor did:key:z6Mk...
    Without a registry, no issuer is recognised: a valid signature alone is never "verified".
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
    from ecvet_credentials.trust.signing import sign_trust_registry

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
    from ecvet_credentials.trust.registry import parse_trust_registry
    from ecvet_credentials.trust.signing import check_anchor_proof

    data = read_json_document(file)
    registry = parse_trust_registry(data, source=file)
    if not isinstance(data, dict):  # parse_trust_registry already refuses, kept for the type checker
        raise InputError(_("{file} is not a trust registry.").format(file=file))
    problem = check_anchor_proof(data, anchor)
    if problem:
        click.echo(_("NOT TRUSTED: {problem}").format(problem=problem), err=True)
        sys.exit(EXIT_NOT_VERIFIED)
    click.echo(_("'{name}': {count} institution(s), signed by {anchor}").format(
        name=registry.name, count=len(registry.institutions), anchor=anchor))


def _registry_path(file) -> Path:
    return Path(file)


@trust.command("init")
@click.argument("file", metavar="FILE")
@click.option("--name", required=True, help="The registry's name, e.g. 'NA Germany: ECVET partners'.")
@click.option("--ttl", default="1d", show_default=True, help="How often subscribers refresh it (7d, 12h...).")
@click.option("--valid-until", default=None, metavar="ISO8601", help="When the registry stops counting.")
@click.option("--force", is_flag=True, help="Overwrite an existing FILE.")
@handle_errors
def init(file, name, ttl, valid_until, force):
    """Start an empty trust registry FILE (edition 1).

    
    Example:
      ecvet trust init registry.json --name "Partnership Rhein-Ruhr / Lombardia" --ttl 1d
    """
    from ecvet_credentials.trust.editing import new_registry, write_registry

    path = _registry_path(file)
    if path.exists() and not force:
        raise InputError(_("{path} exists; use --force to start it again.").format(path=path))
    write_registry(path, new_registry(name, ttl=ttl, valid_until=valid_until))
    click.echo(_("created {path}: add institutions with `{command}`, then sign it.").format(
        path=path, command=f"ecvet trust add {path} DID ..."))


@trust.command("add")
@click.argument("file", metavar="FILE")
@click.argument("who", metavar="DID|did.json")
@click.option("--name", required=True, help="The institution's name as verifiers will see it.")
@click.option("--country", default=None, help="ISO 3166 country code, e.g. DE.")
@click.option("--role", "roles", multiple=True, required=True,
              help="host, home, competent-authority or intermediary (repeatable).")
@click.option("--status-prefix", "prefixes", multiple=True, metavar="URL",
              help="Where its status lists are published (repeatable); verifiers fetch lists only from there.")
@handle_errors
def add(file, who, name, country, roles, prefixes):
    """Add (or replace) an institution in FILE, by DID or by its did.json. Raises the edition; sign again.

    
    Examples:
      ecvet trust add registry.json did:key:z6Mk... --name "Istituto Leonardo" --country IT --role home \\
          --status-prefix https://ipleonardo.example/ecvet/status/
      ecvet trust add registry.json did.json --name "Berufskolleg" --country DE --role host
    """
    from ecvet_credentials.jsonld.limits import parse_json
    from ecvet_credentials.trust.editing import add_institution, institution_entry, read_registry, write_registry

    path = _registry_path(file)
    data = read_registry(path)
    target = who
    if not who.startswith("did:"):
        doc_path = Path(who)
        if not doc_path.is_file():
            raise InputError(_("{who} is neither a DID nor a did.json file.").format(who=who))
        target = parse_json(doc_path.read_bytes(), source=who)
        if not isinstance(target, dict):
            raise InputError(_("{who} is not a DID document.").format(who=who))
    entry = institution_entry(target, name=name, country=country, roles=list(roles), status_prefixes=list(prefixes))
    data, replaced = add_institution(data, entry)
    write_registry(path, data)
    done = _("replaced {did} in {path} (edition {version})") if replaced else _("added {did} in {path} (edition {version})")
    click.echo(done.format(did=entry["did"], path=path, version=data["version"]) + "; "
               + _("sign it again: {command}").format(command=f"ecvet trust sign {path} --key ANCHOR.key -o ..."))


@trust.command("remove")
@click.argument("file", metavar="FILE")
@click.argument("did", metavar="DID")
@handle_errors
def remove(file, did):
    """Remove the institution DID from FILE. Raises the edition; sign again and publish.

    
    Example:
      ecvet trust remove registry.json did:key:z6Mk...
    """
    from ecvet_credentials.trust.editing import read_registry, remove_institution, write_registry

    path = _registry_path(file)
    data = remove_institution(read_registry(path), did)
    write_registry(path, data)
    click.echo(_("removed {did} from {path} (edition {version}); sign it again and publish it.").format(
        did=did, path=path, version=data["version"]))


@trust.command("partner")
@click.argument("file", metavar="FILE")
@click.argument("members", nargs=-1, required=True, metavar="DID DID...")
@click.option("--id", "partnership_id", required=True, help="The MoU's id, e.g. urn:uuid:... or the MoU credential's id.")
@click.option("--from", "valid_from", default=None, help="First day the MoU is valid (YYYY-MM-DD or a date-time).")
@click.option("--until", "valid_until", default=None, help="Last day the MoU is valid (YYYY-MM-DD or a date-time).")
@handle_errors
def partner(file, members, partnership_id, valid_from, valid_until):
    """Record an MoU partnership between institutions FILE lists. Recognition needs host and home to be
    partners on the mobility dates (from this registry or an MoU credential given with --mou).

    \b
    Example:
      ecvet trust partner registry.json did:key:z6MkHost... did:key:z6MkHome... \\
            --id urn:uuid:7d0c... --from 2026-01-01 --until 2028-12-31
    """
    from ecvet_credentials.trust.editing import add_partnership, read_registry, write_registry

    path = _registry_path(file)
    data = add_partnership(read_registry(path), list(members), partnership_id=partnership_id,
                           valid_from=valid_from, valid_until=valid_until)
    write_registry(path, data)
    click.echo(_("recorded the partnership {id} in {path} (edition {version}); sign it again and publish it.").format(
        id=partnership_id, path=path, version=data["version"]))


@trust.command("list")
@click.argument("file", metavar="FILE", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
@handle_errors
def list_(state, file, as_json):
    """List the institutions of FILE, or (without FILE) your subscriptions and what they name.

    
    Examples:
      ecvet trust list registry.json
      ecvet trust list
    """
    from ecvet_credentials.trust.registry import parse_trust_registry
    from ecvet_credentials.trust import subscriptions as subs_mod
    from ecvet_credentials.trust.editing import read_registry

    sources = []
    if file:
        sources.append((file, None, read_registry(_registry_path(file))))
    else:
        for sub in subs_mod.subscriptions(state.home):
            acc = subs_mod.accepted(state.home, sub.url)
            sources.append((sub.url, sub, acc.data if acc else None))
        if not sources:
            click.echo(_("no subscriptions: {command} (or give a registry FILE)").format(
                command="ecvet trust subscribe URL --anchor DID"), err=True)
    out = []
    for where, sub, data in sources:
        registry = parse_trust_registry(data, source=where) if data is not None else None
        out.append({"source": where, "anchor": sub.anchor if sub else None,
                    "name": registry.name if registry else None, "version": registry.version if registry else None,
                    "institutions": [{"did": i.did, "name": i.name, "country": i.country, "roles": list(i.roles),
                                      "statusListPrefixes": list(i.status_prefixes)}
                                     for i in (registry.institutions.values() if registry else [])]})
    if as_json:
        write_json(out, None)
        return
    for entry in out:
        head = _("{source}: '{name}' edition {version}").format(source=entry["source"], name=entry["name"],
                                                                version=entry["version"])
        click.echo(head + (_(", anchor {anchor}").format(anchor=entry["anchor"]) if entry["anchor"] else ""))
        for i in entry["institutions"]:
            click.echo(f"  {i['name']} ({i['country'] or '?'}; {', '.join(i['roles'])}) {i['did']}")
            for prefix in i["statusListPrefixes"]:
                click.echo("      " + _("status lists: {prefix}").format(prefix=prefix))


@trust.command("subscribe")
@click.argument("url", metavar="URL")
@click.option("--anchor", required=True, metavar="DID", help="The DID of the agency that signs the registry.")
@pass_state
@handle_errors
def subscribe(state, url, anchor):
    """Follow the trust registry published at URL (HTTPS), signed by ANCHOR. Every verifying command then
    uses it when --trust is not given; it is refreshed by its ttl and never rolled back to an older edition.

    
    Example:
      ecvet trust subscribe https://agency.example/ecvet/registry.json --anchor did:key:z6Mk...
    """
    from ecvet_credentials.trust.subscriptions import subscribe as do_subscribe

    acc = do_subscribe(state.ensure_home(), url, anchor)
    names = len(acc.data.get("institutions", []))
    click.echo(_("subscribed to {url}: edition {version}, {count} institution(s), signed by {anchor}").format(
        url=url, version=acc.version, count=names, anchor=anchor))


@trust.command("unsubscribe")
@click.argument("url", metavar="URL")
@pass_state
@handle_errors
def unsubscribe(state, url):
    """Stop following the registry at URL.

    
    Example:
      ecvet trust unsubscribe https://agency.example/ecvet/registry.json
    """
    from ecvet_credentials.trust.subscriptions import unsubscribe as do_unsubscribe

    if not do_unsubscribe(state.home, url):
        raise InputError(_("not subscribed to {url} (see ecvet trust list).").format(url=url))
    click.echo(_("unsubscribed from {url}").format(url=url))


@trust.command("refresh")
@click.option("--force", is_flag=True, help="Fetch even the copies younger than their ttl.")
@pass_state
@handle_errors
def refresh(state, force):
    """Fetch the subscribed registries now (verifying commands also do it by each registry's ttl).
    Exit 1 when one was refused (an older edition, a bad signature) or could not be fetched.

    
    Example:
      ecvet trust refresh --force
    """
    from ecvet_credentials.trust.subscriptions import refresh as do_refresh

    results = do_refresh(state.home, force=force)
    if not results:
        click.echo(_("no subscriptions: {command}").format(command="ecvet trust subscribe URL --anchor DID"), err=True)
    for r in results:
        click.echo(f"{r.outcome}: {r.url}: {r.message}")
    if any(r.outcome in ("refused", "failed") for r in results):
        sys.exit(EXIT_NOT_VERIFIED)


COMMANDS = [trust]
