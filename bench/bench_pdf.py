"""Printing a cohort (render/files.py, as `ecvet issue transcript --cohort ... --print --print-format pdf`
does): N transcripts (default 500) as PDF/A-3b with the credential attached, on every core, against the
HTML pages of the same cohort measured in the same run (the baseline: ratio = PDF time / HTML time).
Prints a table: total time, time per document, documents per second, size per document.

    .venv/bin/python bench/bench_pdf.py [--n 500] [--workers N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    from ecvet_credentials.demo import run_demo
    from ecvet_credentials.render.files import write_printed_files

    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        run_demo(demo, echo=lambda _: None)
        la = json.loads((demo / "learning-agreement.json").read_bytes())
        cohort = Path(tmp) / "cohort"
        cohort.mkdir()
        sources = []
        for i in range(args.n):  # one learner per document: names and ids differ, as in a real cohort
            doc = json.loads((demo / "transcript.json").read_bytes())
            doc["credentialSubject"]["givenName"] = f"Learner{i:04d}"
            doc["id"] = doc["id"][:-4] + f"{i:04d}"
            path = cohort / f"{i:04d}.json"
            path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            sources.append(path)
        rows = {}
        for fmt in ("html", "pdf"):
            pairs = [(s, s.with_suffix("." + fmt)) for s in sources]
            start = time.perf_counter()
            write_printed_files(pairs, fmt, workers=args.workers, agreement=la, lang="en")
            total = time.perf_counter() - start
            sizes = [out.stat().st_size for _, out in pairs]
            rows[fmt] = (total, statistics.mean(sizes), max(sizes))
    html_total = rows["html"][0]
    print(f"cohort of {args.n} transcripts, {args.workers} worker process(es), load average {os.getloadavg()[0]:.1f}")
    print("| format | total s | per document ms | documents/s | mean size KB | max size KB | time vs HTML |")
    print("|---|---|---|---|---|---|---|")
    for fmt, label in (("html", "HTML page (baseline)"), ("pdf", "PDF/A-3b + credential.json (WeasyPrint)")):
        total, mean, biggest = rows[fmt]
        print(f"| {label} | {total:.1f} | {total / args.n * 1000:.0f} | {args.n / total:.2f} | {mean / 1024:.1f} | "
              f"{biggest / 1024:.1f} | {total / html_total:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
