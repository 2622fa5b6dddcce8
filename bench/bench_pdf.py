"""Printing a cohort to PDF/A-3 (render/pdf.py): time and size per document for N transcripts (default
500), with the HTML page alone measured in the same run as the baseline (ratio = PDF time / HTML time).

    .venv/bin/python bench/bench_pdf.py [--n 500] [--out DIR]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--out", type=Path, default=None, help="keep the PDFs here (default: a temporary folder)")
    args = parser.parse_args()
    from ecvet_credentials.demo import run_demo
    from ecvet_credentials.render.page import render_printable
    from ecvet_credentials.render.pdf import html_to_pdf

    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        run_demo(demo, echo=lambda _: None)
        raw = (demo / "transcript.json").read_bytes()
        la = json.loads((demo / "learning-agreement.json").read_bytes())
        out = args.out or Path(tmp) / "pdf"
        out.mkdir(parents=True, exist_ok=True)
        cohort = []
        for i in range(args.n):  # one learner per document: names and ids differ, as in a real cohort
            doc = json.loads(raw)
            doc["credentialSubject"]["givenName"] = f"Learner{i:04d}"
            doc["id"] = doc["id"][:-4] + f"{i:04d}"
            cohort.append((doc, json.dumps(doc, indent=2, ensure_ascii=False).encode()))
        html_times, pdf_times, sizes = [], [], []
        start = time.perf_counter()
        for i, (doc, data) in enumerate(cohort):
            t0 = time.perf_counter()
            page = render_printable(doc, raw=data, agreement=la)
            t1 = time.perf_counter()
            pdf = html_to_pdf(page, data)
            t2 = time.perf_counter()
            (out / f"{i:04d}.pdf").write_bytes(pdf)
            html_times.append(t1 - t0)
            pdf_times.append(t2 - t1)
            sizes.append(len(pdf))
        total = time.perf_counter() - start
    html_mean, pdf_mean = statistics.mean(html_times), statistics.mean(pdf_times)
    print(f"| cohort of {args.n} transcripts | total s | per document ms (median) | docs/s | size per PDF KB (mean) | ratio vs HTML |")
    print("|---|---|---|---|---|---|")
    print(f"| HTML page (baseline) | {sum(html_times):.1f} | {statistics.median(html_times) * 1000:.0f} | {1 / html_mean:.1f} | - | 1.0 |")
    print(f"| PDF/A-3b + credential.json (WeasyPrint) | {sum(pdf_times):.1f} | {statistics.median(pdf_times) * 1000:.0f} | "
          f"{1 / pdf_mean:.2f} | {statistics.mean(sizes) / 1024:.1f} | {pdf_mean / html_mean:.1f} |")
    print(f"| whole run (HTML + PDF + write) | {total:.1f} | {total / args.n * 1000:.0f} | {args.n / total:.2f} | - | - |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
