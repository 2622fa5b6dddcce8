"""The fast path's edges: each shape it does not handle raises Fallback, and the full pyld path then gives
the same bytes (or the same error) as if the fast path did not exist; the shapes it handles give pyld's bytes.

One small context (built here, served by a temporary registry) has a term of each kind the fast path
reads: containers, coercions, language and direction, scoped contexts, aliases, prefixes.
"""
from __future__ import annotations

import copy
import hashlib
import json

import pytest

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.jsonld import fastpath
from ecvet_credentials.jsonld.canon import canonicalize, to_quads
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.jsonld.rdf_terms import Fallback

NS = "https://ex.test/ns#"
CTX_URL = "https://ex.test/edges/v1"
VOCAB_URL = "https://ex.test/edges-vocab/v1"
XSD = "http://www.w3.org/2001/XMLSchema#"

EDGES = {
    "@version": 1.1,
    "id": "@id",
    "type": "@type",
    "ident": "@id",
    "kindOf": "@type",
    "ex": NS,
    "name": NS + "name",
    "label": NS + "label",
    "alsoLabel": NS + "label",  # two terms for one IRI: compaction picks one, the other does not round-trip
    "Thing": NS + "Thing",
    "Other": NS + "Other",
    "Twin": NS + "Label",
    "TwinToo": NS + "Label",
    "items": {"@id": NS + "items", "@container": "@list"},
    "tags": {"@id": NS + "tags", "@container": "@language"},
    "title": {"@id": NS + "title", "@language": "en"},
    "note": {"@id": NS + "note", "@direction": "rtl"},
    "count": {"@id": NS + "count", "@type": XSD + "integer"},
    "ratio": {"@id": NS + "ratio", "@type": XSD + "double"},
    "link": {"@id": NS + "link", "@type": "@id"},
    "kind": {"@id": NS + "kind", "@type": "@vocab"},
    "parent": {"@reverse": NS + "child"},
    "byIndex": {"@id": NS + "byIndex", "@container": "@index"},
    "multi": {"@id": NS + "multi", "@container": ["@set", "@index"]},
    "data": {"@id": NS + "data", "@type": "@json"},
    "braced": {"@id": "https://ex.test/a{b}"},
    "graph": {"@id": NS + "graph", "@container": "@graph"},
    "isolated": {"@id": NS + "isolated", "@container": "@graph", "@context": None},
    "plainNull": {"@id": NS + "plainNull", "@context": None},
    "Box": {"@id": NS + "Box", "@context": {"inner": NS + "inner"}},
    "scoped": {"@id": NS + "scoped", "@context": {"scoped": {"@id": NS + "scoped", "@type": "@id"}}},
    "scopedAway": {"@id": NS + "scopedAway", "@context": {"scopedAway": None}},
    "scopedTwin": {"@id": NS + "scopedTwin", "@context": {"scopedTwin": NS + "twin", "twinToo": NS + "twin"}},
    "badLang": {"@id": NS + "badLang", "@context": {"@language": "EN_us"}},
    # strings under property-scoped terms (the walker's general path: the scoped term decides)
    "scopedText": {"@id": NS + "scopedText", "@context": {"scopedText": {"@id": NS + "scopedText", "@language": "fr"}}},
    "scopedCount": {"@id": NS + "scopedCount",
                    "@context": {"scopedCount": {"@id": NS + "scopedCount", "@type": XSD + "integer"}}},
    "scopedBadLang": {"@id": NS + "scopedBadLang",
                      "@context": {"scopedBadLang": {"@id": NS + "scopedBadLang", "@language": "EN_us"}}},
}
VOCAB = {"@version": 1.1, "@vocab": NS, "id": "@id", "type": "@type", "alias": NS + "taken", "Alias": NS + "Taken",
         "byIndex": {"@id": NS + "byIndex", "@container": "@index"},
         "byId": {"@id": NS + "byId", "@container": "@id"},
         "byType": {"@id": NS + "byType", "@container": "@type"}}


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> ContextRegistry:
    root = tmp_path_factory.mktemp("contexts")
    contexts = {}
    for url, name, body in ((CTX_URL, "edges.jsonld", EDGES), (VOCAB_URL, "vocab.jsonld", VOCAB)):
        data = json.dumps({"@context": body}).encode()
        (root / name).write_bytes(data)
        contexts[url] = {"file": name, "sha256": hashlib.sha256(data).hexdigest()}
    (root / "index.json").write_text(json.dumps({"version": 1, "contexts": contexts}))
    return ContextRegistry(root)


