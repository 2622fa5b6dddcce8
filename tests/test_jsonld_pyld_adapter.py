"""The pyld behaviour jsonld/_pyld.py relies on, pinned against pyld's public API.

If a pyld upgrade changes its private node map / toRDF internals or the shape of its active contexts,
these fail here, by name, rather than as a byte difference in a signature somewhere else.
"""
from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest

from ecvet_credentials.jsonld import _pyld, fastpath
from ecvet_credentials.jsonld.canon import canonicalize, to_quads
from ecvet_credentials.jsonld.contexts import ContextRegistry, default_registry
from ecvet_credentials.jsonld.rdf_terms import XSD_DOUBLE, Fallback, canonical_double
from ecvet_credentials.jsonld.strict import expanded_to_quads, pyld_expand, pyld_options

DATA = Path(__file__).parent / "data"
TEST_REGISTRY = ContextRegistry(DATA / "contexts")
VC2 = "https://www.w3.org/ns/credentials/v2"
EX = "https://ex.test/"


def _public_to_rdf(expanded: list, registry: ContextRegistry) -> dict:
    opts = {**pyld_options(registry), **_pyld.to_rdf_options()}
    return _pyld.jsonld.JsonLdProcessor().to_rdf(copy.deepcopy(expanded), opts)


EXPANDED_DOCS = [
    # named graphs (an IRI, a blank node, a relative name), lists, nested blank nodes, @json, @direction
    [{"@id": EX + "s", "@type": [EX + "T"],
      EX + "list": [{"@list": [{"@value": 1}, {"@value": 2.5}, {"@id": EX + "o"}]}],
      EX + "nested": [{EX + "name": [{"@value": "x", "@language": "en"}]}],
      EX + "json": [{"@value": {"b": [1, 2], "a": None}, "@type": "@json"}],
      EX + "dir": [{"@value": "שלום", "@language": "he", "@direction": "rtl"}],
      EX + "graph": [{"@graph": [{"@id": EX + "g1", EX + "p": [{"@value": True}]}]}]},
     {"@id": EX + "named", "@graph": [{"@id": EX + "a", EX + "p": [{"@value": "in graph"}]}]},
     {"@id": "_:g", "@graph": [{"@id": EX + "b", EX + "p": [{"@value": 1e21}]}]},
     {"@id": "relative", "@graph": [{"@id": EX + "c", EX + "p": [{"@value": "dropped"}]}]}],
    # numbers: integral floats, big ones, tiny ones, typed doubles
    [{"@id": EX + "n", EX + "v": [{"@value": v} for v in (0, -0.0, 3.0, 1.5, 1e-7, 123456789.125, 1e20, 1e21, 2 ** 70)]
      + [{"@value": "4.20", "@type": XSD_DOUBLE}]}],
]


@pytest.mark.parametrize("expanded", EXPANDED_DOCS)
def test_graph_triples_gives_what_public_to_rdf_gives(expanded):
    dataset = _public_to_rdf(expanded, TEST_REGISTRY)
    ours = _pyld.graph_triples(copy.deepcopy(expanded), lambda name: name)
    names = [name for name, _ in ours]
    assert names == sorted(names)
    # to_rdf leaves out a relative graph name; graph_triples leaves that choice to graph_term
    assert {name: triples for name, triples in ours if name != "relative"} == dataset


def test_graph_term_none_skips_a_graph_before_its_triples_are_made():
    doc = EXPANDED_DOCS[0]
    kept = _pyld.graph_triples(copy.deepcopy(doc), lambda name: None if name == "relative" else name)
    assert "relative" not in [name for name, _ in kept]
    quads = expanded_to_quads(copy.deepcopy(doc))
    assert all(q[3] in ("", "<" + EX + "named>") or q[3].startswith("_:") for q in quads)
    assert not any("dropped" in q[2] for q in quads)
    assert any("in graph" in q[2] for q in quads)


@pytest.mark.parametrize("value", [1.5, -2.25, 1e-7, 0.1, 1 / 3, 123456789.125, 1e21, 2.0 ** 70, 1e300, 5e-324,
                                   -1.7976931348623157e308, 7, -0.0])
def test_canonical_double_is_pyld_to_rdf_lexical_form(value):
    expanded = [{"@id": EX + "d", EX + "v": [{"@value": str(value), "@type": XSD_DOUBLE}]},
                {"@id": EX + "e", EX + "v": [{"@value": value}]}]
    triples = {t["subject"]["value"]: t["object"] for t in _public_to_rdf(expanded, TEST_REGISTRY)["@default"]}
    assert triples[EX + "d"]["value"] == canonical_double(value)  # xsd:double coercion of a string
    if isinstance(value, float) and (not value.is_integer() or abs(value) >= 1e21):
        assert triples[EX + "e"] == {"type": "literal", "value": canonical_double(value), "datatype": XSD_DOUBLE}


def test_canonical_double_examples():
    assert canonical_double(1.5) == "1.5E0"
    assert canonical_double(1e-7) == "1.0E-7"
    assert canonical_double(1e21) == "1.0E21"
    assert canonical_double(-123.25) == "-1.2325E2"


