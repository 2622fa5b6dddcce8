"""Start fast: a command imports only what it uses (counted in a fresh interpreter, not timed)."""
from __future__ import annotations

import json
import subprocess
import sys

from instants import DEMO_NOW_ISO

# Libraries that cost tens of milliseconds to import, and what needs them.
HEAVY = {
    "qrcode": "QR codes", "PIL": "images", "zxingcpp": "reading QR images", "pyld": "JSON-LD",
    "jsonschema": "explaining schema errors", "requests": "pyld's HTTP loader (never used)", "urllib3": "HTTP",
    "cryptography": "keys", "sqlalchemy": "the issuer registry", "yaml": "authoring", "starlette": "the service",
    "uvicorn": "the service", "multiprocessing": "cohort rendering", "concurrent.futures.process": "cohort rendering",
    "lxml": "pyld's HTML", "asyncio": "pyld's loaders",
}
PROBE = """
import json, sys
sys.argv = ["ecvet", *json.loads(sys.argv[1])]
from ecvet_credentials.cli import main  # the installed entry point
try:
    main()
except SystemExit:
    pass
print("\\nMODULES=" + json.dumps(sorted(sys.modules)))
"""


def _heavy_imported(argv: list[str]) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True, timeout=120)
    modules = json.loads(out.stdout.rsplit("MODULES=", 1)[1])
    return {name: why for name, why in HEAVY.items() if name in modules}


def test_version_imports_no_heavy_library():
    assert _heavy_imported(["--version"]) == {}


def test_version_alone_is_answered_without_click_in_clicks_words():
    from click.testing import CliRunner

    from ecvet_credentials import __version__
    from ecvet_credentials.cli.main import cli

    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(["--version"])], capture_output=True, text=True, timeout=120)
    text, modules = out.stdout.rsplit("MODULES=", 1)
    assert "click" not in json.loads(modules)
    assert text.strip() == CliRunner().invoke(cli, ["--version"]).output.strip() == f"ecvet, version {__version__}"


def test_verify_help_imports_no_heavy_library():
    assert _heavy_imported(["verify", "--help"]) == {}


def test_verify_one_file_imports_only_what_verifying_needs(demo_dir):
    imported = _heavy_imported(["verify", str(demo_dir / "transcript.json"), "--agreement", str(demo_dir / "learning-agreement.json"),
                                "--now", DEMO_NOW_ISO])  # another process: the demo's instant is given, not shared
    # verifying needs keys and JSON-LD; not QR imaging, the registry, the service, YAML or pyld's HTTP stack
    assert set(imported) <= {"cryptography", "pyld", "lxml", "asyncio"}, imported
    assert {"cryptography", "pyld"} <= set(imported)  # the probe really verified


def test_lazy_commands_keep_their_one_line_help():
    from click.testing import CliRunner

    from ecvet_credentials.cli.main import SHORT_HELP, cli

    listing = CliRunner().invoke(cli, ["--help"], terminal_width=200).output
    for name, short in SHORT_HELP.items():
        assert f"{name}  " in listing and short[:40] in listing, name
