"""The README's journey, command by command: if a documented command breaks, this fails."""
from __future__ import annotations

import re
import shlex

from click.testing import CliRunner

from ecvet_credentials.cli.main import cli


def readme_journey_commands(readme: str) -> list[list[str]]:
    """The `ecvet ...` lines of the first shell block after '## The ECVET journey', variables expanded."""
    section = readme.split("## The ECVET journey", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    block = block.replace("\\\n", " ")
    variables, commands = {}, []
    for line in block.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        if re.match(r"^(\w+=\S+\s*)+$", line):
            for assignment in line.split():
                name, _, value = assignment.partition("=")
                variables[name] = value
            continue
        for name, value in variables.items():
            line = line.replace(f"${name}", value)
        args = shlex.split(line)
        assert args[0] == "ecvet", line
        commands.append(args[1:])
    return commands


def test_readme_journey_runs(repo_dir, tmp_path, monkeypatch):
    commands = readme_journey_commands((repo_dir / "README.md").read_text())
    assert len(commands) >= 12
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keys-example").symlink_to(repo_dir / "keys-example")
    (tmp_path / "examples").symlink_to(repo_dir / "examples")
    monkeypatch.setenv("ECVET_PASSPHRASE", "ecvet-example-do-not-use")
    monkeypatch.setenv("ECVET_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    for args in commands:
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
    assert (tmp_path / "recognition.json").is_file() and (tmp_path / "pt-1.png").is_file()  # self-contained: 2 codes
