"""Every command has help that teaches, and every top-level command is documented in the README."""
from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from ecvet_credentials.cli.main import cli


def _walk(group: click.Group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _walk(command, prefix + (name,))


ALL = list(_walk(cli))


@pytest.mark.parametrize("path", [p for p, _ in ALL], ids=[" ".join(p) for p, _ in ALL])
def test_command_help(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output
    command = dict(ALL)[path]
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_documented_in_readme(repo_dir, name):
    assert f"ecvet {name}" in (repo_dir / "README.md").read_text(), f"`ecvet {name}` is not in README.md"
