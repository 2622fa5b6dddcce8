"""`make mutation`: mutmut over the modules that decide verdicts, scored per module group.

mutmut 3 mutates a copy of the package (mutants/) and runs the selected tests against each mutant. We
run it in a scratch copy of the checkout (build/mutation/, git-ignored) so the work tree is never
touched, with PYTHONPATH pointing at the mutated copy (the editable install would otherwise win).

Score = killed / (killed + survived + timeout), counting only mutants that change logic: a mutant whose
only change is the content of a message string (or a message replaced by None) is listed apart, as
the issue asks ("message strings excluded"). A message is a string with a space in it: error codes,
keys, ids and names (no space) count as logic.

    python scripts/mutation.py                 # every group
    python scripts/mutation.py status verify   # some groups
    python scripts/mutation.py --list-survivors status
    python scripts/mutation.py --only verify.pipeline verify   # one module of a group (prefix of its name)
"""
from __future__ import annotations

import argparse
import ast
import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASE = Path(os.environ.get("ECVET_MUTATION_DIR", REPO / "build" / "mutation"))  # another dir: two runs at once
# Each group runs in its own scratch copy (BASE/<group>): mutmut does not re-mutate a file it copied unmutated
# for an earlier group (same mtime), so one shared mutants/ left every later group without mutants.
WORK = BASE
PKG = "ecvet_credentials"

# group -> (mutant name patterns, test files that judge them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "status": ([f"{PKG}.status.*"], ["tests/test_status_*.py"]),
    "recognition": ([f"{PKG}.ecvet.recognition*", f"{PKG}.verify.agreement_match*"],
                    ["tests/test_model_recognition.py", "tests/test_recognition_rules.py", "tests/test_recognize_cli.py",
                     "tests/test_cycle_rules.py", "tests/test_verify_agreement_units.py",
                     "tests/test_verify_corpus.py"]),
    "proofs": ([f"{PKG}.proofs.*"], ["tests/test_proofs*.py", "tests/test_w3c_vectors.py"]),
    "verify": ([f"{PKG}.verify.*"], ["tests/test_verify_*.py", "tests/test_verdict.py", "tests/test_status_check.py",
                                     "tests/test_cycle_rules.py"]),
    "trust": ([f"{PKG}.trust.*"], ["tests/test_trust*.py"]),
}
THRESHOLD = 0.90


def _is_message(node: ast.AST) -> bool:
    """A text for people: a string (or f-string) with a space in it. Keys, codes, ids and suite names
    ("created", "PROOF_MALFORMED", f"urn:uuid:{u}", "Ed25519") have none and count as logic."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isspace() for c in node.value)
    return isinstance(node, ast.JoinedStr) and any(
        isinstance(v, ast.Constant) and any(c.isspace() for c in str(v.value)) for v in node.values)


def _same_but_messages(a: object, b: object) -> bool:
    if isinstance(a, ast.AST) and _is_message(a):  # changed text, or the message replaced by None
        return isinstance(b, ast.JoinedStr) or (isinstance(b, ast.Constant) and (b.value is None or isinstance(b.value, str)))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_but_messages(x, y) for x, y in zip(a, b))
    if isinstance(a, ast.AST) and type(a) is type(b):
        return all(_same_but_messages(value, getattr(b, name, None)) for name, value in ast.iter_fields(a)
                   if name not in ("lineno", "col_offset", "end_lineno", "end_col_offset", "type_comment"))
    return a == b


@functools.lru_cache(maxsize=8)
def _functions(path: Path) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions of a mutated module by name (parsed once: it holds every mutant's copy)."""
    return {node.name: node for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def message_only(mutant: str) -> bool:
    """True when the mutant changes nothing but message text: its function's syntax tree equals the
    original's except in strings meant for people (implicitly concatenated lines and f-strings read as
    one message, as Python reads them). Compared on the mutated copy mutmut wrote in mutants/src."""
    module, _, function = mutant.rpartition(".")
    base = WORK / "mutants" / "src" / module.replace(".", "/")
    path = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
    if not path.is_file():
        return False
    original = function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"
    found = _functions(path)
    if function not in found or original not in found:
        return False
    old, new = found[original], found[function]
    return _same_but_messages([old.args, old.body, old.decorator_list, old.returns],
                              [new.args, new.body, new.decorator_list, new.returns])


def _prepare() -> None:
    if WORK.exists():
        shutil.rmtree(WORK)
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        src = REPO / name
        if src.is_file():
            dst = WORK / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def _source_globs(patterns: list[str]) -> list[str]:
    """Mutant-name patterns -> file globs for mutmut's only_mutate: generating mutants for the whole
    package first took longer than the group's own run on a loaded machine."""
    globs = []
    for pattern in patterns:
        path = "src/" + pattern.removesuffix(".*").removesuffix("*").replace(".", "/")
        globs += [path + "/*", path + ".py"] if pattern.endswith(".*") else [path + "*"]
    return globs


def _configure(tests: list[str], patterns: list[str]) -> None:
    pyproject = WORK / "pyproject.toml"
    text = pyproject.read_text()
    text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", text)
    selection = sorted({str(p.relative_to(WORK)) for pattern in tests for p in WORK.glob(pattern)})
    text += (
        "\n[tool.mutmut]\n"
        f'source_paths = ["src/{PKG}/"]\n'
        f"only_mutate = {_source_globs(patterns)!r}\n"
        'also_copy = ["contexts", "schemas", "keys-example", "examples", "tests", "bench"]\n'
        f"pytest_add_cli_args_test_selection = {selection!r}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-m", "not slow"]\n'
    ).replace("'", '"')
    pyproject.write_text(text)


