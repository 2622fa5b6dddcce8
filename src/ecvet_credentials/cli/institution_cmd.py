"""`ecvet institution`: set up a school once (profile, key, DID) and show it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import handle_errors, pass_state, passphrase_option

KEY_FILE = "keys/institution.key"


@click.group("institution")
def institution() -> None:
    """Your institution, set up once: name, codes, address, signatory, public base URL, key and DID.

    Issuing, status publishing, `ecvet serve` and printing read it from HOME/institution.json.
    """


@institution.command("init")
@click.option("--name", required=True, help="The institution's name as printed and shown to verifiers.")
@click.option("--country", required=True, help="ISO 3166 country code, e.g. DE.")
@click.option("--base-url", required=True, metavar="URL",
              help="Public HTTPS base where you serve your status lists (URL/status/...) and did.json, "
                   "e.g. https://bk-rhein-ruhr.de/ecvet.")
@click.option("--key", "key_import", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Import this existing key file instead of generating one.")
@click.option("--key-type", type=click.Choice(["ed25519", "p256", "p384"]), default="ed25519", show_default=True,
              help="Type of a generated key: ed25519 (eddsa-* cryptosuites) or p256/p384 (ecdsa-*).")
@click.option("--erasmus-code", default="", help="Erasmus institution code, e.g. 'D  DORTMUN01'.")
@click.option("--national-code", default="", help="National school or provider code.")
@click.option("--street", default="", help="Street and number.")
@click.option("--postcode", default="", help="Postal code.")
@click.option("--city", default="", help="City.")
@click.option("--email", default="", help="Contact e-mail.")
@click.option("--phone", default="", help="Contact phone.")
@click.option("--website", default="", help="Website.")
@click.option("--logo", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Logo image for printed documents (copied into HOME).")
@click.option("--signatory", default="", help="Who signs documents by default, e.g. 'Dr. Anna Schmidt'.")
@click.option("--signatory-role", default="", help="Their role, e.g. 'Principal'.")
@click.option("--place", default="", help="Where documents are signed, e.g. 'Dortmund'.")
@click.option("--language", "languages", multiple=True, help="Document languages, first is the main one (repeatable).")
@click.option("--verification-url", default="", help="Your `ecvet serve` verification page, printed on documents.")
@click.option("--dev", is_flag=True, help="Allow an http://127.0.0.1 base URL (trying things out on one machine).")
@click.option("--force", is_flag=True, help="Replace an existing profile (the key file is kept unless --key is given).")
@passphrase_option
@pass_state
@handle_errors
def init(state, name, country, base_url, key_import, key_type, erasmus_code, national_code, street, postcode,
         city, email, phone, website, logo, signatory, signatory_role, place, languages, verification_url, dev, force,
         passphrase_env):
    """Write HOME/institution.json, create (or import) the signing key, write HOME/did.json and print the
    DID, where the status lists will live, and the next steps.

    \b
    Example:
      ECVET_PASSPHRASE=... ecvet --home ~/bk institution init --name "Berufskolleg Rhein-Ruhr" --country DE \\
          --base-url https://bk-rhein-ruhr.de/ecvet --erasmus-code "D  DORTMUN01" --language de --language en
    """
    from ecvet_credentials.ecvet.institution import (
        Address,
        Contact,
        InstitutionProfile,
        Signatory,
        check_base_url,
        load_profile,
        save_profile,
    )
    from ecvet_credentials.crypto.keys import KeyPair, load_key_file, passphrase_from_env, save_key_file

    home = state.ensure_home()
    if load_profile(home) is not None and not force:
        raise InputError(_("{path} exists; use --force to replace it (ecvet institution show).").format(
            path=home / "institution.json"))
    base = check_base_url(base_url, dev=dev)
    key_path = home / KEY_FILE
    if key_import is not None:
        passphrase = passphrase_from_env(passphrase_env)
        key = load_key_file(key_import, passphrase=passphrase)
        key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(key_import, key_path)
        key_path.chmod(0o600)
    elif key_path.is_file():
        key = load_key_file(key_path, passphrase=passphrase_from_env(passphrase_env))
    else:
        key = KeyPair.generate({"ed25519": "Ed25519", "p256": "P-256", "p384": "P-384"}[key_type])
        key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        save_key_file(key_path, key, passphrase=passphrase_from_env(passphrase_env))
    # The identity is the key's did:key: issuing, status lists and `serve` sign as key.did today
    # (a did:web identity needs them to sign with a did:web verification method: not yet).
    did = key.did
    logo_name = None
    if logo is not None:
        logo_name = "logo" + logo.suffix.lower()
        shutil.copyfile(logo, home / logo_name)
    profile = InstitutionProfile(
        name=name, country=country.upper(), did=did, base_url=base, key=KEY_FILE,
        codes={k: v for k, v in (("erasmus", erasmus_code), ("national", national_code)) if v},
        address=Address(street, postcode, city, country.upper()), contact=Contact(email, phone, website),
        logo=logo_name, signatory=Signatory(signatory, signatory_role), place=place,
        languages=tuple(languages) or ("en",), verification_url=verification_url)
    save_profile(home, profile)
    did_doc = _did_document(profile, key)
    (home / "did.json").write_text(json.dumps(did_doc, indent=2) + "\n", encoding="utf-8")
    _next_steps(home, profile)


def _did_document(profile, key) -> dict:
    from ecvet_credentials.crypto.dids import did_key_document, did_web_document

    if profile.did.startswith("did:web:"):
        return did_web_document(profile.did, [{"key": key, "revoked": None}])
    return did_key_document(profile.did)


def _next_steps(home: Path, profile) -> None:
    from ecvet_credentials.ecvet.institution import did_json_url

    where = did_json_url(profile.did)
    click.echo(_("institution profile: {path}").format(path=home / "institution.json"))
    click.echo(f"DID:                 {profile.did}")
    click.echo(_("status lists at:     {url}").format(url=f"{profile.status_base_url}/..."))
    click.echo(f"did.json:            {home / 'did.json'}" + ("  " + _("-> publish it at {url}").format(url=where) if where else
                                                              "  " + _("(a did:key is its own document)")))
    click.echo("")
    click.echo(_("Next steps:"))
    click.echo("  1. " + _("Serve {url} : `ecvet serve` behind your HTTPS proxy (or --tls-cert/--tls-key), or "
                           "`ecvet status publish --out DIR` and upload DIR to .../status/.").format(url=f"{profile.base_url}/"))
    click.echo("  2. " + _("Send your DID and {url} to your national agency or partnership, to be added to the trust "
                           "registry that your partners subscribe to (ecvet trust add / ecvet trust subscribe).").format(
                               url=f"{profile.status_base_url}/"))
    click.echo("  3. " + _("Issue: {command}   (key and status URLs come from this profile)").format(
        command="ecvet issue transcript pt.yaml -o pt.json"))


@institution.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
@pass_state
@handle_errors
def show(state, as_json):
    """Show HOME's institution profile.

    \b
    Example:
      ecvet institution show --json
    """
    from ecvet_credentials.ecvet.institution import did_json_url, load_profile

    profile = load_profile(state.home)
    if profile is None:
        raise InputError(_("no institution profile in {home}: run `ecvet institution init` first.").format(home=state.home))
    if as_json:
        click.echo(json.dumps(profile.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(_("Name:         {name}").format(name=profile.display_name()))
    click.echo(_("Country:      {country}").format(country=profile.country))
    click.echo(f"DID:          {profile.did}")
    click.echo(f"Base URL:     {profile.base_url}")
    click.echo(_("Status lists: {url}").format(url=f"{profile.status_base_url}/"))
    if did_json_url(profile.did):
        click.echo(_("did.json at:  {url}").format(url=did_json_url(profile.did)))
    for kind, code in profile.codes.items():
        click.echo(f"Code ({kind}): {code}")
    if profile.signatory.name:
        click.echo(_("Signatory:    {name} ({role})").format(name=profile.signatory.name, role=profile.signatory.role or "-"))


COMMANDS = [institution]
