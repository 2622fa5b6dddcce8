"""JSON Schema (Draft 2020-12) validation of ECVET credentials, then the rules a schema cannot express.

`validate(doc)` picks the schema from `credentialSchema.id` (or the credential type), runs the strict
schema (prebuilt, cached validators) and, if the shape is right, `validate_rules(doc)`: dates ordered,
assessments inside the mobility period, the LA signed before the mobility starts, points consistent,
references resolvable. Problems come back as a list of SchemaIssue; nothing is raised for a bad
credential (SchemaError only for an unknown schema requested by name).
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from ecvet_credentials.core.errors import AuthoringError, SchemaError
from ecvet_credentials.model.concepts import SCHEMA_BASE
from ecvet_credentials.model.wire import TYPES
from ecvet_credentials.core.paths import data_dir
from ecvet_credentials.model.rules import SchemaIssue, _Rules, _REF_KEYS, _nodes_unique, _RULES

if TYPE_CHECKING:  # Python's jsonschema is imported only to explain an invalid document (it is slow to import)
    from jsonschema import Draft202012Validator
    from referencing import Registry

COMMON = "ecvet-common-v1"
MAX_MESSAGE = 300
# Explaining an invalid document is the slow part (Python jsonschema: ~10 ms for a transcript, seconds for
# a hostile 1 MB body with thousands of problems), so it is bounded: at most MAX_ISSUES problems, and a
# document larger than EXPLAIN_MAX_CHARS of compact JSON gets one issue saying so (no real credential
# comes near: the example transcript is 9 KB).
MAX_ISSUES = 20
EXPLAIN_MAX_CHARS = 64 * 1024


def _stem(credential_type_or_id: str) -> str:
    if credential_type_or_id in TYPES:
        return f"{TYPES[credential_type_or_id]}-v1"
    name = credential_type_or_id.removeprefix(SCHEMA_BASE).removesuffix(".json")
    if name in {f"{stem}-v1" for stem in TYPES.values()} | {COMMON}:
        return name
    raise SchemaError(f"no bundled schema for {credential_type_or_id!r}", code="UNKNOWN_SCHEMA")


@lru_cache(maxsize=None)
def _load(stem: str) -> dict:
    return json.loads((data_dir("schemas") / f"{stem}.json").read_text(encoding="utf-8"))


def load_schema(credential_type: str) -> dict:
    """The schema for a credential type ("EcvetPersonalTranscript") or schema id / file stem."""
    return _load(_stem(credential_type))


@lru_cache(maxsize=1)
def _registry() -> Registry:
    from referencing import Registry, Resource

    common = _load(COMMON)
    return Registry().with_resource(common["$id"], Resource.from_contents(common))


@lru_cache(maxsize=None)
def validator(credential_type: str) -> Draft202012Validator:
    """A prebuilt validator (with date/date-time format checks), cached per type."""
    from jsonschema import Draft202012Validator

    schema = load_schema(credential_type)
    return Draft202012Validator(schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@lru_cache(maxsize=None)
def _fast_validator(stem: str):
    """jsonschema-rs (Rust) for the common case: ~0.02 ms against ~20 ms for the Python validator on a
    transcript. Python's jsonschema still explains the problems when a document is invalid."""
    try:
        import jsonschema_rs
    except ImportError:  # optional speed-up
        return None
    schemas = {_load(name)["$id"]: _load(name) for name in [COMMON, *(f"{t}-v1" for t in TYPES.values())]}

    def retrieve(uri: str):
        if uri not in schemas:  # never fetched: only bundled schemas are referenced
            raise ValueError(f"schema {uri} is not bundled")
        return schemas[uri]

    return jsonschema_rs.validator_for(_load(stem), retriever=retrieve, validate_formats=True)


def _path(parts) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _short(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 3] + "..."


def schema_for(doc) -> str | None:
    """The ECVET schema stem of a document. An ECVET type always decides (a foreign or another
    credentialSchema never lets an ECVET credential skip the ECVET schema and rules: the schema
    then refuses the credentialSchema itself); otherwise the ECVET credentialSchema it declares."""
    if not isinstance(doc, dict):
        return None
    types = doc.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    found = [t for t in types if isinstance(t, str) and t in TYPES]
    if found:
        return _stem(found[0])
    declared = doc.get("credentialSchema")
    for item in declared if isinstance(declared, list) else [declared]:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            try:
                return _stem(item["id"])
            except SchemaError:
                continue
    return None


