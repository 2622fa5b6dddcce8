"""`make coverage`: branch coverage of the fast suite, one row per package (not part of `make test`).

Runs `pytest -m "not slow" --cov --cov-branch` (pytest-cov; xdist workers are combined) and sums the
per-file figures of coverage's JSON report by package: a subpackage (`verify/`, `status/`, ...) is one
row (the layout has no loose modules but `demo.py`). The goal of issue 13 is 95 % branch coverage
for GOAL_PACKAGES; the table marks those below it.

    python scripts/coverage.py                       # run the fast suite, then print the table
    python scripts/coverage.py --report-only FILE    # print the table of an existing JSON report
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO / "build" / "coverage.json"
PKG = "ecvet_credentials"
GOAL_PACKAGES = ("verify", "proofs", "jsonld", "status", "serve", "trust")
GOAL = 95.0


def package_of(path: str) -> str | None:
    parts = Path(path).parts
    if PKG not in parts:
        return None
    rest = parts[parts.index(PKG) + 1:]
    if len(rest) > 1:
        return rest[0]
    return "(loose modules)"


def table(report: dict) -> list[str]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for path, data in report["files"].items():
        package = package_of(path)
        if package is None:
            continue
        s = data["summary"]
        row = sums[package]
        row[0] += s["num_statements"]
        row[1] += s["covered_lines"]
        row[2] += s["num_branches"]
        row[3] += s["covered_branches"]
    lines = ["| package | statements | lines % | branches | branches % | goal |", "|---|---:|---:|---:|---:|---|"]
    for package, (stmts, covered, branches, taken) in sorted(sums.items()):
        line_pct = 100.0 * covered / stmts if stmts else 100.0
        branch_pct = 100.0 * taken / branches if branches else 100.0
        goal = "" if package not in GOAL_PACKAGES else ("ok" if branch_pct >= GOAL else f"below {GOAL:g} %")
        lines.append(f"| {package} | {stmts} | {line_pct:.1f} | {branches} | {branch_pct:.1f} | {goal} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--report-only", metavar="FILE", type=Path, help="read this coverage JSON report, run nothing")
    parser.add_argument("-n", "--workers", default="2", help="pytest-xdist workers (default 2)")
    args = parser.parse_args()
    report_path = args.report_only or REPORT
    if args.report_only is None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-n", args.workers,
                              f"--cov={PKG}", "--cov-branch", f"--cov-report=json:{report_path}"], cwd=REPO)
        if run.returncode not in (0, 1):  # 1 = some test failed: still worth a table
            return run.returncode
    print("\n".join(table(json.loads(report_path.read_text()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
