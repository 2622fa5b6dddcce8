"""The package layout shows its layers: the import-linter contracts in pyproject.toml hold (checked by
`make lint` too), no module imports itself back through others (no import cycles, function-level
imports included), and no module is over 400 lines."""
from __future__ import annotations

from pathlib import Path

import grimp
import pytest

PKG = "ecvet_credentials"
SRC = Path(__file__).resolve().parents[1] / "src" / PKG
MAX_LINES = 400


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(PKG, cache_dir=None)


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if not child.startswith(PKG):
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                # a package's __init__ re-exporting its own modules is not a cycle of logic
                real = [m for m in component if not any(m != o and o.startswith(m + ".") for o in component)]
                if len(real) > 1:
                    out.append(sorted(component))
    return out


def test_no_import_cycles(graph):
    assert _cycles(graph) == []


def test_no_module_over_the_size_limit():
    big = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert big == {}


def test_the_layer_contracts_hold():
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(SRC.parents[1] / "pyproject.toml")) == 0
