"""The canonicalizer's fast path checks the input limits while it walks (issue 17: a document is walked
once, not once by check_limits and again by the walker). It must count exactly as check_limits does:
at every bound, the document one step over it is refused with the same error, the one at it accepted."""
from __future__ import annotations

import copy

import pytest

from ecvet_credentials.core.errors import LimitExceededError
from ecvet_credentials.jsonld import fastpath
from ecvet_credentials.jsonld.canon import canonicalize
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, Limits, check_limits, count_within

from test_canon_differential import BASE, REGISTRY, _documents


def _max_container_depth(value, depth=0):
    """The most containers around any container (check_limits refuses one at >= max_depth)."""
    if isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, list):
        children = value
    else:
        return -1
    return max([depth, *(_max_container_depth(c, depth + 1) for c in children)])


def _longest_array(value):
    if isinstance(value, dict):
        return max([0, *(_longest_array(v) for v in value.values())])
    if isinstance(value, list):
        return max([len(value), *(_longest_array(v) for v in value)])
    return 0


def _fast_documents(count):
    """Generated documents the fast path takes (inline language contexts included)."""
    out = []
    for doc in _documents(seed=20261130, count=count):
        try:
            fastpath.fast_quads(copy.deepcopy(doc), REGISTRY)
        except (fastpath.Fallback, LimitExceededError):
            continue
        out.append(doc)
    return out


def _refused(doc, limits):
    with pytest.raises(LimitExceededError) as info:
        fastpath.fast_quads(doc, REGISTRY, limits)
    with pytest.raises(LimitExceededError) as reference:
        check_limits(doc, limits=limits, source="the document")
    assert str(info.value) == str(reference.value)
    return info.value.details["limit"]


def test_fast_path_counts_values_depth_and_arrays_as_check_limits():
    docs = _fast_documents(80)
    assert len(docs) >= 15, len(docs)  # or the test proves nothing
    assert any(any(isinstance(c, dict) for c in d["@context"]) for d in docs)  # inline contexts counted too
    for doc in docs:
        _values_and_depth_are_counted_exactly(doc)
        longest = _longest_array(doc)
        fastpath.fast_quads(doc, REGISTRY, Limits(max_array_length=longest))
        assert _refused(doc, Limits(max_array_length=longest - 1)) == "max_array_length"


def _values_and_depth_are_counted_exactly(doc):
    """The fast path takes `doc` at exactly the value count and depth check_limits finds, and refuses it one below."""
    values = count_within(doc, limits=DEFAULT_LIMITS, source="the document")
    fastpath.fast_quads(doc, REGISTRY, Limits(max_json_values=values))
    assert _refused(doc, Limits(max_json_values=values - 1)) == "max_json_values"
    depth = _max_container_depth(doc)
    fastpath.fast_quads(doc, REGISTRY, Limits(max_depth=depth + 1))
    assert _refused(doc, Limits(max_depth=depth)) == "max_depth"


def test_a_deep_document_is_refused_without_recursion_error():
    doc = copy.deepcopy(BASE)
    deep: dict = {"type": "Person"}
    for _ in range(5000):
        deep = {"type": "Person", "hasPart": deep}
    doc["credentialSubject"]["hasPart"] = deep
    with pytest.raises(LimitExceededError) as info:
        canonicalize(doc, registry=REGISTRY)
    assert info.value.details["limit"] == "max_depth"


def test_non_json_values_are_still_programmer_errors():
    doc = copy.deepcopy(BASE)
    doc["credentialSubject"]["note"] = {"a", "set"}
    with pytest.raises(TypeError):
        canonicalize(doc, registry=REGISTRY)


def test_a_language_map_is_counted_as_check_limits_counts_it():
    # the deepest container and the last values counted are a language map's (the walker's own branch for them)
    doc = {"@context": BASE["@context"], "id": "urn:x:1", "type": ["VerifiableCredential"],
           "credentialSubject": {"id": "urn:x:2", "type": "Person", "hasClaim": {"id": "urn:x:3", "label": {"en": "t", "de": "u"}}}}
    _values_and_depth_are_counted_exactly(doc)
