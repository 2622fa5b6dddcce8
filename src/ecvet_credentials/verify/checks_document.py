"""Checks on the document itself: input shape, pinned contexts, schema, validity period."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.jsonld.contexts import default_registry
from ecvet_credentials.i18n import _
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS
from ecvet_credentials.verify.context import VerifyContext
from ecvet_credentials.verify.formats import UNSUPPORTED_FORMAT, unknown_context_message, unsupported_format_message

if TYPE_CHECKING:
    from ecvet_credentials.model.rules import SchemaIssue
from ecvet_credentials.verify.report import VerificationReport
from ecvet_credentials.core.timeutil import iso, parse_datetime, utc_now

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"


def check_input(ctx: VerifyContext, report: VerificationReport) -> None:
    doc = ctx.document
    problem, ctx.shared["json_chars"] = _not_json_text(doc)
    if problem:
        report.failed("input", "NOT_JSON", problem)
        return
    unsupported = unsupported_format_message(doc)
    if unsupported:
        report.not_checked("input", UNSUPPORTED_FORMAT, unsupported)
        return
    types = doc.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        report.failed("input", "MALFORMED_CREDENTIAL", _("The document has no valid 'type'; it is not a Verifiable Credential or Presentation."))
        return
    if "VerifiableCredential" not in types and "VerifiablePresentation" not in types:
        report.failed("input", "NOT_A_CREDENTIAL", _("The document's type lists neither VerifiableCredential nor VerifiablePresentation."))
        return
    proofs = doc.get("proof")
    count = len(proofs) if isinstance(proofs, list) else int(proofs is not None)
    max_proofs = (ctx.options.limits or DEFAULT_LIMITS).max_proofs
    if count > max_proofs:  # before the schema and the proofs: their work grows with every proof
        report.failed("input", "TOO_MANY_PROOFS", _("The document carries {count:,} proofs, more than the {max_proofs} this verifier checks; nothing was "
                        "checked. Ask the issuer for the document with its usual signatures.").format(count=count, max_proofs=max_proofs))
        return
    report.passed("input", _("The document is a JSON object within the size and depth limits."))


def _not_json_text(doc: dict[str, Any]) -> tuple[str | None, int]:
    """Library callers pass parsed objects: refuse what is not JSON text (lone surrogates, NaN, other
    Python types) here, since every later step (schema, canonicalization, printing) would choke on it.
    Returns the problem (or None) and the document's size in characters of JSON text."""
    import json

    try:
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("The document contains an unpaired UTF-16 surrogate, which is not Unicode text; fix the producer of this credential."), 0
    except (TypeError, ValueError, RecursionError) as exc:
        return _("The document is not plain JSON ({error}); parse it with a strict JSON parser.").format(
            error=f"{type(exc).__name__}: {str(exc)[:80]}"), 0
    return None, len(text)


def check_contexts(ctx: VerifyContext, report: VerificationReport) -> None:
    registry = ctx.options.registry or default_registry()
    contexts = ctx.document.get("@context")
    contexts = [contexts] if isinstance(contexts, (str, dict)) else contexts
    if not isinstance(contexts, list) or not contexts:
        report.failed("contexts", "NO_CONTEXT", _("The document has no @context; it cannot be read as JSON-LD."))
        return
    if contexts[0] not in (VC_V2, VC_V1):
        report.failed("contexts", "NO_VC_CONTEXT", _("The first @context must be {url}; found {found!r}.").format(url=VC_V2, found=contexts[0]))
        return
    inline = 0
    for entry in contexts:
        if isinstance(entry, dict) and ctx.options.inline_contexts and not _is_ecvet(ctx.document):
            inline += 1  # generic profile: processed strictly when the proof is checked
            continue
        if not isinstance(entry, str):
            report.failed("contexts", "INLINE_CONTEXT", _("The document embeds an inline @context; only bundled, pinned contexts are accepted."))
            return
        if entry not in registry:
            report.failed("contexts", "UNKNOWN_CONTEXT", unknown_context_message(entry), url=entry)
            return
        try:
            registry.get(entry)
        except EcvetError as exc:
            report.failed("contexts", exc.code, str(exc), url=entry)
            return
    if "relatedResource" in ctx.document:
        from ecvet_credentials.jsonld.related import related_resource_issues

        issues = related_resource_issues(ctx.document["relatedResource"], registry)
        if issues:  # VC 2.0 5.3: a digest that does not match the resource is an error
            path, message, code = issues[0]
            report.failed("contexts", code, f"{path}: {message}.", path=path)
            return
    if inline:
        report.passed("contexts", _("Every @context URL is bundled and matches its pinned SHA-256; {inline} inline context object(s) are processed strictly.").format(inline=inline), contexts=contexts)
        return
    report.passed("contexts", _("Every @context is bundled and matches its pinned SHA-256."), contexts=contexts)


def _is_ecvet(doc: dict[str, Any]) -> bool:
    from ecvet_credentials.model.vc_structure import is_ecvet

    return is_ecvet(doc)


def _issues_json(issues: list[SchemaIssue]) -> list[dict[str, Any]]:
    return [{"path": i.path, "message": i.message, "code": i.code} for i in issues[:20]]


