"""A tiny interleaved benchmark harness.

Every round runs each registered operation once, in shuffled order; one sample is a timeit loop of
about `target / rounds` seconds. Interleaving makes ratios between rows stable even when the machine
is busy; the table reports the median and best per-op time and each row's ratio to a baseline row
measured in the same run.
"""
from __future__ import annotations

import random
import statistics
import timeit
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Op:
    name: str
    fn: Callable[[], object]
    note: str = ""
    number: int = 1
    samples: list[float] = field(default_factory=list)


class Bench:
    def __init__(self, *, rounds: int = 15, target_seconds: float = 1.0, seed: int = 7, timer=None):
        self.timer = timer or timeit.default_timer  # time.process_time: CPU time, steadier on a busy machine
        self.rounds = rounds
        self.target = target_seconds
        self.ops: list[Op] = []
        self.rng = random.Random(seed)

    def add(self, name: str, fn: Callable[[], object], note: str = "") -> None:
        fn()  # warm up, and fail early if the op is broken
        self.ops.append(Op(name, fn, note))

    def run(self) -> None:
        per_sample = self.target / self.rounds
        for op in self.ops:  # calibrate loop counts so one sample takes ~per_sample seconds
            t = timeit.Timer(op.fn, timer=self.timer).timeit(number=1)
            op.number = max(1, int(per_sample / max(t, 1e-7)))
        for _ in range(self.rounds):
            order = list(self.ops)
            self.rng.shuffle(order)
            for op in order:
                op.samples.append(timeit.Timer(op.fn, timer=self.timer).timeit(number=op.number) / op.number)

    def table(self, baseline: str, *, title: str = "") -> str:
        base = statistics.median(self._op(baseline).samples)
        rows = [("operation", "median ms/op", "best ms/op", "ops/s", f"x {baseline}", "note")]
        for op in self.ops:
            med, best = statistics.median(op.samples), min(op.samples)
            rows.append((op.name, f"{med * 1e3:.3f}", f"{best * 1e3:.3f}", f"{1 / med:,.0f}", f"{med / base:.2f}", op.note))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = [f"## {title}"] if title else []
        for n, row in enumerate(rows):
            cells = [c.ljust(widths[i]) if i in (0, 5) else c.rjust(widths[i]) for i, c in enumerate(row)]
            lines.append("| " + " | ".join(cells) + " |")
            if n == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)

    def median(self, name: str) -> float:
        return statistics.median(self._op(name).samples)

    def _op(self, name: str) -> Op:
        return next(op for op in self.ops if op.name == name)
