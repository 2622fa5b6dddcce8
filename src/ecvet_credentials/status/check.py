"""Verifier side: check each `credentialStatus` entry of a credential against its status list.

Per entry the outcome is one of:
  ok          list obtained, its proof verifies, issued by the credential's issuer, fresh, bit clear
  revoked     revocation bit set (final: reported even from a stale list)
  suspended   suspension bit set (a positive finding from a signed list, even if stale)
  stale       bit clear, but the copy is older than its ttl (and, when the caller set max_age, within it)
  unavailable the list (or its proof check) could not be had, the list is past its validUntil
              (STATUS_LIST_EXPIRED), or the copy is older than max_age (STATUS_LIST_TOO_OLD): never ok
  invalid     malformed entry or list, bad proof, wrong issuer, index outside the list
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from ecvet_credentials.core.timeutil import utc_now
from ecvet_credentials.i18n import N_, _
from ecvet_credentials.net.fetcher import describe_age
from ecvet_credentials.core.errors import EcvetError, LimitExceededError, StatusListError, StatusListUnavailableError
from ecvet_credentials.status.bitstring import DEFAULT_MAX_BYTES, BitstringStatusList
from ecvet_credentials.status.entries import credential_status_entries, parse_status_entry
from ecvet_credentials.status.fetch import FetchedList, StatusListSource, freshness_limit
from ecvet_credentials.status._util import as_utc, parse_dt

OUTCOMES = ("ok", "revoked", "suspended", "stale", "unavailable", "invalid")
DEFAULT_SKEW = timedelta(minutes=5)
# Whole sentences per purpose (not a translated word put into one): languages inflect the noun.
_EXPIRED = {"revocation": N_("{reason}: an expired list says nothing about the revocation status now; "
                             "get the issuer's current list"),
            "suspension": N_("{reason}: an expired list says nothing about the suspension status now; "
                             "get the issuer's current list")}
_TOO_OLD = {"revocation": N_("{reason}: the revocation status is too old to rely on; publish or fetch a newer list"),
            "suspension": N_("{reason}: the suspension status is too old to rely on; publish or fetch a newer list")}
_STALE = {"revocation": N_("{reason}: the revocation status is not known to be current; refresh the list"),
          "suspension": N_("{reason}: the suspension status is not known to be current; refresh the list")}


@dataclass
class StatusCheck:
    purpose: str | None
    index: int | None
    list_url: str | None
    outcome: str
    code: str
    message: str
    reasons: list[str] = field(default_factory=list)
    origin: str | None = None               # directory | cache | network
    list_age_seconds: float | None = None   # age of a retrieved copy (None for a publish directory)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None and v != []}


@dataclass(frozen=True)
class ProofCheck:
    verified: bool
    controllers: tuple[str, ...] = ()
    code: str = "OK"
    message: str = ""


# A verifier that could not check a proof (no key material, say) answers code STATUS_PROOF_NOT_CHECKED:
# the status is then "unavailable", never "invalid" and never a pass.
Verifier = Callable[[dict], ProofCheck]


def proofs_verifier(resolver: Any = None) -> Verifier:
    """A verifier over the proofs API (imported lazily so the status package loads without it)."""

    def verify(doc: dict) -> ProofCheck:
        from ecvet_credentials.proofs import verify_proofs  # noqa: PLC0415
        # A list credential is an assertion by its issuer, like the credentials it covers.
        result = verify_proofs(doc, resolver=resolver, purpose="assertionMethod")
        controllers = tuple(r.controller for r in result.results if r.verified and r.controller)
        return ProofCheck(bool(result.verified), controllers, result.code or "OK", result.message or "")

    return verify


_DEFAULT_VERIFIER = proofs_verifier()


def check_status(
    credential: dict[str, Any],
    source: StatusListSource,
    *,
    now: datetime | None = None,
    issuer: str | None = None,
    max_age: timedelta | None = None,
    verifier: Verifier | None = None,
    skew: timedelta = DEFAULT_SKEW,
    max_list_bytes: int = DEFAULT_MAX_BYTES,
    allowed_prefixes: tuple[str, ...] | None = None,
) -> list[StatusCheck]:
    """One StatusCheck per `credentialStatus` entry ([] when the credential has none).

    `issuer` defaults to the credential's issuer; the list must be issued (and its proof made) by it.
    `max_age` is the oldest copy the caller accepts (DESIGN 4/5): past its ttl but within max_age a list
    is "stale" (a warning); beyond max_age it is "unavailable" (STATUS_LIST_TOO_OLD), never a pass.
    A copy's age is counted from its retrieval, or from the list's validFrom for a publish directory.
    A list past its validUntil is an expired credential: "unavailable" (STATUS_LIST_EXPIRED), never ok.
    `allowed_prefixes`: the status URL prefixes the issuer's trust registry entry lists (the only places
    a list is fetched from); None leaves the source's configured hosts.
    """
    now = as_utc(now or utc_now())
    verifier = verifier or _DEFAULT_VERIFIER
    issuer = issuer or _issuer_id(credential.get("issuer"))
    return [
        _check_entry(raw, source, now, issuer, max_age, verifier, skew, max_list_bytes, allowed_prefixes)
        for raw in credential_status_entries(credential)
    ]


def overall(checks: list[StatusCheck]) -> str:
    """One word for a report: the worst outcome ("none" without entries)."""
    if not checks:
        return "none"
    for outcome in ("revoked", "suspended", "invalid", "unavailable", "stale"):
        if any(c.outcome == outcome for c in checks):
            return outcome
    return "ok"


def _check_entry(raw, source, now, issuer, max_age, verifier, skew, max_list_bytes, allowed_prefixes) -> StatusCheck:  # noqa: ANN001
    try:
        entry = parse_status_entry(raw)
    except StatusListError as exc:
        return StatusCheck(None, None, None, "invalid", exc.code, str(exc))
    result = StatusCheck(entry.purpose, entry.index, entry.list_url, "invalid", "", "")

    def finish(outcome: str, code: str, message: str) -> StatusCheck:
        result.outcome, result.code, result.message = outcome, code, message
        return result

    try:
        if allowed_prefixes is None:
            fetched = source.get(entry.list_url, now=now, max_age=max_age)
        else:
            fetched = source.get(entry.list_url, now=now, max_age=max_age, allowed_prefixes=allowed_prefixes)
    except StatusListUnavailableError as exc:
        return finish("unavailable", exc.code, str(exc))  # the report's frame says what could not be checked
    except (StatusListError, LimitExceededError) as exc:
        return finish("invalid", exc.code, str(exc))
    except OSError as exc:  # e.g. an unreadable file in the publish directory
        return finish("unavailable", "STATUS_LIST_UNAVAILABLE",
                      _("could not read status list {url}: {error}").format(url=entry.list_url, error=exc))
    result.origin = fetched.origin
    age = fetched.age(now)
    if age is not None:
        result.list_age_seconds = round(age.total_seconds(), 3)
    if fetched.note:
        result.reasons.append(fetched.note)

    doc = fetched.document
    try:
        bits = _decoded(fetched, entry.purpose, max_list_bytes)
    except EcvetError as exc:
        return finish("invalid", exc.code, _("status list {url}: {error}").format(url=entry.list_url, error=exc))

    proof = _proof(fetched, verifier)
    if not proof.verified:
        if proof.code == "STATUS_PROOF_NOT_CHECKED":
            return finish("unavailable", proof.code, _("status list proof not checked: {message}").format(message=proof.message))
        return finish("invalid", "STATUS_LIST_PROOF_INVALID",
                      _("status list {url}: proof does not verify ({code}: {message})").format(
                          url=entry.list_url, code=proof.code, message=proof.message))
    result.reasons.append(_("list proof verifies"))
    list_issuer = _issuer_id(doc.get("issuer"))
    if not issuer or list_issuer != issuer:
        return finish("invalid", "STATUS_LIST_ISSUER_MISMATCH",
                      _("status list {url} is issued by {list_issuer}, not by the credential's issuer {issuer}").format(
                          url=entry.list_url, list_issuer=repr(list_issuer), issuer=repr(issuer)))
    if issuer not in proof.controllers:
        return finish("invalid", "STATUS_LIST_ISSUER_MISMATCH",
                      _("status list {url} is not signed by a key of {issuer}").format(url=entry.list_url, issuer=issuer))
    result.reasons.append(_("list issued and signed by the credential's issuer"))
    if entry.index >= bits.size:
        return finish("invalid", "STATUS_INDEX_OUT_OF_RANGE",
                      _("statusListIndex {index} is outside the list (size {size})").format(index=entry.index, size=bits.size))

    valid_from = parse_dt(doc.get("validFrom"))
    if "validFrom" in doc and (valid_from is None or valid_from > now + skew):
        return finish("invalid", "STATUS_LIST_NOT_YET_VALID", _("status list {url} is not valid yet").format(url=entry.list_url))
    stale = _staleness(doc, fetched, now, skew)
    too_old = _too_old(doc, fetched, now, max_age)
    if bits.get(entry.index):
        if stale:
            result.reasons.append(stale)
        if entry.purpose == "revocation":
            return finish("revoked", "STATUS_REVOKED", _("the credential has been revoked by its issuer"))
        return finish("suspended", "STATUS_SUSPENDED", _("the credential is suspended by its issuer"))
    expired = _expired(doc, now, skew)
    if expired:
        return finish("unavailable", "STATUS_LIST_EXPIRED",
                      _(_EXPIRED[entry.purpose]).format(reason=expired))
    if too_old:
        return finish("unavailable", "STATUS_LIST_TOO_OLD",
                      _(_TOO_OLD[entry.purpose]).format(reason=too_old))
    if stale:
        return finish("stale", "STATUS_LIST_STALE",
                      _(_STALE[entry.purpose]).format(reason=stale))
    return finish("ok", "OK", _("not revoked") if entry.purpose == "revocation" else _("not suspended"))


def _decoded(fetched: FetchedList, purpose: str, max_bytes: int) -> BitstringStatusList:
    """Validate the list credential's shape and decode it once per fetched document."""
    key = "bits:" + purpose
    if key not in fetched.memo:
        doc = fetched.document
        if doc.get("id") != fetched.url:
            raise StatusListError(_("list credential id {id} is not its URL").format(id=repr(doc.get("id"))))
        types: list[Any] = doc["type"] if isinstance(doc.get("type"), list) else [doc.get("type")]
        if "BitstringStatusListCredential" not in types:
            raise StatusListError(_("not a BitstringStatusListCredential"))
        subject = doc.get("credentialSubject")
        if not isinstance(subject, dict) or subject.get("type") != "BitstringStatusList":
            raise StatusListError(_("credentialSubject is not a BitstringStatusList"))
        stated = subject.get("statusPurpose")
        purposes: list[Any] = stated if isinstance(stated, list) else [stated]
        if purpose not in purposes:
            raise StatusListError(_("list statusPurpose {stated} does not match {purpose}").format(
                stated=repr(subject.get("statusPurpose")), purpose=repr(purpose)),
                                  code="STATUS_PURPOSE_MISMATCH")
        fetched.memo[key] = BitstringStatusList.decode(subject.get("encodedList"), max_bytes=max_bytes)
    return fetched.memo[key]


