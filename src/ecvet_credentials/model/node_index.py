"""Every node of a credential by its id, walked once: the rules and the model reader share it."""
from __future__ import annotations

import functools
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, TypeVar

_T = TypeVar("_T")


def node_index(doc: dict, refs: list | None = None, ref_keys: frozenset[str] = frozenset()) -> dict[str, dict]:
    """Every node written in full (an id and more), by id; the first occurrence wins. A node used
    twice is written once and referenced by its id string elsewhere (see Writer.once).

    With `refs`, the value of every key of `ref_keys` met on the way is appended to it: the rules'
    references, checked against the index without a second walk of the document."""
    reused = _INDEX_OF.get()
    if refs is None and reused is not None and reused[0] is doc:
        return reused[1]
    index: dict[str, dict] = {}
    stack: list[Any] = [doc]
    pop, push = stack.pop, stack.append
    # iterative: depth is bounded by the input limits, but no recursion is needed; plain loops, not a
    # list comprehension per object (a function call each in this Python: a third of the walk)
    while stack:
        value = pop()
        if isinstance(value, dict):
            node_id = value.get("id")
            if isinstance(node_id, str) and len(value) > 1 and node_id not in index:
                index[node_id] = value
            if refs is not None and not ref_keys.isdisjoint(value):  # most nodes have none: no set made
                for key in ref_keys.intersection(value):
                    refs.append(value[key])
            # only containers go on the stack (most values are strings), in reverse for document order;
            # the keys are looked at only in the rare object that has one to leave out
            if "@context" in value or "proof" in value:
                for key, item in reversed(value.items()):
                    if isinstance(item, (dict, list)) and key not in _NOT_NODES:
                        push(item)
            else:
                for item in reversed(value.values()):
                    if isinstance(item, (dict, list)):
                        push(item)
        elif isinstance(value, list):
            for item in reversed(value):
                if isinstance(item, (dict, list)):
                    push(item)
    return index


_NOT_NODES = ("@context", "proof")  # what the index leaves out: contexts, and proofs (signed separately)


# Verification indexes a credential for its rules and then reads the model from the same, unchanged
# document: `reusing_index` lets the reader take that index instead of walking the document again.
_INDEX_OF: ContextVar[tuple[dict, dict] | None] = ContextVar("ecvet_node_index", default=None)

@contextmanager
def reusing_index(doc: dict, index: dict[str, dict]):
    """Within this block, node_index(doc) (the same object) returns `index`; `doc` must not change."""
    token = _INDEX_OF.set((doc, index))
    try:
        yield
    finally:
        _INDEX_OF.reset(token)


def read_once(method: Callable[[Any, dict, str], _T]) -> Callable[[Any, Any, str], _T]:
    """A model reader's method whose object depends only on the node (a reference or the node itself):
    a node used in several places (the grading scheme of every assessment, an assessor) is read once
    per reader (`reader.read_nodes`). Model objects are never changed, so sharing one is safe."""
    @functools.wraps(method)
    def read(reader: Any, value: Any, path: str) -> _T:
        node = reader.node(value, path)
        key = (method.__name__, id(node))  # the node lives in the reader's document as long as the reader
        if key not in reader.read_nodes:
            reader.read_nodes[key] = method(reader, node, path)
        return reader.read_nodes[key]
    return read