def schema_issues(ctx: VerifyContext) -> list[SchemaIssue]:
    """Schema issues of the document, computed once per run (explaining an invalid document is the
    slow part: ~10 ms, and three checks ask)."""
    if "schema_issues" not in ctx.shared:
        from ecvet_credentials.model import schemas

        ctx.shared["schema_issues"] = schemas.validate(ctx.document, rules=False)
    issues: list[SchemaIssue] = ctx.shared["schema_issues"]
    return issues


def rule_issues(ctx: VerifyContext) -> list[Any]:
    """The ECVET rule issues of a schema-valid document, checked once per run; the model the rules
    build is kept in ctx.shared["model"] for the checks that read it (agreement-match)."""
    if "rule_issues" not in ctx.shared:
        from ecvet_credentials.model import schemas

        ctx.shared["rule_issues"], ctx.shared["model"] = schemas.check_rules(ctx.document)
    issues: list[Any] = ctx.shared["rule_issues"]
    return issues


def check_schema(ctx: VerifyContext, report: VerificationReport) -> None:
    from ecvet_credentials.model import schemas

    stem = schemas.schema_for(ctx.document)
    if stem is None:
        report.not_checked("schema", "NO_SCHEMA", _("No bundled JSON Schema applies to this document type."), required=False)
        return
    issues = schema_issues(ctx)
    if issues:
        first = issues[0]
        more = _(" (and {n} more)").format(n=len(issues) - 1) if len(issues) > 1 else ""
        report.failed("schema", "SCHEMA_INVALID", f"{first.path}: {first.message}{more}", issues=_issues_json(issues), schema=stem)
        return
    report.passed("schema", _("The document matches its JSON Schema ({stem}).").format(stem=stem), schema=stem)


def check_ecvet_consistency(ctx: VerifyContext, report: VerificationReport) -> None:
    """Cross-field ECVET rules: points add up, dates ordered and inside the mobility, grades on a scheme."""
    from ecvet_credentials.model import schemas

    if schemas.schema_for(ctx.document) is None:
        report.not_checked("ecvet-consistency", "NOT_APPLICABLE", _("Not an ECVET credential."), required=False)
        return
    if schema_issues(ctx):
        report.not_checked("ecvet-consistency", "SCHEMA_INVALID", _("The ECVET rules need a schema-valid document; see the schema check."))
        return
    issues = rule_issues(ctx)
    if issues:
        first = issues[0]
        more = _(" (and {n} more)").format(n=len(issues) - 1) if len(issues) > 1 else ""
        report.failed("ecvet-consistency", "ECVET_RULE_VIOLATION", f"{first.path}: {first.message}{more}", issues=_issues_json(issues))
        return
    report.passed("ecvet-consistency", _("Points, dates and grades are consistent."))


# VC 1.1 names the same bounds issuanceDate/expirationDate; both spellings count, the stricter wins.
_START_NAMES, _END_NAMES = ("validFrom", "issuanceDate"), ("validUntil", "expirationDate")


def _bounds(doc: dict[str, Any], names: tuple[str, ...], latest: bool) -> tuple[datetime | None, tuple[str, Any] | None]:
    """The bound given by any of `names` (the latest start or the earliest end), or (name, raw) of one
    that is not a dateTime."""
    found: list[datetime] = []
    for name in names:
        if doc.get(name) is not None:
            parsed = parse_datetime(doc[name])
            if parsed is None:
                return None, (name, doc[name])
            found.append(parsed)
    if not found:
        return None, None
    return (max(found) if latest else min(found)), None


def check_validity_period(ctx: VerifyContext, report: VerificationReport) -> None:
    doc = ctx.document
    now = ctx.options.now or utc_now()
    skew = timedelta(seconds=ctx.options.clock_skew)
    start, bad_start = _bounds(doc, _START_NAMES, latest=True)
    end, bad_end = _bounds(doc, _END_NAMES, latest=False)
    for bad in (bad_start, bad_end):
        if bad is not None:
            name, raw = bad
            report.failed("validity-period", "INVALID_DATE",
                          _("validFrom {valid_from!r} is not an XML Schema dateTime.").format(valid_from=raw) if name == "validFrom"
                          else _("validUntil {valid_until!r} is not an XML Schema dateTime.").format(valid_until=raw)
                          if name == "validUntil" else f"{name} {raw!r} is not an XML Schema dateTime.")
            return
    if start and end and end < start:
        report.failed("validity-period", "INVALID_PERIOD", _("validUntil is before validFrom."))
        return
    if start and now + skew < start:
        report.failed("validity-period", "NOT_YET_VALID", _("The credential is valid only from {start} (checked at {now}).").format(start=iso(start), now=iso(now)))
        return
    if end and now - skew > end:
        report.failed("validity-period", "EXPIRED", _("The credential expired on {end} (checked at {now}); it remains a record of what was issued.").format(end=iso(end), now=iso(now)))
        return
    if end:
        report.passed("validity-period", _("Valid at {now} until {end}.").format(now=iso(now), end=iso(end)))
    else:
        report.passed("validity-period", _("Valid at {now} with no end date.").format(now=iso(now)))