def doc(**body):
    return {"@context": CTX_URL, "id": "urn:x:1", **body}


def outcome(document, registry, *, fast):
    try:
        return canonicalize(copy.deepcopy(document), registry=registry, fast=fast)
    except EcvetError as exc:
        return type(exc).__name__, exc.code


def assert_falls_back(document, registry, *, context_ok=True):
    """Fallback from the fast path, and the same outcome as the full path."""
    if context_ok:  # the fallback comes from the walker, not from a context pyld refused
        fastpath.top_context(document["@context"], registry)
    with pytest.raises(Fallback):
        fastpath.fast_quads(copy.deepcopy(document), registry)
    assert outcome(document, registry, fast=True) == outcome(document, registry, fast=False)


def assert_fast(document, registry):
    """The fast path takes it, with the full path's bytes."""
    quads = fastpath.fast_quads(copy.deepcopy(document), registry)
    nquads = canonicalize(copy.deepcopy(document), registry=registry)
    assert nquads == canonicalize(copy.deepcopy(document), registry=registry, fast=False)
    return quads, nquads


FALLBACKS = {
    "top-level @graph": {"@context": CTX_URL, "@graph": [{"id": "urn:x:1", "name": "a"}]},
    "term with an unsupported definition": doc(byIndex={"a": "x"}),
    "term with two containers": doc(multi={"a": "x"}),
    "term whose IRI needs escaping": doc(braced="x"),
    "reverse term": doc(parent={"id": "urn:x:2"}),
    "@json term": doc(data={"a": 1}),
    "an id that is a CURIE": doc(link="ex:thing"),
    "an id that is a blank node": doc(link="_:b1"),
    "an id under a prefix": doc(link=NS + "thing"),
    "an id that is not a string": doc(link=7),
    # @id values' characters and schemes are checked once the walk is over (check_iris)
    "an id without a scheme": doc(link="x/y"),
    "an id whose scheme starts with a digit": doc(link="1x:y"),
    "an id with a space": doc(link="urn:x:a b"),
    "a node id with a character N-Quads refuses": {"@context": CTX_URL, "id": "urn:x:{1}", "name": "n"},
    "a nested node id with a control character": doc(name="n", graph={"id": "urn:x:\x01", "name": "m"}),
    "a type that is not a string": doc(type=[7]),
    "a number among type strings": doc(type=["Thing", 7]),
    "a type listed twice (two aliases)": {"@context": CTX_URL, "type": "Thing", "kindOf": "Other"},
    "the @type keyword itself": {"@context": CTX_URL, "type": "Thing", "@type": "Other"},
    "two ids (two aliases)": {"@context": CTX_URL, "id": "urn:x:1", "ident": "urn:x:2"},
    "an empty type array": doc(type=[]),
    "an ambiguous type": doc(type="Twin"),
    "an ambiguous property": doc(alsoLabel="x"),
    "an undefined property without @vocab": doc(undefined="x"),
    "a CURIE property": {"@context": CTX_URL, "ex:name": "x"},
    "a language map with an upper-case tag": doc(tags={"EN": "x"}),
    "a language map with an empty array": doc(tags={"en": []}),
    "a language map with a number": doc(tags={"en": [1]}),
    "a language map that is a string": doc(tags="x"),
    "a nested array in @list": doc(items=[[1, 2]]),
    "a nested array in a set": doc(name=[["a"]]),
    "an empty array": doc(name=[]),
    "a number under a language term": doc(title=3),
    "a node under a datatype term": doc(count={"id": "urn:x:2"}),
    "an empty node under a @graph term": doc(graph={}),
    "@graph inside a @graph term": doc(graph={"@graph": [{"name": "x"}]}),
    "a string under a @graph term": doc(graph="x"),
    "null": doc(name=None),
    "@vocab value that is not a term": doc(kind="Nothing"),
    "@vocab value that is not a string": doc(kind=3),
    "embedded @context under a term that is not isolating": doc(graph={"@context": CTX_URL, "name": "x"}),
    "embedded @context with @graph": doc(isolated={"@context": CTX_URL, "@graph": [{"name": "x"}]}),
    "embedded @context with an unsupported term": doc(isolated={"@context": CTX_URL, "byIndex": {"a": "x"}}),
    "a scalar under a scoped term its context leaves undefined": doc(scopedAway="x"),
    "a scalar under a scoped term its context makes ambiguous": doc(scopedTwin="x"),
    "a context language tag the fast path does not normalise": doc(badLang={"name": "x"}),
    "a string under a scoped term whose language the fast path does not normalise": doc(scopedBadLang="x"),
    "an inline context the slow path rejects": {"@context": {"@version": 1.0}, "id": "urn:x:1"},
}


