"""`ecvet demo`: the whole journey on the bundled example institutions."""
from __future__ import annotations

from pathlib import Path

import click

from ecvet_credentials.cli.common import handle_errors


@click.command("demo")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-output"), show_default=True,
              help="Directory for the demo's files; also its --home (registry, keys, caches).")
@handle_errors
def demo(out: Path) -> None:
    """Run the ECVET journey on the example institutions in keys-example/ and leave its files in OUT."""
    from ecvet_credentials.demo import run_demo

    ok = run_demo(out, echo=click.echo)
    raise SystemExit(0 if ok else 1)
