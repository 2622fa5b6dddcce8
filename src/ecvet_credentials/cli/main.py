"""`ecvet`: issue and verify signed ECVET learning-mobility credentials."""
from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

import click

from ecvet_credentials import __version__
from ecvet_credentials.cli.common import AppState, default_home

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# The module of each command, so that a run imports only its own command (and `ecvet --version` none):
# the command modules pull in QR imaging, the registry, the web service... A command missing here is
# still found: asking for it registers them all.
COMMAND_MODULES = {"keys": "keys_cmd", "sign": "sign_cmd", "verify": "verify_cmd", "demo": "demo_cmd", "agreement": "agreement_cmd",
                   "issue": "issue_cmd", "status": "status_cmd", "registry": "status_cmd", "recognize": "recognize_cmd",
                   "trust": "trust_cmd", "institution": "institution_cmd", "qr": "qr_cmd", "wallet": "wallet_cmd",
                   "serve": "serve_cmd", "render": "render_cmd", "mou": "mou_cmd", "report": "report_cmd"}


class LazyGroup(click.Group):
    """A click group whose commands are imported when first asked for (click's documented lazy pattern)."""

    _all_registered = False

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        if not self._all_registered:
            self._all_registered = True
            _register()
        return self._commands

    @commands.setter
    def commands(self, value: MutableMapping[str, click.Command]) -> None:
        self._commands = value

    def get_command(self, ctx, cmd_name):
        if not self._all_registered and cmd_name in COMMAND_MODULES and cmd_name not in self._commands:
            _add_module(COMMAND_MODULES[cmd_name])
        if cmd_name in self._commands:
            return self._commands[cmd_name]
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="ecvet")
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ECVET_HOME",
    default=None,
    help="Data directory for the registry, keys, wallet and caches [env ECVET_HOME; default ~/.local/share/ecvet].",
)
@click.option(
    "--lang",
    metavar="LANG",
    default=None,
    help="Language of messages and reports: one of the 24 EU languages (de, fr, pl...) "
         "[default from LANGUAGE, LC_ALL, LANG; else English].",
)
@click.pass_context
def cli(ctx: click.Context, home: Path | None, lang: str | None) -> None:
    """Issue and verify signed ECVET learning-mobility credentials.

    \b
    The ECVET journey (see README.md; `ecvet demo` runs it on example institutions):
      ecvet agreement create la.yaml --key home.key -o la.json   # then each party: agreement sign
      ecvet issue transcript pt.yaml --agreement la.json --key host.key -o pt.json
      ecvet verify pt.json --agreement la.json --trust trust-registry.json
      ecvet recognize --transcript pt.json --agreement la.json --key home.key -o rec.json
    Any JSON-LD document: ecvet sign IN --key KEY; ecvet verify IN [--json].
    In another language: ecvet --lang de verify pt.json (or LANG=de_DE.UTF-8).
    Exit codes: 0 success / verified, 1 checked and not verified (or refused),
    2 bad usage or unreadable input.
    """
    from ecvet_credentials.i18n import set_language

    try:
        set_language(lang)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--lang") from None
    ctx.call_on_close(lambda: set_language(None))  # a run in the same process (a test, a notebook) keeps no language
    ctx.obj = AppState(home or default_home())


# One line each in `ecvet --help` (click would cut the docstrings mid-sentence).
SHORT_HELP = {
    "agreement": "Draft, sign and check Learning Agreements.",
    "demo": "Run the whole ECVET journey on the example institutions.",
    "issue": "Issue Personal Transcripts (one or a CSV cohort) and Recognitions.",
    "keys": "Generate keys; show them; write did:web documents.",
    "qr": "Put a signed credential into QR codes and read it back.",
    "recognize": "Verify a transcript against its agreement and issue the Recognition.",
    "render": "Write a credential as a printable HTML page with its QR code(s).",
    "registry": "List or export the issuer registry.",
    "sign": "Add a Data Integrity proof to any JSON-LD document.",
    "status": "Revoke, suspend, reinstate; publish signed status lists.",
    "trust": "Build, sign, subscribe to and check trust registries.",
    "institution": "Set up your institution once: profile, key, DID.",
    "verify": "Verify a credential or presentation (file, QR image or stdin).",
    "wallet": "The learner's e-portfolio: import, show, present, back up.",
    "serve": "Run the VC-API service and the verification web page.",
}


def _register() -> None:
    for name in ("keys_cmd", "sign_cmd", "verify_cmd", "demo_cmd"):
        _add_module(name)
    # Optional command groups: registered when their modules are present.
    for name in ("agreement_cmd", "issue_cmd", "status_cmd", "registry_cmd", "recognize_cmd", "trust_cmd", "institution_cmd", "qr_cmd",
                 "wallet_cmd", "serve_cmd", "render_cmd", "mou_cmd", "report_cmd"):
        _add_module(name)


def _add_module(name: str) -> None:
    """Add the commands of cli/NAME.py (its COMMANDS list, else the function named like the command)."""
    try:
        module = __import__(f"{__package__}.{name}", fromlist=["COMMANDS"])
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.endswith(name):
            return
        raise
    commands = getattr(module, "COMMANDS", None) or [getattr(module, name.removesuffix("_cmd"))]
    for command in commands:
        command.short_help = SHORT_HELP.get(command.name, command.short_help)
        cli._commands.setdefault(command.name, command)


def main() -> None:
    cli(prog_name="ecvet")


if __name__ == "__main__":  # pragma: no cover
    main()