def test_active_context_shape_the_fast_path_reads():
    opts = pyld_options(default_registry())
    initial = _pyld.initial_context(opts)
    assert initial["mappings"] == {}
    ctx = _pyld.process_context(initial, VC2, opts)
    assert ctx["mappings"]["id"]["@id"] == "@id" and ctx["mappings"]["type"]["@id"] == "@type"
    assert ctx["mappings"]["id"]["protected"] is True
    vp = ctx["mappings"]["VerifiablePresentation"]
    assert vp["@id"] == "https://www.w3.org/2018/credentials#VerifiablePresentation"
    assert isinstance(vp["@context"], dict)
    assert "previousContext" not in ctx
    # a type-scoped context does not propagate: pyld keeps the context to revert to
    scoped = _pyld.type_scoped_context(ctx, vp["@context"], opts)
    assert scoped["previousContext"] is ctx
    vc = scoped["mappings"]["verifiableCredential"]
    # a null scoped context is held as False in the processed definition
    assert vc["@container"] == ["@graph"] and vc["@context"] is False and vc["@type"] == "@id"
    assert vc.get("reverse") is False and vc.get("_prefix") is False


def test_a_null_term_is_a_definition_without_an_iri():
    # FastContext treats a definition whose @id is not a string as "not a term it handles"
    opts = pyld_options(default_registry())
    ctx = _pyld.process_context(_pyld.initial_context(opts), {"a": EX + "a", "b": None}, opts)
    assert ctx["mappings"]["b"]["@id"] is None and ctx["mappings"]["a"]["@id"] == EX + "a"


def test_type_scoped_context_that_says_propagate_true_propagates():
    opts = pyld_options(default_registry())
    ctx = _pyld.process_context(_pyld.initial_context(opts), VC2, opts)
    local = {"@propagate": True, "extra": EX + "extra"}
    scoped = _pyld.type_scoped_context(ctx, local, opts)
    assert "previousContext" not in scoped and scoped["mappings"]["extra"]["@id"] == EX + "extra"
    # in an array, the first context decides
    scoped = _pyld.type_scoped_context(ctx, [{"extra": EX + "extra"}], opts)
    assert scoped["previousContext"] is ctx and scoped["mappings"]["extra"]["@id"] == EX + "extra"
    assert _pyld.type_scoped_context(ctx, [{"@propagate": True}], opts).get("previousContext") is None


def test_property_scoped_contexts():
    opts = pyld_options(default_registry())
    ctx = _pyld.process_context(_pyld.initial_context(opts), VC2, opts)
    # a null one resets to the initial context, protected terms or not (a term definition holds it as False)
    assert _pyld.property_scoped_context(ctx, None, opts)["mappings"] == {}
    assert _pyld.property_scoped_context(ctx, False, opts)["mappings"] == {}
    child = _pyld.property_scoped_context(ctx, {"extra": EX + "extra"}, opts)
    assert child["mappings"]["extra"]["@id"] == EX + "extra" and "previousContext" not in child
    # redefining a protected term is refused by the public API (expansion would allow it): the fast
    # path then falls back instead of guessing
    with pytest.raises(_pyld.JsonLdError):
        _pyld.property_scoped_context(ctx, {"id": EX + "not-id"}, opts)


def test_protected_redefinition_in_a_property_scoped_context_falls_back_to_pyld(tmp_path):
    """A third-party context whose property-scoped context redefines a protected term: the fast path
    cannot process it with the public API, so the slow path decides, and both agree."""
    root = tmp_path / "contexts"
    root.mkdir()
    body = json.dumps({"@context": {"@version": 1.1, "@protected": True, "id": "@id",
                                    "name": EX + "name",
                                    "box": {"@id": EX + "box", "@context": {"name": EX + "boxName"}}}}).encode()
    (root / "box.jsonld").write_bytes(body)
    index = {"version": 1, "contexts": {EX + "box/v1": {"file": "box.jsonld",
                                                        "sha256": hashlib.sha256(body).hexdigest()}}}
    (root / "index.json").write_text(json.dumps(index))
    registry = ContextRegistry(root)
    doc = {"@context": [EX + "box/v1"], "id": EX + "thing", "box": {"name": "inner"}, "name": "outer"}
    top = fastpath.top_context(doc["@context"], registry)
    with pytest.raises(Fallback):
        top.child("property", "box", top.terms["box"].scoped)
    fast = to_quads(doc, registry=registry)
    assert sorted(fast) == sorted(to_quads(doc, registry=registry, fast=False))
    assert ("_:b0", "<" + EX + "boxName>", '"inner"', "") in fast  # the scoped definition won
    assert canonicalize(doc, registry=registry) == canonicalize(doc, registry=registry, fast=False)


def test_slow_path_quads_equal_public_to_rdf_for_a_credential():
    doc = json.loads((DATA / "credential-4k-signed.json").read_text())
    doc.pop("proof")
    expanded = pyld_expand(doc, TEST_REGISTRY, strict=True)
    dataset = _public_to_rdf(expanded, TEST_REGISTRY)
    assert len(expanded_to_quads(expanded)) == sum(len(t) for t in dataset.values()) > 50