@pytest.mark.parametrize("name", list(FALLBACKS))
def test_shapes_outside_the_subset_fall_back_and_agree(name, registry):
    assert_falls_back(FALLBACKS[name], registry, context_ok=name != "an inline context the slow path rejects")


def test_a_list_is_written_as_rdf_first_rest(registry):
    quads, nquads = assert_fast(doc(items=["a", 2, {"name": "n"}]), registry)
    firsts = [q[2] for q in quads if q[1].endswith("#first>")]
    rests = [q[2] for q in quads if q[1].endswith("#rest>")]
    assert firsts[:2] == ['"a"', f'"2"^^<{XSD}integer>'] and len(firsts) == 3
    assert rests[-1] == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>" and len(rests) == 3
    # a single value under a @list term is a one-item list; an empty one is rdf:nil
    single, _ = assert_fast(doc(items="only"), registry)
    assert [q[2] for q in single if q[1].endswith("#first>")] == ['"only"']
    empty, _ = assert_fast(doc(items=[]), registry)
    assert ("<urn:x:1>", f"<{NS}items>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>", "") in empty


def test_language_maps_with_arrays_and_term_language_and_direction(registry):
    quads, _ = assert_fast(doc(tags={"en": ["a", "b"], "de": "c"}, title="t", note="n"), registry)
    objects = {q[2] for q in quads}
    assert {'"a"@en', '"b"@en', '"c"@de', '"t"@en', '"n"^^<https://www.w3.org/ns/i18n#_rtl>'} <= objects


def test_coercions_and_type_scoped_context(registry):
    quads, _ = assert_fast(doc(type="Box", inner="i", count="5", ratio=2, link="urn:x:9", kind="Thing",
                               scoped="urn:x:8", name="l"), registry)
    objects = {q[1]: q[2] for q in quads}
    assert objects[f"<{NS}count>"] == f'"5"^^<{XSD}integer>'
    assert objects[f"<{NS}ratio>"] == f'"2.0E0"^^<{XSD}double>'
    assert objects[f"<{NS}kind>"] == f"<{NS}Thing>"
    assert objects[f"<{NS}scoped>"] == "<urn:x:8>"  # the property-scoped context makes it an @id
    assert objects[f"<{NS}inner>"] == '"i"'


@pytest.mark.parametrize("term", ["byIndex", "byId", "byType"])
def test_index_id_and_type_maps_are_not_read_as_nodes_under_vocab(term, registry):
    # Under @vocab, {"a": "x"} would read as a node with a vocab property: other quads than the map's
    # (an index map signs "x" itself; id and type maps of strings are refused by the strict path).
    document = {"@context": VOCAB_URL, "id": "urn:x:1", term: {"a": "x"}}
    assert_falls_back(document, registry)
    slow = outcome(document, registry, fast=False)
    if term == "byIndex":
        assert slow == f'<urn:x:1> <{NS}byIndex> "x" .\n'
    else:
        assert isinstance(slow, tuple)  # an error, not quads


def test_strings_under_property_scoped_terms(registry):
    quads, _ = assert_fast(doc(scopedText="t", scopedCount="5"), registry)
    objects = {q[1]: q[2] for q in quads}
    assert objects[f"<{NS}scopedText>"] == '"t"@fr'
    assert objects[f"<{NS}scopedCount>"] == f'"5"^^<{XSD}integer>'


def test_ids_with_any_other_characters_are_taken(registry):
    quads, _ = assert_fast(doc(link="urn:x:é😀", graph={"id": "urn:x:2", "name": "m"}), registry)
    assert ("<urn:x:1>", f"<{NS}link>", "<urn:x:é😀>", "") in quads