def _mutmut(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(WORK / "mutants" / "src"), "ECVET_SHARED_DIR":
           os.environ.get("ECVET_SHARED_DIR", str(REPO.parent / "shared"))}
    return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=WORK, env=env, capture_output=True, text=True)


def _matches(mutant: str, patterns: list[str]) -> bool:
    return any(re.fullmatch(p.replace(".", r"\.").replace("*", ".*"), mutant) for p in patterns)


def _scored(patterns: list[str]) -> bool:
    results = _mutmut("results", "--all", "true").stdout
    return any(_matches(m, patterns) and status not in ("not checked", "")
               for m, _, status in (line.strip().rpartition(": ") for line in results.splitlines()))


def run_group(name: str, *, children: int, list_survivors: bool, only: str | None = None) -> tuple[int, int, int, float]:
    global WORK
    patterns, tests = GROUPS[name]
    WORK = BASE / name
    _prepare()
    if only:  # narrow the group to the modules whose dotted name starts with `only` (e.g. verify.pipeline)
        patterns = [f"{PKG}.{part.removeprefix(PKG + '.')}*" for part in only.split(",")]
    _configure(tests, patterns)
    run = _mutmut("run", "--max-children", str(children), *patterns)
    if not _scored(patterns):
        # Seen here: mutmut's first run generates the mutants but can stop before its stats step has
        # matched tests to them ("could not find any test case"); a second run over the same mutants works.
        run = _mutmut("run", "--max-children", str(children), *patterns)
    if run.returncode != 0:  # e.g. the clean test run failed: no score, say why
        output = "\n".join(line for line in (run.stdout + run.stderr).replace("\r", "\n").splitlines()
                           if line.strip() and not line.lstrip().startswith(tuple("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")))  # no spinner
        sys.stderr.write(f"mutmut run for {name} failed (exit {run.returncode}):\n{output[-2000:]}\n")
        return 0, 0, 0, 0.0
    results = _mutmut("results", "--all", "true").stdout
    killed = survived = messages = 0
    survivors = []
    for line in results.splitlines():
        mutant, _, status = line.strip().rpartition(": ")
        if not _matches(mutant, patterns):
            continue
        if status in ("killed", "timeout", "segfault"):
            killed += 1
        elif status in ("survived", "no tests"):
            if message_only(mutant):
                messages += 1
            else:
                survived += 1
                survivors.append(_mutmut("show", mutant).stdout)
    total = killed + survived
    score = killed / total if total else 0.0  # nothing scored is no evidence: never "ok"
    if list_survivors:
        for diff in survivors:
            print(diff)
    return killed, survived, messages, score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="*", help=f"module groups: {', '.join(GROUPS)} (default: all)")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--list-survivors", action="store_true")
    parser.add_argument("--only", metavar="PATTERN", help="mutate only the modules whose name starts with "
                        "PATTERN (e.g. proofs.engine, verify.checks_; several: comma-separated); the group still "
                        "chooses the tests")
    args = parser.parse_args()
    groups = args.groups or list(GROUPS)
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    rows, ok = [], True
    for name in groups:
        killed, survived, messages, score = run_group(name, children=args.children, list_survivors=args.list_survivors,
                                                      only=args.only)
        ok &= score >= THRESHOLD
        rows.append(f"| {name}{f' ({args.only})' if args.only else ''} | {killed} | {survived} | {messages} | {score:.1%} | {'ok' if score >= THRESHOLD else 'BELOW 90 %'} |")
    print("| group | killed | survived (logic) | message-only (excluded) | score | goal 90 % |")
    print("|---|---:|---:|---:|---:|---|")
    print("\n".join(rows))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
