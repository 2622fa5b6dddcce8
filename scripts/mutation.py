"""`make mutation`: mutmut over the modules that decide verdicts, scored per module group.

mutmut 3 mutates a copy of the package (mutants/) and runs the selected tests against each mutant. We
run it in a scratch copy of the checkout (build/mutation/, git-ignored) so the work tree is never
touched, with PYTHONPATH pointing at the mutated copy (the editable install would otherwise win).

Score = killed / (killed + survived + timeout), counting only mutants that change logic: a mutant whose
only change is the content of a message string (or a message replaced by None) is listed apart, as
the issue asks ("message strings excluded"). Error codes (ALL_CAPS strings) count as logic.

    python scripts/mutation.py                 # every group
    python scripts/mutation.py status verify   # some groups
    python scripts/mutation.py --list-survivors status
    python scripts/mutation.py --only 'ecvet_credentials.status.bitstring*' status   # one module of a group

Each group runs in its own scratch copy (build/mutation/<group>/): mutmut does not re-mutate a file it
copied unmutated for an earlier group (same mtime), so a shared mutants/ left later groups unmutated.
"""
from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "build" / "mutation"
PKG = "ecvet_credentials"

# group -> (mutant name patterns, test files that judge them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "status": ([f"{PKG}.status.*"], ["tests/test_status_*.py"]),
    "recognition": ([f"{PKG}.ecvet.recognition*", f"{PKG}.verify.agreement_match*"],
                    ["tests/test_model_recognition.py", "tests/test_recognition_rules.py", "tests/test_recognize_cli.py",
                     "tests/test_cycle_rules.py",
                     "tests/test_verify_corpus.py"]),
    "proofs": ([f"{PKG}.proofs.*"], ["tests/test_proofs*.py", "tests/test_w3c_vectors.py"]),
    "verify": ([f"{PKG}.verify.*"], ["tests/test_verify_*.py", "tests/test_verdict.py", "tests/test_status_check.py"]),
    "trust": ([f"{PKG}.trust.*"], ["tests/test_trust*.py"]),
}
THRESHOLD = 0.90
CODE_LIKE = re.compile(r"^[rbuf]*['\"][A-Z0-9_]+['\"]$")


def _tokens(line: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    try:
        for t in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline):
            if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.COMMENT):
                out.append((t.type, t.string))
    except tokenize.TokenError as exc:
        # One line of a longer expression (`+ ("text" if x else`): every token was read before the
        # tokenizer missed the closing bracket; anything else is not compared token by token.
        if not str(exc.args[0]).startswith("EOF in multi-line statement"):
            return [(-1, line)]
    except (IndentationError, SyntaxError):
        return [(-1, line)]
    return out


def message_only(diff: str) -> bool:
    """True when the mutant changes nothing but message text: each removed/added line pair differs only
    in string tokens (or a message string became None)."""
    minus = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    plus = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    if not minus or len(minus) != len(plus):
        return False
    for old, new in zip(minus, plus):
        a, b = _tokens(old), _tokens(new)
        if len(a) != len(b):
            return False
        for (ta, sa), (tb, sb) in zip(a, b):
            if (ta, sa) == (tb, sb):
                continue
            is_message = ta == tokenize.STRING and not CODE_LIKE.match(sa)
            if not (is_message and (tb == tokenize.STRING or sb == "None")):
                return False
    return True


def _prepare(work: Path) -> None:
    if work.exists():
        shutil.rmtree(work)
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        src = REPO / name
        if src.is_file():
            dst = work / name
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


def _configure(work: Path, tests: list[str], patterns: list[str]) -> None:
    pyproject = work / "pyproject.toml"
    text = pyproject.read_text()
    text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", text)
    selection = sorted({str(p.relative_to(work)) for pattern in tests for p in work.glob(pattern)})
    text += (
        "\n[tool.mutmut]\n"
        f'source_paths = ["src/{PKG}/"]\n'
        f"only_mutate = {_source_globs(patterns)!r}\n"
        'also_copy = ["contexts", "schemas", "keys-example", "examples", "tests", "bench"]\n'
        f"pytest_add_cli_args_test_selection = {selection!r}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-m", "not slow"]\n'
    ).replace("'", '"')
    pyproject.write_text(text)


def _mutmut(work: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(work / "mutants" / "src"), "ECVET_SHARED_DIR":
           os.environ.get("ECVET_SHARED_DIR", str(REPO.parent / "shared"))}
    return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=work, env=env, capture_output=True, text=True)


def _matches(mutant: str, patterns: list[str]) -> bool:
    return any(re.fullmatch(p.replace(".", r"\.").replace("*", ".*"), mutant) for p in patterns)


def _scored(work: Path, patterns: list[str]) -> bool:
    results = _mutmut(work, "results", "--all", "true").stdout
    return any(_matches(m, patterns) and status not in ("not checked", "")
               for m, _, status in (line.strip().rpartition(": ") for line in results.splitlines()))


def run_group(name: str, *, children: int, list_survivors: bool, only: str | None = None) -> tuple[int, int, int, float]:
    patterns, tests = GROUPS[name]
    if only:  # narrow the group to the modules `only` names (it must lie inside the group)
        if not any(only.startswith(p.rstrip("*").rstrip(".")) for p in patterns):
            sys.stderr.write(f"--only {only} names no module of group {name}\n")
            return 0, 0, 0, 0.0
        patterns = [only]
    work = WORK / name
    _prepare(work)
    _configure(work, tests, patterns)
    run = _mutmut(work, "run", "--max-children", str(children), *patterns)
    if "could not find any test case" in run.stdout or (run.returncode == 0 and not _scored(work, patterns)):
        # Seen here: mutmut's first run on a fresh mutants/ generates the mutants, then its full stats
        # step matches no test to them ("could not find any test case", exit 1); the second run loads
        # the saved stats, collects them per test and works.
        run = _mutmut(work, "run", "--max-children", str(children), *patterns)
    if run.returncode != 0:  # e.g. the clean test run failed: no score, say why
        sys.stderr.write(f"mutmut run for {name} failed (exit {run.returncode}):\n{run.stderr[-2000:]}"
                         f"{run.stdout[-2000:]}\n")
        return 0, 0, 0, 0.0
    results = _mutmut(work, "results", "--all", "true").stdout
    killed = survived = messages = 0
    survivors = []
    for line in results.splitlines():
        mutant, _, status = line.strip().rpartition(": ")
        if not _matches(mutant, patterns):
            continue
        if status in ("killed", "timeout", "segfault"):
            killed += 1
        elif status in ("survived", "no tests"):
            diff = _mutmut(work, "show", mutant).stdout
            if message_only(diff):
                messages += 1
            else:
                survived += 1
                survivors.append(diff)
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
    parser.add_argument("--only", metavar="PATTERN",
                        help="mutate only the modules matching this mutant-name pattern (e.g. 'ecvet_credentials.status.fetch*')")
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
        rows.append(f"| {name} | {killed} | {survived} | {messages} | {score:.1%} | {'ok' if score >= THRESHOLD else 'BELOW 90 %'} |")
    print("| group | killed | survived (logic) | message-only (excluded) | score | goal 90 % |")
    print("|---|---:|---:|---:|---:|---|")
    print("\n".join(rows))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
