"""The fast JCS gives exactly rfc8785's bytes, and rfc8785's refusal for what is not I-JSON."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ecvet_credentials.jsonld import jcs as jcs_module
from ecvet_credentials.jsonld.jcs import jcs

DATA = Path(__file__).resolve().parent / "data"

SAFE = 2**53 - 1
scalars = (st.none() | st.booleans() | st.integers(-SAFE, SAFE) | st.integers()
           | st.floats(allow_nan=False, allow_infinity=False) | st.text())
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
                           max_leaves=25)


def _outcome(fn, value):
    try:
        return fn(value)
    except rfc8785.CanonicalizationError as exc:
        return type(exc)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_same_bytes_or_same_refusal_as_rfc8785(value):
    assert _outcome(jcs, value) == _outcome(rfc8785.dumps, value)


@pytest.mark.parametrize("value", [
    {"b": 1, "a": [True, None, "x"]},
    {"\U0001F600": 1, "\uffff": 2, "\u00e9": 3},       # UTF-16 order differs from code points above the BMP
    {"esc": "\x00\x1f\"\\\u2028\u007f/"},
    {"points": 7.5, "tiny": 0.0001, "whole": 30.0, "neg": -0.0, "big": 1e21, "small": 1e-7},
    {"t": (1, 2)},                                     # a tuple is a JSON array for both
])
def test_edge_values(value):
    assert jcs(value) == rfc8785.dumps(value)


@pytest.mark.parametrize("value", [{1: "x"}, {"a": 2**60}, {"a": float("nan")}, {"a": "\ud800"}])
def test_not_i_json_is_refused_like_rfc8785(value):
    with pytest.raises(rfc8785.CanonicalizationError):
        rfc8785.dumps(value)
    with pytest.raises(rfc8785.CanonicalizationError):
        jcs(value)


def test_plain_documents_take_the_fast_path(monkeypatch):
    """The example credentials are plain I-JSON: rfc8785 is not needed for them (that is the speed-up)."""
    doc = json.loads((DATA / "credential-4k-signed.json").read_text(encoding="utf-8"))
    doc["points"] = [7.5, 12, "30"]
    expected = rfc8785.dumps(doc)

    def refuse(value):  # pragma: no cover - reached only if the fast path gave up
        raise AssertionError("fell back to rfc8785")

    monkeypatch.setattr(jcs_module.rfc8785, "dumps", refuse)
    assert jcs(doc) == expected
