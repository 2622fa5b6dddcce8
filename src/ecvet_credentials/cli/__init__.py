"""The `ecvet` command line: a thin layer over the library."""
from __future__ import annotations

import sys


def main() -> None:
    """The `ecvet` entry point. `ecvet --version` alone is answered without importing click (a third of
    the command's start-up), with the same words click's version option prints; everything else goes to
    the click application in `cli.main`."""
    if sys.argv[1:] == ["--version"]:
        from ecvet_credentials import __version__

        sys.stdout.write(f"ecvet, version {__version__}\n")
        return
    from ecvet_credentials.cli.main import main as run

    run()