def _proof(fetched: FetchedList, verifier: Verifier) -> ProofCheck:
    # A FetchedList is never given another document (the source makes a new one), so the result
    # can be kept on it, per verifier: a cached list costs one proof check, not one per credential.
    if fetched.memo.get("proof_verifier") is not verifier:
        fetched.memo["proof"] = verifier(fetched.document)
        fetched.memo["proof_verifier"] = verifier
    return fetched.memo["proof"]


def _expired(doc, now: datetime, skew) -> str | None:  # noqa: ANN001
    if "validUntil" in doc:
        valid_until = parse_dt(doc.get("validUntil"))
        if valid_until is None or valid_until < now - skew:
            return _("status list expired at {time}").format(time=doc.get("validUntil"))
    return None


def _staleness(doc, fetched: FetchedList, now: datetime, skew) -> str | None:  # noqa: ANN001
    expired = _expired(doc, now, skew)
    if expired:
        return expired
    age = fetched.age(now)
    limit = freshness_limit(doc, None)
    if age is not None and limit is not None and age > limit:
        return _("cached copy is {age} old (limit {limit})").format(age=describe_age(age), limit=describe_age(limit))
    return None


def _too_old(doc, fetched: FetchedList, now: datetime, max_age) -> str | None:  # noqa: ANN001
    """Beyond the caller's maximum age. A publish directory has no retrieval time: count from validFrom."""
    if max_age is None:
        return None
    age = fetched.age(now)
    if age is None:
        published = parse_dt(doc.get("validFrom"))
        age = now - published if published is not None else None
    if age is None:  # no way to tell how old the list is: not acceptable under a max-age policy
        return _("the list's age is unknown (no validFrom)")
    if age > max_age:
        return _("list is {age} old (maximum accepted {limit})").format(age=describe_age(age), limit=describe_age(max_age))
    return None


def _issuer_id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None
