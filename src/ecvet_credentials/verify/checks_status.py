"""status: revocation and suspension through the credential's Bitstring Status List entries.

A list that cannot be had (or is older than the caller's maximum age) is never a pass: not_checked,
required unless the caller opts out; a list past its ttl but within the maximum age is a warning.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecvet_credentials.i18n import N_, _
from ecvet_credentials.verify.context import VerifyContext
from ecvet_credentials.verify.report import VerificationReport

if TYPE_CHECKING:
    from ecvet_credentials.status.check import StatusCheck


# Whole sentences per purpose (languages inflect the noun); the entry's message says why, once.
_NOT_CHECKED = {"revocation": N_("Revocation could not be checked: {message}"),
                "suspension": N_("Suspension could not be checked: {message}")}


def check_status(ctx: VerifyContext, report: VerificationReport) -> None:
    from ecvet_credentials.status.check import check_status as run_status_checks, overall

    doc = ctx.document
    if "credentialStatus" not in doc:
        report.not_checked("status", "NO_STATUS", _("The credential carries no status entry, so it cannot be revoked."), required=False)
        return
    required = not ctx.options.status_optional
    source = ctx.options.status_source
    if source is None:
        report.not_checked("status", "STATUS_NOT_CHECKED",
                           _("Revocation was not checked: no status list source was given "
                           "(pass --status-dir DIR with the issuer's published lists)."), required=required)
        return
    results = run_status_checks(doc, source, now=ctx.options.now, max_age=ctx.options.status_max_age,
                                allowed_prefixes=_registry_prefixes(ctx))
    details: dict[str, Any] = {"entries": [r.to_json() for r in results]}
    worst = overall(results)
    if worst == "none":
        report.not_checked("status", "NO_STATUS", _("The credential's credentialStatus holds no entry."), required=False)
        return
    first = next(r for r in results if r.outcome == worst)  # overall() names the outcome of one of them
    if worst == "revoked":
        report.failed("status", "CREDENTIAL_REVOKED", _("The issuer has revoked this credential ({list_url}).").format(list_url=first.list_url), **details)
    elif worst == "suspended":
        report.failed("status", "CREDENTIAL_SUSPENDED", _("The issuer has suspended this credential ({list_url}); ask the issuer why.").format(list_url=first.list_url), **details)
    elif worst == "invalid":
        report.failed("status", first.code or "STATUS_LIST_INVALID", _("The status list cannot be trusted: {message}").format(message=first.message), **details)
    elif worst == "unavailable":
        frame = _NOT_CHECKED[first.purpose or "revocation"]  # an unavailable entry was parsed: it has a purpose
        report.not_checked("status", first.code or "STATUS_LIST_UNAVAILABLE",
                           _(frame).format(message=first.message), required=required, **details)
    elif worst == "stale":
        report.warning("status", "STATUS_LIST_STALE", _("Not revoked or suspended according to a list that is out of date: {message}").format(message=first.message), **details)
    else:
        words = {"revocation": _("revocation"), "suspension": _("suspension")}  # the W3C purposes, as words
        purposes = ", ".join(words.get(p, p) for p in sorted({r.purpose for r in results if r.purpose}))
        report.passed("status", _("Not revoked or suspended (checked: {purposes}).").format(purposes=purposes)
                      + _where(results), **details)


def _where(results: list[StatusCheck]) -> str:
    """Where the lists came from, with the age of a cached copy (offline, or the issuer unreachable)."""
    from ecvet_credentials.net import describe_age

    cached_ages = [r.list_age_seconds for r in results if r.origin == "cache" and r.list_age_seconds is not None]
    if cached_ages:
        from datetime import timedelta

        oldest = max(cached_ages)
        return " " + _("(from a cached copy {age} old)").format(age=describe_age(timedelta(seconds=oldest)))
    if any(r.origin == "presented" for r in results):
        return " " + _("(from lists supplied with the credential)")
    if any(r.origin == "network" for r in results):
        return " " + _("(lists fetched from the issuer)")
    return ""


def _registry_prefixes(ctx: VerifyContext) -> tuple[str, ...] | None:
    """Where the issuer's trust registry entry says its lists live: the only URLs fetched for it.
    None (no usable registry entry) leaves the source's configured hosts, empty unless configured."""
    from ecvet_credentials.verify.checks_proof import issuer_id

    trust = ctx.options.trust
    if trust is None or trust.untrusted:
        return None
    issuer = issuer_id(ctx.document)
    institution = trust.institution(issuer) if issuer else None
    return institution.status_prefixes if institution is not None else None
