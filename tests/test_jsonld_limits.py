"""parse_json / check_limits: strict JSON, bounds checked without recursion."""
from __future__ import annotations


import pytest

from ecvet_credentials.core.errors import LimitExceededError, NotJsonError
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, Limits, check_limits, parse_json


def test_parses_plain_json_from_bytes_and_str():
    assert parse_json(b'{"a": [1, 2.5, "x", true, null]}') == {"a": [1, 2.5, "x", True, None]}
    assert parse_json('{"a": "\u00e9"}') == {"a": "\u00e9"}
    assert parse_json(b"\xef\xbb\xbf[1]") == [1]


def test_too_many_bytes_is_refused_before_parsing_and_names_the_source():
    data = b"[" * 50_000_000
    with pytest.raises(LimitExceededError) as info:
        parse_json(data, source="credential.json")
    assert "credential.json" in str(info.value) and "2,000,000" in str(info.value)
    assert info.value.details["limit"] == "max_bytes"


def test_deep_nesting_is_refused_without_recursion_error():
    limits = Limits(max_bytes=10_000_000)
    data = "[" * 5_000_000 + "]" * 5_000_000
    with pytest.raises(LimitExceededError) as info:
        parse_json(data, limits=limits, source="deep.json")
    assert "deep.json" in str(info.value) and "64" in str(info.value)
    assert info.value.details["limit"] == "max_depth"


@pytest.mark.parametrize("recursion_limit", [1_000, 100_000])
def test_deep_nesting_is_refused_whatever_the_recursion_limit(monkeypatch, recursion_limit):
    # Up to a safe recursion limit json's own guard stops the parse; above it the text is scanned first,
    # so that a program that raised the limit never lets json's C parser nest 5 million levels.
    import sys

    from ecvet_credentials.jsonld import limits as limits_module

    scanned = []
    real_scan = limits_module._scan_depth
    monkeypatch.setattr(limits_module, "_scan_depth", lambda text: scanned.append(1) or real_scan(text))
    monkeypatch.setattr(sys, "getrecursionlimit", lambda: recursion_limit)
    data = "[" * 200_000 + "]" * 200_000
    with pytest.raises(LimitExceededError) as info:
        parse_json(data, limits=Limits(max_bytes=10_000_000), source="deep.json")
    assert info.value.details["limit"] == "max_depth"
    assert bool(scanned) == (recursion_limit > limits_module._SAFE_RECURSION_LIMIT)


def test_depth_limit_is_exact_and_ignores_brackets_inside_strings():
    limits = Limits(max_depth=3)
    assert parse_json("[[[1]]]", limits=limits) == [[[1]]]
    with pytest.raises(LimitExceededError):
        parse_json("[[[[1]]]]", limits=limits)
    assert parse_json('[["[[[[\\"{{{{"]]', limits=limits) == [['[[[[\"{{{{']]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (b'{"a": 1,}', "not valid JSON"),
        (b"", "not valid JSON"),
        (b'{"a": NaN}', "not valid JSON"),
        (b'{"a": Infinity}', "not valid JSON"),
        (b'{"a": 1, "a": 2}', "twice"),
        (b'{"x": {"b": 1, "b": 1}}', "twice"),
    ],
)
def test_bad_input_is_not_json_with_one_sentence(data, words):
    with pytest.raises(NotJsonError) as info:
        parse_json(data, source="in.json")
    message = str(info.value)
    assert words in message and "in.json" in message
    assert "\n" not in message and message.endswith(".")


def test_long_arrays_and_too_many_values_are_limited():
    with pytest.raises(LimitExceededError) as info:
        parse_json("[" + ",".join(["1"] * 11) + "]", limits=Limits(max_array_length=10))
    assert info.value.details["limit"] == "max_array_length"
    with pytest.raises(LimitExceededError) as info:
        check_limits({"a": list(range(5)), "b": "x"}, limits=Limits(max_json_values=6))
    assert info.value.details["limit"] == "max_json_values"


def test_check_limits_on_parsed_objects_is_iterative():
    deep = [1]
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(LimitExceededError):
        check_limits(deep)
    check_limits({"a": [[1]]}, limits=Limits(max_depth=3))
    with pytest.raises(LimitExceededError):
        check_limits({"a": [[1]]}, limits=Limits(max_depth=2))


def test_programmer_errors_are_type_and_value_errors():
    with pytest.raises(TypeError):
        parse_json(123)
    with pytest.raises(TypeError):
        check_limits({"a": object()})
    with pytest.raises(ValueError):
        Limits(max_depth=0)
    assert DEFAULT_LIMITS.max_bytes == 2_000_000
