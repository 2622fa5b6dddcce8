"""Edges of the strict (full pyld) path: embedded documents, blank node ids, errors pyld wraps, and the
arguments canonicalize checks. Each case is run through both paths where both apply."""
from __future__ import annotations

import copy

import pytest

from ecvet_credentials.core.errors import CanonicalizationError, EcvetError, StrictJsonLdError
from ecvet_credentials.jsonld import strict
from ecvet_credentials.jsonld._pyld import jsonld
from ecvet_credentials.jsonld.canon import canonicalize, expand, to_quads
from ecvet_credentials.jsonld.contexts import default_registry
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS

V2 = "https://www.w3.org/ns/credentials/v2"
CRED = {"@context": V2, "id": "urn:uuid:1", "type": "VerifiableCredential", "name": "n"}


def outcome(doc, *, fast):
    try:
        return canonicalize(copy.deepcopy(doc), fast=fast)
    except EcvetError as exc:
        return type(exc).__name__, exc.code, exc.details.get("path")


def test_an_embedded_reference_without_its_own_context_is_refused():
    vp = {"@context": V2, "type": "VerifiablePresentation", "verifiableCredential": [CRED, "urn:uuid:2"]}
    expected = ("StrictJsonLdError", "NOT_ROUND_TRIP", "$.verifiableCredential[1]")
    assert outcome(vp, fast=False) == expected == outcome(vp, fast=True)


def test_an_embedded_keyword_only_node_without_context_is_refused():
    vp = {"@context": V2, "type": "VerifiablePresentation", "verifiableCredential": [CRED, {"@id": "urn:uuid:2"}]}
    assert outcome(vp, fast=False) == ("StrictJsonLdError", "NOT_ROUND_TRIP", "$.verifiableCredential[1]")
    single = {"@context": V2, "type": "VerifiablePresentation",
              "verifiableCredential": {"@id": "urn:uuid:2", "x": {"@context": V2}}}
    assert outcome(single, fast=False)[:2] in {("StrictJsonLdError", "NOT_ROUND_TRIP"),
                                               ("StrictJsonLdError", "DATA_LOSS_DETECTION")}


def test_an_embedded_credential_is_checked_as_a_standalone_one():
    bad = dict(CRED, undefinedThing="x")
    vp = {"@context": V2, "type": "VerifiablePresentation", "verifiableCredential": [CRED, bad]}
    got = outcome(vp, fast=False)
    assert got[:2] == ("StrictJsonLdError", "DATA_LOSS_DETECTION") and got == outcome(vp, fast=True)
    good = {"@context": V2, "type": "VerifiablePresentation", "verifiableCredential": [CRED, dict(CRED, id="urn:uuid:3")]}
    assert outcome(good, fast=False) == outcome(good, fast=True)
    assert outcome(good, fast=False).count("<https://www.w3.org/2018/credentials#verifiableCredential>") == 2


def test_a_blank_node_id_is_accepted_as_a_blank_node():
    doc = dict(CRED, id="_:me")
    nquads = outcome(doc, fast=False)
    assert nquads == outcome(doc, fast=True)
    assert nquads.startswith("_:c14n0 ") and "_:me" not in nquads


def test_a_property_pyld_drops_is_reported_even_when_pyld_wraps_the_hook_error(monkeypatch):
    # pyld 3.3 lets the on_property_dropped exception through; a version that wraps it in a
    # JsonLdError must still give the data-loss message, not "invalid JSON-LD".
    original = jsonld.JsonLdProcessor.expand

    def wrapping_expand(self, input_, options):
        try:
            return original(self, input_, options)
        except Exception as cause:
            raise jsonld.JsonLdError("wrapped", "jsonld.SyntaxError") from cause

    monkeypatch.setattr(jsonld.JsonLdProcessor, "expand", wrapping_expand)
    with pytest.raises(StrictJsonLdError) as info:
        strict.pyld_expand(dict(CRED, undefinedThing="x"), default_registry(), strict=True)
    assert info.value.code == "DATA_LOSS_DETECTION" and info.value.details["key"] == "undefinedThing"


def test_a_plain_python_error_from_pyld_becomes_invalid_jsonld(monkeypatch):
    def broken(self, input_, options):
        raise KeyError("@id")

    monkeypatch.setattr(jsonld.JsonLdProcessor, "expand", broken)
    with pytest.raises(CanonicalizationError) as info:
        expand(copy.deepcopy(CRED))
    assert info.value.code == "INVALID_JSONLD"


def test_a_compaction_error_is_reported_as_invalid_jsonld(monkeypatch):
    def broken(self, input_, ctx, options):
        raise jsonld.JsonLdError("no", "jsonld.CompactError")

    monkeypatch.setattr(jsonld.JsonLdProcessor, "compact", broken)
    with pytest.raises(CanonicalizationError) as info:
        canonicalize(copy.deepcopy(CRED), fast=False)
    assert info.value.code == "INVALID_JSONLD"


def test_expand_without_strict_keeps_what_strict_refuses():
    doc = dict(CRED, undefinedThing="x", id="relative")
    with pytest.raises(StrictJsonLdError):
        expand(copy.deepcopy(doc))
    loose = expand(copy.deepcopy(doc), strict=False)
    assert loose[0]["@id"] == "relative"
    assert not any("undefinedThing" in key for key in loose[0])
    # a relative id is not an RDF subject: plain mode drops those quads instead of signing a guess
    assert not any("relative" in q[0] for q in to_quads(copy.deepcopy(doc), strict=False, fast=False))


@pytest.mark.parametrize("kwargs, words", [({"limits": "big"}, "limits must be a Limits instance"),
                                           ({"registry": {}}, "registry must be a ContextRegistry")])
def test_to_quads_refuses_wrong_argument_types(kwargs, words):
    with pytest.raises(TypeError, match=words):
        to_quads(copy.deepcopy(CRED), **kwargs)
    assert to_quads(copy.deepcopy(CRED), limits=DEFAULT_LIMITS)