def test_a_string_under_a_double_term(registry):
    # xsd:double coercion of a string: a number is written in canonical form, anything else as it is
    quads, _ = assert_fast(doc(ratio="0.50"), registry)
    assert ("<urn:x:1>", f"<{NS}ratio>", f'"5.0E-1"^^<{XSD}double>', "") in quads
    quads, _ = assert_fast(doc(ratio="half"), registry)
    assert ("<urn:x:1>", f"<{NS}ratio>", f'"half"^^<{XSD}double>', "") in quads


def test_null_property_scoped_context_without_an_embedded_context(registry):
    # a term with a null scoped context: the nested node starts from the initial context, where
    # nothing is defined, so only the full path can say what happens (it refuses the undefined term)
    document = doc(plainNull={"name": "x"})
    assert_falls_back(document, registry)
    assert outcome(document, registry, fast=False)[1] == "DATA_LOSS_DETECTION"


def test_vocab_terms_and_types(registry):
    quads, _ = assert_fast({"@context": VOCAB_URL, "id": "urn:x:1", "type": "Free", "free": "x", "alias": "k"},
                           registry)
    assert ("<urn:x:1>", f"<{NS}free>", '"x"', "") in quads
    assert ("<urn:x:1>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{NS}Free>", "") in quads
    # @vocab giving the IRI of a defined term: compaction would write the term, so it is not compact form
    assert_falls_back({"@context": VOCAB_URL, "id": "urn:x:1", "type": "Taken"}, registry)
    assert_falls_back({"@context": VOCAB_URL, "id": "urn:x:1", "taken": "x"}, registry)
    assert_falls_back({"@context": [VOCAB_URL, {"@vocab": "https://ex.test/a{b}#"}], "id": "urn:x:1", "free": "x"},
                      registry)
    assert_falls_back({"@context": [VOCAB_URL, {"@vocab": "https://ex.test/a{b}#"}], "id": "urn:x:1",
                       "type": "Free"}, registry)


def test_the_cache_of_inline_top_contexts_is_bounded(registry, monkeypatch):
    from ecvet_credentials.jsonld import fast_context

    cache: dict = {}
    monkeypatch.setattr(fast_context, "_top_contexts", {registry: cache})
    for i in range(260):
        fastpath.top_context([CTX_URL, {"n" + str(i): NS + "n"}], registry)
    assert 0 < len(cache) <= 257
    assert fastpath.top_context(CTX_URL, registry) is fastpath.top_context(CTX_URL, registry)


def test_to_quads_without_the_fast_path_gives_the_same_quads_as_with_it(registry):
    document = doc(name="n", count=3)
    fast = to_quads(copy.deepcopy(document), registry=registry)
    slow = to_quads(copy.deepcopy(document), registry=registry, fast=False)
    assert sorted(fast) == sorted(slow) and len(fast) == 2


@pytest.mark.parametrize("document", [
    doc(name="n"),  # the fast path, no blank node: no canonical form needed
    doc(graph={"name": "g"}),  # the fast path, a blank node
    doc(name="lone \ud800 surrogate"),  # the fast path: the canonical form cannot be encoded
    {"@context": VOCAB_URL, "id": "urn:x:1", "byIndex": {"a": "x"}},  # the full path
    {"@context": VOCAB_URL, "byIndex": {"a": "x"}},  # the full path, a blank node
    doc(tags={"EN": "x"}),  # refused by the full path
    doc(name="n", alsoLabel="x"),  # refused
], ids=["fast", "fast-blank-node", "fast-surrogate", "full", "full-blank-node", "full-refused", "refused"])
def test_check_strict_raises_what_canonicalize_raises(document, registry):
    from ecvet_credentials.jsonld.canon import check_strict

    def raised(run):
        try:
            run()
        except Exception as exc:  # noqa: BLE001 - the exception itself is compared
            return type(exc).__name__, str(exc)
        return None

    expected = raised(lambda: canonicalize(copy.deepcopy(document), registry=registry).encode("utf-8"))
    assert raised(lambda: check_strict(copy.deepcopy(document), registry=registry)) == expected


def test_the_language_tags_remembered_are_bounded(registry, monkeypatch):
    monkeypatch.setattr(fastpath, "_LANG_TAGS_SEEN", set())
    for i in range(300):
        fastpath.fast_quads(doc(tags={f"x-{i}": "t"}), registry)
    assert len(fastpath._LANG_TAGS_SEEN) == 256
    assert_falls_back(doc(tags={"X-1": "t"}), registry)  # never remembered: refused each time
    assert_falls_back(doc(tags={"X-1": "t"}), registry)
