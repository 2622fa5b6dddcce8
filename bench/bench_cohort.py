"""Cohort files: issuance rate of the Excel path next to CSV, and a 10,000-learner file read in flat memory.

Run: .venv/bin/python bench/bench_cohort.py [--quick]
Rows: reading a sheet with each candidate library; learners issued per second from .xlsx and from
.csv (same cohort, fresh SQLite registry each, one process, best of two alternated runs); a cohort
with QR PNGs as `ecvet issue transcript --cohort --qr` runs it against the previous way, in CPU per
learner (wall time on a shared machine says little; CPU / cores is the wall time when idle; goal:
1,000 in < 30 s); peak Python memory
(tracemalloc) of checking every rule on files of 1,000 and 10,000 learners whose rows are together
(a file sorted otherwise keeps an index of a few bytes per learner).
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
os.environ.setdefault("ECVET_PASSPHRASE", "ecvet-example-do-not-use")

from ecvet_credentials.ecvet.authoring.cohort import iter_cohort  # noqa: E402
from ecvet_credentials.ecvet.authoring.cohort_issue import issue_cohort  # noqa: E402
from ecvet_credentials.crypto.keys import load_key_file  # noqa: E402
from ecvet_credentials.registry import Registry  # noqa: E402

TEMPLATE = ROOT / "examples" / "cohort-template.yaml"
# issuance refuses to point credentials at no status list (the institution is not set up here)
STATUS_BASE = "https://bench.example/ecvet/status"
HEADER = ["learner_id", "given_name", "family_name", "date_of_birth", "unit_code", "assessment_date", "grade",
          "method", "passed"]


def rows(n: int):
    for i in range(n):
        for j, unit in enumerate(("ENO-U1", "ENO-U2", "ENO-U3")):
            yield [f"L{i:05d}", "Lernende", f"N{i}", "01.03.2008", unit, f"1{2 + j}.11.2026", "2 (gut)", "practical", "ja"]


def write_csv(path: Path, n: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows(n))
    return path


def write_xlsx(path: Path, n: int) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows(n):
        sheet.append(row)
    book.save(path)
    return path


def write_ods(path: Path, n: int) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="cohort")
    for row in [HEADER, *rows(n)]:
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def reader_table(tmp: Path, n: int) -> None:
    """Reading the same sheet with each candidate library (all cells, as values)."""
    from python_calamine import CalamineWorkbook

    def calamine(path):
        return sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())

    def openpyxl_read(path):
        from openpyxl import load_workbook

        return sum(1 for _ in load_workbook(path, read_only=True).active.iter_rows(values_only=True))

    def odfpy_read(path):
        from odf.opendocument import load
        from odf.table import Table, TableRow

        return sum(len(t.getElementsByType(TableRow)) for t in load(str(path)).spreadsheet.getElementsByType(Table))

    xlsx, ods = write_xlsx(tmp / "read.xlsx", n), write_ods(tmp / "read.ods", n)
    print(f"## Reading a sheet of {n:,} learners ({3 * n + 1:,} rows)\n")
    print("| file | library | ms | ratio to calamine |\n|---|---|---|---|")
    for path, candidates in ((xlsx, (("python-calamine (used)", calamine), ("openpyxl read-only", openpyxl_read))),
                             (ods, (("python-calamine (used)", calamine), ("odfpy", odfpy_read)))):
        base = None
        for name, read in candidates:
            start = time.perf_counter()
            count = read(path)
            ms = 1000 * (time.perf_counter() - start)
            base = base or ms
            assert count >= 3 * n, (name, count)
            print(f"| {path.suffix} | {name} | {ms:.0f} | {ms / base:.1f} |")
    print()


def _cpu() -> float:
    import resource

    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def _qr_alone(job) -> int:
    """The previous way, for comparison: qrcode alone (all eight masks drawn), after the whole cohort."""
    import json

    from bench_qr_libs import qrcode_png
    from ecvet_credentials.render.qr import encode_credential

    credential, out = job
    compact = json.dumps(json.loads(Path(credential).read_bytes()), separators=(",", ":")).encode()
    for i, text in enumerate(encode_credential(compact, max_version=25).texts):
        Path(f"{out}-{i}.png").write_bytes(qrcode_png(text))
    return 1


def with_qr_before(path: Path, key, tmp: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    name = f"before-{time.perf_counter_ns()}"
    with Registry.open(tmp / f"{name}.sqlite") as registry:
        run = issue_cohort(path, TEMPLATE, key=key, registry=registry, out_dir=tmp / f"out-{name}",
                           created="2026-11-20T15:00:00Z", status_base_url=STATUS_BASE)
    jobs = [(str(tmp / f"out-{name}" / f), str(tmp / f"out-{name}" / f)[:-5]) for f in run.files]
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        assert sum(pool.map(_qr_alone, jobs, chunksize=8)) == len(jobs)


def issuance_rate(path: Path, key, tmp: Path, *, qr: bool = False) -> float:
    from contextlib import nullcontext

    from ecvet_credentials.render.qr.files import QrPngWriter

    name = f"{path.stem}{path.suffix[1:]}-{time.perf_counter_ns()}"
    writer = QrPngWriter() if qr else None
    with Registry.open(tmp / f"{name}.sqlite") as registry:
        start = time.perf_counter()
        with writer or nullcontext():
            run = issue_cohort(path, TEMPLATE, key=key, registry=registry, out_dir=tmp / f"out-{name}",
                               created="2026-11-20T15:00:00Z", status_base_url=STATUS_BASE,
                               on_file=(lambda p: writer.submit(p, p.with_suffix(".png"))) if writer else None)
        elapsed = time.perf_counter() - start
    assert run.counts["issued"] > 0 and not run.problems, run.problems[:3]
    return run.counts["issued"] / elapsed


def peak_check_memory(path: Path) -> tuple[int, float]:
    tracemalloc.start()
    start = time.perf_counter()
    count = sum(1 for entry in iter_cohort(path, TEMPLATE) if not entry.errors)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, count / elapsed if count else 0.0


def main(quick: bool = False) -> None:
    n = 30 if quick else 200
    key = load_key_file(ROOT / "keys-example" / "host.key", passphrase=os.environ["ECVET_PASSPHRASE"].encode())
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        issuance_rate(write_csv(tmp / "warm.csv", 5), key, tmp)  # imports and caches out of the measurement
        peak_check_memory(write_csv(tmp / "warm2.csv", 5))
        csv_path, xlsx_path = write_csv(tmp / "c.csv", n), write_xlsx(tmp / "c.xlsx", n)
        csv_rate = xlsx_rate = 0.0
        for _ in range(2):  # alternated: both see the same machine
            csv_rate = max(csv_rate, issuance_rate(csv_path, key, tmp))
            xlsx_rate = max(xlsx_rate, issuance_rate(xlsx_path, key, tmp))
        print(f"## Cohort issuance ({n} learners x 3 units, one process)\n")
        print("| path | learners/s | ratio to CSV |\n|---|---|---|")
        print(f"| CSV | {csv_rate:.1f} | 1.00 |")
        print(f"| Excel (.xlsx) | {xlsx_rate:.1f} | {xlsx_rate / csv_rate:.2f} |\n")
        reader_table(tmp, 100 if quick else 1_000)
        qr_n = 40 if quick else 200
        qr_csv = write_csv(tmp / "qr.csv", qr_n)
        cores = os.cpu_count() or 1
        print(f"## A cohort with QR PNGs: {qr_n} learners, {cores} cores (CPU of every process counted)\n")
        print("| way | wall s | CPU ms per learner | 1,000 on an idle machine (CPU / cores) |\n|---|---|---|---|")
        base = None
        for name, work in (("before: sign all, then qrcode alone on every core", lambda: with_qr_before(qr_csv, key, tmp)),
                           ("now: codes drawn while signing, mask chosen once", lambda: issuance_rate(qr_csv, key, tmp,
                                                                                                    qr=True))):
            cpu, wall = _cpu(), time.perf_counter()
            work()
            cpu, wall = _cpu() - cpu, time.perf_counter() - wall
            per = 1000 * cpu / qr_n
            base = base or per
            print(f"| {name} | {wall:.1f} | {per:.0f} ({per / base:.2f}x) | {per * 1000 / 1000 / cores:.0f} s "
                  f"({'goal < 30 s met' if per / cores < 30 else 'goal < 30 s not met'}) |")
        print()
        small, big = (100, 1_000) if quick else (1_000, 10_000)
        peaks = {}
        print("## Checking a cohort file (every rule, nothing issued): peak Python memory\n")
        print("| learners | file bytes | peak MiB | learners/s | peak ratio to the smaller file |\n|---|---|---|---|---|")
        for size in (small, big):
            path = write_csv(tmp / f"big-{size}.csv", size)
            peaks[size], rate = peak_check_memory(path)
            print(f"| {size:,} | {path.stat().st_size:,} | {peaks[size] / 2**20:.1f} | {rate:.0f} | "
                  f"{peaks[size] / peaks[small]:.2f} |")
        ratio = peaks[big] / peaks[small]
        print(f"\nGoal: {big:,} learners accepted, streamed, memory flat: {'met' if ratio < 1.2 else 'NOT met'} "
              f"({ratio:.2f}x the peak of a file 10x smaller)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    main(parser.parse_args().quick)