def _most_useful(error):
    """For "object or id reference" alternatives, report the problem inside the branch whose type
    matches rather than "... is not of type 'string'"."""
    from jsonschema.exceptions import best_match

    while error.validator in ("oneOf", "anyOf") and error.context:
        same_type = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
        error = best_match(same_type or error.context)
    return error


def validate(doc, *, rules: bool = True) -> list[SchemaIssue]:
    """Schema issues of `doc`, then (if the shape is valid and rules=True) its rule issues."""
    stem = schema_for(doc)
    if stem is None or stem == COMMON:
        return [SchemaIssue("$.credentialSchema", "not an ECVET credential: credentialSchema.id must be one of "
                            + ", ".join(f"{SCHEMA_BASE}{s}-v1.json" for s in TYPES.values()))]
    fast = _fast_validator(stem)
    if fast is not None and fast.is_valid(doc):
        return validate_rules(doc) if rules else []
    issues = _explain(doc, stem, fast_invalid=fast is not None)
    if not issues and fast is not None:  # only the stricter Rust format checks object (e.g. a date-time)
        issues = [SchemaIssue("$", "does not match its JSON Schema (a date or date-time is not in ISO 8601 form)")]
    if issues or not rules:
        return issues
    return validate_rules(doc)


def _explain(doc, stem: str, *, fast_invalid: bool) -> list[SchemaIssue]:
    """The schema problems of `doc`, one per place, sorted by path; bounded (MAX_ISSUES, EXPLAIN_MAX_CHARS)."""
    if fast_invalid:
        size = len(json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str))
        if size > EXPLAIN_MAX_CHARS:
            return [SchemaIssue("$", f"does not match its JSON Schema; at {size // 1024:,} KB of JSON it is too large to "
                                     f"explain problem by problem (up to {EXPLAIN_MAX_CHARS // 1024} KB); check the producer")]
    issues: dict[str, SchemaIssue] = {}
    more = False
    for error in validator(stem).iter_errors(doc):
        if len(issues) == MAX_ISSUES:
            more = True
            break
        error = _most_useful(error)
        path = _path(error.absolute_path)
        issues.setdefault(path, SchemaIssue(path, _short(error.message)))  # one issue per place
    listed = sorted(issues.values(), key=lambda i: i.path)
    if more:
        listed.append(SchemaIssue("$", f"more problems not listed (the first {MAX_ISSUES} are)"))
    return listed


# --- rules -----------------------------------------------------------------------------------------


def validate_rules(doc: dict) -> list[SchemaIssue]:
    """Cross-field rules of a schema-valid ECVET credential (call `validate` for both steps)."""
    return check_rules(doc)[0]


def check_rules(doc: dict) -> tuple[list[SchemaIssue], object]:
    """`validate_rules`, also returning the model the last rule builds (None when a rule failed), so
    that verification builds the model once."""
    stem = schema_for(doc)
    if stem not in _RULES:
        return [SchemaIssue("$.credentialSchema", "not an ECVET credential")], None
    r = _Rules(doc)
    try:
        valid_from = r.envelope()
        _RULES[stem](r, valid_from)
        _nodes_unique(r)
        if not r.refs_known():
            r.refs_resolve(doc, "$", _REF_KEYS)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        # Only reachable for a document that skipped the schema step.
        r.add("$", f"cannot apply the rules to a document of the wrong shape ({type(exc).__name__}: {exc})")
    model = None
    if not r.issues:
        # Last line: the model's own constructors (the same rules authoring applies).
        from ecvet_credentials.model import from_credential
        from ecvet_credentials.model.node_index import reusing_index

        try:
            with reusing_index(doc, r.index):  # the same document, indexed once
                model = from_credential(doc)
        except (SchemaError, AuthoringError) as exc:
            r.add("$." + str(exc.details.get("path", "")), str(exc))
    return r.issues, model
