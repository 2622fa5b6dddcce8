"""Input edges of jsonld/: the bounded JSON parse given text, N-Quads escapes that are not code points,
and relatedResource digests that are malformed or of no known length."""
from __future__ import annotations

import base64
import hashlib

import pytest

from ecvet_credentials.core import multibase
from ecvet_credentials.core.errors import CanonicalizationError, LimitExceededError, NotJsonError
from ecvet_credentials.jsonld.canon import canonicalize_nquads
from ecvet_credentials.jsonld.limits import Limits, check_limits, parse_json
from ecvet_credentials.jsonld.related import parse_digest, related_resource_issues

V2 = "https://www.w3.org/ns/credentials/v2"


def test_parse_json_counts_utf8_bytes_of_text():
    limits = Limits(max_bytes=10)
    assert parse_json('"ééé"', limits=limits) == "ééé"  # 8 bytes
    with pytest.raises(LimitExceededError) as info:
        parse_json('"ééééé"', limits=limits)  # 7 characters, 12 bytes of UTF-8
    assert info.value.details == {"limit": "max_bytes"}
    with pytest.raises(LimitExceededError):
        parse_json(" " * 11, limits=limits)


def test_parse_json_refuses_text_with_a_nul():
    with pytest.raises(NotJsonError, match="binary data"):
        parse_json('{"a": "\x00"}')
    assert parse_json('{"a": "\\u0000"}') == {"a": "\x00"}  # an escaped NUL is JSON


@pytest.mark.parametrize("call", [lambda: parse_json("{}", limits={"max_bytes": 1}),
                                  lambda: check_limits({}, limits=None)])
def test_limits_must_be_a_limits_instance(call):
    with pytest.raises(TypeError, match="limits must be a Limits instance"):
        call()


def test_duplicate_keys_name_the_repeated_key():
    with pytest.raises(NotJsonError, match="'b'"):
        parse_json('{"a": 1, "b": 2, "c": 3, "b": 4}')


@pytest.mark.parametrize("escape", ["\\U00110000", "\\uD800", "\\uDFFF"])
def test_nquads_escape_of_no_code_point_is_a_syntax_error(escape):
    with pytest.raises(CanonicalizationError) as info:
        canonicalize_nquads(f'<urn:s> <urn:p> "x{escape}" .\n')
    assert info.value.code == "NQUADS_SYNTAX" and "line 1" in str(info.value)
    assert canonicalize_nquads('<urn:s> <urn:p> "x\\U0010FFFF" .\n') == '<urn:s> <urn:p> "x\U0010ffff" .\n'


def test_related_resource_empty_array_is_refused():
    assert related_resource_issues([]) == [
        ("$.relatedResource", "must be an object or a non-empty array of objects", "INVALID_RELATED_RESOURCE")]


@pytest.mark.parametrize("entry", [
    {"digestSRI": "sha384-A"},                       # not base64 (padding)
    {"digestSRI": "sha256-" + base64.b64encode(b"short").decode()},  # the wrong length for sha256
    {"digestMultibase": "u" + base64.urlsafe_b64encode(b"x" * 20).decode().rstrip("=")},  # no digest is 20 bytes
    {"digestMultibase": "not multibase"},
    {"digestSRI": 384},
])
def test_malformed_digests(entry):
    assert parse_digest(entry) is None
    issues = related_resource_issues({"id": V2, **entry})
    assert [code for _, _, code in issues] == ["INVALID_RELATED_RESOURCE"]
    assert "malformed digest" in issues[0][1]


def test_well_formed_digests_of_each_size():
    for algo, size in (("sha256", 32), ("sha384", 48), ("sha512", 64)):
        raw = hashlib.new(algo, b"x").digest()
        assert len(raw) == size
        assert parse_digest({"digestMultibase": multibase.encode(raw)}) == [(algo, raw)]
        header = {"sha256": b"\x12\x20", "sha384": b"\x20\x30", "sha512": b"\x13\x40"}[algo]
        assert parse_digest({"digestMultibase": multibase.encode(header + raw)}) == [(algo, raw)]  # a multihash


def test_literal_escaping_skips_only_text_with_nothing_to_escape():
    # escape_literal's quick test (isprintable and no quote or backslash) against the escape table itself,
    # over every character of the first code blocks (controls, DEL, C1, NBSP, U+2028...), astral and lone surrogates
    import random

    from ecvet_credentials.jsonld.nquads import _ESCAPES, escape_literal

    rng = random.Random(20261130)
    chars = [chr(i) for i in range(0x3000)] + ["\U0001F600", "\ud800", '"', "\\"]
    for _ in range(5000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 5)))
        assert escape_literal(text) == text.translate(_ESCAPES), repr(text)
    assert escape_literal('a "b" \\ \x7f\n') == 'a \\"b\\" \\\\ \\u007F\\n'
