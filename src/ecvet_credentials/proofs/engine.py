"""DataIntegrityProof: add a proof (sets and chains) and verify every proof of a document.

Follows W3C VC Data Integrity 1.0 ("Add Proof", "Verify Proof", "Add Proof Set/Chain", "Verify
Proof Sets and Chains") with the suites in suites.py. `sign` raises for a document it cannot sign;
`verify_proofs` never raises for anything wrong with the document (TypeError only if it is not a dict).
"""
from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ecvet_credentials.core import multibase as mb
from ecvet_credentials.crypto.dids import DidResolver
from ecvet_credentials.core.errors import DidResolutionError, EcvetError, LimitExceededError, ProofError
from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, check_cancelled
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.core.timeutil import iso, parse_datetime, utc_now
from ecvet_credentials.i18n import _
from ecvet_credentials.proofs import purposes
from ecvet_credentials.proofs.suites import CRYPTOSUITES, STRICT_JSONLD, SUITES, Cryptosuite, rdfc_hash

if TYPE_CHECKING:
    from ecvet_credentials.jsonld.contexts import ContextRegistry
    from ecvet_credentials.jsonld.limits import Limits

# Canonical document bytes (or the error) per (suite form, @context...), shared by the proofs of one document.
_CanonCache = dict[tuple[Any, ...], "bytes | EcvetError"]

PROOF_TYPE = "DataIntegrityProof"
NO_PROOF_MESSAGE = "The document has no proof: it is not signed; ask the issuer for the signed version."
# XSD dateTimeStamp: a time zone is required.
_ORDER = ("type", "id", "cryptosuite", "created", "expires", "verificationMethod", "proofPurpose",
          "challenge", "domain", "previousProof")  # the vectors' key order, for readable output


@dataclass
class ProofResult:
    index: int
    id: str | None
    cryptosuite: str | None
    verification_method: str | None
    controller: str | None
    purpose: str | None
    created: str | None
    verified: bool = False
    code: str = ""
    message: str = ""


@dataclass
class ProofSetResult:
    """One ProofResult per proof in the document; `results` is empty when there is no proof."""

    results: list[ProofResult] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return bool(self.results) and all(r.verified for r in self.results)

    @property
    def controllers(self) -> list[str]:
        """Controllers of the proofs that verified, in proof order, without repeats."""
        return list(dict.fromkeys(r.controller for r in self.results if r.verified and r.controller))

    @property
    def code(self) -> str:
        """'OK', PROOF_MISSING, or the code of the first proof that failed."""
        if not self.results:
            return "PROOF_MISSING"
        return next((r.code for r in self.results if not r.verified), "OK")

    @property
    def message(self) -> str:
        if not self.results:
            return NO_PROOF_MESSAGE
        bad = [r for r in self.results if not r.verified]
        if not bad:
            return "Every proof is valid." if len(self.results) > 1 else "The signature is valid."
        prefix = f"Proof {bad[0].index + 1} of {len(self.results)}: " if len(self.results) > 1 else ""
        return prefix + bad[0].message


def _proof_list(document: dict[str, Any]) -> list[Any]:
    proof = document.get("proof")
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]


def _chain_input(document: dict[str, Any], all_proofs: list[Any], previous: Any) -> tuple[dict[str, Any], tuple[int, ...], str | None]:
    """The document a proof signs: without `proof`, plus the proofs named by previousProof
    (VC DI "Add Proof" / "Verify Proof Sets and Chains"). Returns (document, indexes of the
    included proofs, the first previousProof id not found or None).
    """
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    ids = [previous] if isinstance(previous, str) else list(previous or [])
    indexes: list[int] = []
    for pid in ids:
        found = [i for i, p in enumerate(all_proofs) if isinstance(p, dict) and p.get("id") == pid]
        if not found:
            return unsecured, (), str(pid)
        indexes.extend(i for i in found if i not in indexes)
    if indexes:
        unsecured["proof"] = [all_proofs[i] for i in indexes]  # always a list, as in the vectors
    return unsecured, tuple(indexes), None


@dataclass(frozen=True)
class VerifyData:
    """The intermediate values of the DI hashing step (exposed so tests can match the W3C vectors)."""

    canonical_document: bytes
    canonical_proof_config: bytes
    proof_hash: bytes
    document_hash: bytes

    @property
    def combined(self) -> bytes:  # what is signed: hash(proof config) || hash(document)
        return self.proof_hash + self.document_hash


def create_verify_data(suite: Cryptosuite, unsecured: dict[str, Any], options: dict[str, Any], key_type: str, *, registry: ContextRegistry | None = None,
                       limits: Limits | None = None, doc_canon: bytes | None = None) -> VerifyData:
    """Canonicalize the proof configuration and the document, and hash both (suite's algorithm)."""
    config = suite.proof_config(unsecured, options)
    config_canon = suite.canonicalize(config, key_type=key_type, registry=registry, limits=limits)
    if doc_canon is None:
        doc_canon = suite.canonicalize(unsecured, key_type=key_type, registry=registry, limits=limits)
    return VerifyData(doc_canon, config_canon, suite.hash(config_canon, key_type), suite.hash(doc_canon, key_type))


# --- signing ---------------------------------------------------------------------------------------
def sign(document: dict[str, Any], key: KeyPair, *, cryptosuite: str = "eddsa-rdfc-2022", verification_method: str | None = None,
         created: str | None = None, purpose: str = "assertionMethod", challenge: str | None = None,
         domain: str | list[str] | None = None, previous_proof: str | list[str] | None = None,
         proof_id: str | None = None, expires: str | None = None, registry: ContextRegistry | None = None,
         limits: Limits | None = None) -> dict[str, Any]:
    """Return a new document with a DataIntegrityProof added (to a proof set if one exists).

    Raises ValueError/TypeError for wrong arguments, ProofError if previous_proof names a proof that
    is not there, and the JSON-LD errors (StrictJsonLdError, UnknownContextError...) for a document
    that cannot be canonicalized: nothing is signed that a strict verifier would reject.
    """
    if not isinstance(document, dict):
        raise TypeError("'document' must be a dict (a JSON object)")
    if not isinstance(key, KeyPair):
        raise TypeError("'key' must be a KeyPair")
    suite = SUITES.get(cryptosuite)
    if suite is None:
        raise ValueError(f"'cryptosuite' must be one of {CRYPTOSUITES}, not {cryptosuite!r}")
    if key.key_type not in suite.key_types:
        raise ValueError(f"cryptosuite {cryptosuite!r} needs a {' or '.join(suite.key_types)} key, not {key.key_type}")
    if purpose not in purposes.PURPOSES:
        raise ValueError(f"'purpose' must be one of {purposes.PURPOSES}, not {purpose!r}")
    created = iso(utc_now()) if created is None else created
    for name, value in (("created", created), ("expires", expires)):
        if value is not None and parse_datetime(value, zone_required=True) is None:
            raise ValueError(f"'{name}' must be an XSD dateTimeStamp like 2026-01-31T12:00:00Z, not {value!r}")

    options = {
        "type": PROOF_TYPE, "id": proof_id, "cryptosuite": cryptosuite, "created": created, "expires": expires,
        "verificationMethod": verification_method or key.verification_method_id, "proofPurpose": purpose,
        "challenge": challenge, "domain": domain, "previousProof": previous_proof,
    }
    options = {k: options[k] for k in _ORDER if options[k] is not None}

    document = copy.deepcopy(document)
    existing = _proof_list(document)
    if not all(isinstance(p, dict) for p in existing):
        raise ProofError("The document's existing 'proof' is not a proof object or a list of them; remove it "
                         "or fix it before signing.", code="PROOF_MALFORMED")
    if previous_proof is not None and not (isinstance(previous_proof, str) or (
            isinstance(previous_proof, list) and previous_proof and all(isinstance(p, str) for p in previous_proof))):
        raise ValueError("'previous_proof' must be a proof id or a non-empty list of proof ids")
    unsecured, _, missing = _chain_input(document, existing, previous_proof)
    if missing is not None:
        raise ProofError(f"previous_proof {missing!r} is not the id of a proof in the document.",
                         code="PREVIOUS_PROOF_MISSING")
    if suite.canonicalization == "jcs" and "@context" in unsecured:
        options["@context"] = unsecured["@context"]  # JCS proofs carry the context they were made under
        # never sign what verify_proofs would reject as non-strict JSON-LD (see _verify_one)
        strict = _strict_canon(unsecured, registry, limits)
        if isinstance(strict, EcvetError):
            raise strict
    data = create_verify_data(suite, unsecured, options, key.key_type, registry=registry, limits=limits)
    proof = dict(options, proofValue=mb.encode(key.sign(data.combined)))  # base58btc, multibase's default
    document["proof"] = [*existing, proof] if "proof" in document else proof
    return document


# --- verification ----------------------------------------------------------------------------------
class _Fail(Exception):
    def __init__(self, code: str, message: str) -> None:  # read through .code and .message only
        self.code, self.message = code, message


def verify_proofs(document: dict[str, Any], *, resolver: DidResolver | None = None, purpose: str | None = None,
                  challenge: str | None = None, domain: str | None = None, registry: ContextRegistry | None = None,
                  limits: Limits | None = None, now: datetime | None = None) -> ProofSetResult:
    """Verify every proof of `document` (sets and chains). Never raises for a bad document.

    purpose: the proofPurpose required of every proof (None: any purpose the key is authorized for).
    challenge/domain: when given, every proof must carry them (presentations).
    now: for `expires` (default: the current time).
    """
    if not isinstance(document, dict):
        raise TypeError("'document' must be a dict (a parsed JSON object)")
    resolver = resolver or DidResolver()
    now = now or utc_now()
    all_proofs = _proof_list(document)
    bounds = limits or DEFAULT_LIMITS
    if len(all_proofs) > bounds.max_proofs:  # 400 chained junk proofs would each canonicalize the document
        return ProofSetResult([ProofResult(
            index=0, id=None, cryptosuite=None, verification_method=None, controller=None, purpose=None, created=None,
            verified=False, code="TOO_MANY_PROOFS",
            message=_("The document carries {count:,} proofs, more than the {max_proofs} this verifier checks; none was "
                      "checked. Ask the issuer for the document with its usual signatures.").format(
                count=len(all_proofs), max_proofs=bounds.max_proofs))])
    deadline = time.monotonic() + bounds.max_document_seconds  # all the canonicalization of this document
    cache: _CanonCache = {}
    results = []
    for index, proof in enumerate(all_proofs):
        p = proof if isinstance(proof, dict) else {}
        result = ProofResult(
            index=index,
            id=_str(p.get("id")),
            cryptosuite=_str(p.get("cryptosuite")),
            verification_method=_str(p.get("verificationMethod")),
            controller=None,
            purpose=_str(p.get("proofPurpose")),
            created=_str(p.get("created")),
        )
        try:
            check_cancelled()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Fail("LIMIT_EXCEEDED", _("Checking this document's proofs took longer than {seconds:g} s; this "
                                                "proof was not checked.").format(seconds=bounds.max_document_seconds))
            per_proof = bounds if remaining >= bounds.max_seconds else replace(bounds, max_seconds=remaining)
            result.controller = _verify_one(document, all_proofs, proof, resolver=resolver, purpose=purpose,
                                            challenge=challenge, domain=domain, registry=registry, limits=per_proof,
                                            now=now, cache=cache)
            result.verified, result.code, result.message = True, "OK", _("The signature is valid.")
        except _Fail as f:
            result.code, result.message = f.code, f.message
        except LimitExceededError as e:  # stopped: the request gave up
            result.code, result.message = e.code, str(e)
        except Exception as e:  # last resort: verification must never raise for a document
            result.code = "VERIFICATION_ERROR"
            result.message = _("The proof could not be checked ({error}); treat the document as unverified.").format(
                error=type(e).__name__)
        results.append(result)
    return ProofSetResult(results)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _verify_one(document: dict[str, Any], all_proofs: list[Any], proof: object, *, resolver: DidResolver,
                purpose: str | None, challenge: str | None, domain: str | None, registry: ContextRegistry | None,
                limits: Limits | None, now: datetime, cache: _CanonCache) -> str:
    """Checks in order from cheap to expensive; raises _Fail, returns the key's controller."""
    if not isinstance(proof, dict):
        raise _Fail("PROOF_MALFORMED", _("A proof is not a JSON object; the document cannot be trusted as signed."))
    if proof.get("type") != PROOF_TYPE:
        raise _Fail("UNKNOWN_CRYPTOSUITE", _("Proof type {type} is not supported (only {supported}); ask the issuer to sign "
                                             "with one of {suites}.").format(type=f"{proof.get('type')!r:.60}",
                                                                             supported=PROOF_TYPE, suites=", ".join(CRYPTOSUITES)))
    name = proof.get("cryptosuite")
    suite = SUITES.get(name) if isinstance(name, str) else None
    if suite is None:
        raise _Fail("UNKNOWN_CRYPTOSUITE", _("Cryptosuite {suite} is not supported; ask the issuer to sign with one of "
                                             "{suites}.").format(suite=f"{proof.get('cryptosuite')!r:.60}",
                                                                 suites=", ".join(CRYPTOSUITES)))
    for name in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(name), str) or not proof[name]:
            raise _Fail("PROOF_MALFORMED", _("The proof has no valid '{name}'; ask the issuer to re-sign the document.").format(
                name=name))
    created = None
    if "created" in proof:
        created = parse_datetime(proof["created"], zone_required=True)
        if created is None:
            raise _Fail("PROOF_MALFORMED", _("The proof's 'created' is not a date-time with a time zone; ask the "
                                             "issuer to re-sign the document."))
    if "expires" in proof:
        expires = parse_datetime(proof["expires"], zone_required=True)
        if expires is None:
            raise _Fail("PROOF_MALFORMED", _("The proof's 'expires' is not a date-time with a time zone; ask the "
                                             "issuer to re-sign the document."))
        if _aware(now) >= expires:
            raise _Fail("PROOF_EXPIRED", _("The proof expired on {date}; ask for a newly signed document.").format(
                date=proof["expires"]))
    failure = purposes.check_expected(proof, purpose=purpose, challenge=challenge, domain=domain)
    if failure:
        raise _Fail(*failure)

    previous = proof.get("previousProof")
    if previous is not None and not (isinstance(previous, str) or (
            isinstance(previous, list) and all(isinstance(p, str) for p in previous))):
        raise _Fail("PROOF_MALFORMED", _("The proof's 'previousProof' is not a proof id or a list of ids; ask the "
                                         "issuer to re-sign the document."))
    unsecured, included, missing = _chain_input(document, all_proofs, previous)
    if missing is not None:
        raise _Fail("PREVIOUS_PROOF_MISSING", _("The proof chains to {missing}, which is not in the document; the chain is "
                                                "broken, ask for the complete document.").format(missing=f"{missing!r:.120}"))
    try:
        vm = resolver.verification_method(proof["verificationMethod"])
    except DidResolutionError as e:
        raise _Fail("VERIFICATION_METHOD_UNRESOLVED", _("The signing key could not be resolved: {error}").format(error=e)) from None
    if vm.public_key.key_type not in suite.key_types:
        raise _Fail("KEY_TYPE_MISMATCH", _("{suite} needs a {needed} key but {key} is {key_type}; the proof is invalid.").format(
            suite=suite.name, needed=" / ".join(suite.key_types), key=vm.id, key_type=vm.public_key.key_type))
    failure = purposes.check_authorized(proof, vm, created)
    if failure:
        raise _Fail(*failure)
    try:
        if not proof["proofValue"].startswith("z"):
            raise ValueError("not base58btc")
        signature = mb.decode(proof["proofValue"])
    except ValueError:
        raise _Fail("PROOF_MALFORMED", _("The proofValue is not a base58btc ('z') multibase value; the proof is "
                                         "invalid.")) from None

    options = dict(proof)  # the suite's proof configuration leaves proofValue out
    if "@context" in options:
        # VC Data Integrity "Verify Proof" (every suite): the document's @context must start with the
        # proof's, and the document is then hashed under the proof's @context. For RDFC suites this
        # also keeps an unsigned @context from being slipped into a proof (found by mutation testing).
        doc_ctx, proof_ctx = _as_list(unsecured.get("@context")), _as_list(options["@context"])
        if doc_ctx[: len(proof_ctx)] != proof_ctx:
            raise _Fail("INVALID_SIGNATURE", _("The document's @context does not start with the proof's @context: "
                                               "it was changed after signing; do not trust it."))
        unsecured["@context"] = options["@context"]
    if suite.canonicalization == "jcs" and "@context" in unsecured:
        # JCS signs the JSON as is; this project still refuses terms its contexts do not define
        # (DESIGN 3: strict everywhere), so the document must also pass the strict JSON-LD check.
        # Chained proofs are left out: JCS proofs embed an @context, and each is verified on its own.
        key: tuple[Any, ...] = (repr(unsecured.get("@context")),)  # one item: never a canonical form's key
        if key not in cache:
            cache[key] = _strict_canon(unsecured, registry, limits)
        strict_canon = cache[key]
        if isinstance(strict_canon, EcvetError):
            raise _Fail(strict_canon.code,
                        _("The document is not strict JSON-LD: {error}").format(error=(str(strict_canon).splitlines() or [""])[0]))
    try:
        key_type = vm.public_key.key_type
        key = (suite.canonicalization, rdfc_hash(key_type), included, repr(unsecured.get("@context")))
        if key not in cache:
            cache[key] = _canon_or_error(suite, unsecured, key_type, registry, limits)
        doc_canon = cache[key]
        if isinstance(doc_canon, EcvetError):
            raise doc_canon
        data = create_verify_data(suite, unsecured, options, key_type, registry=registry, limits=limits,
                                  doc_canon=doc_canon).combined
    except EcvetError as e:
        first_line = str(e).partition("\n")[0]  # pyld appends multi-line diagnostics
        raise _Fail(e.code, _("The document cannot be canonicalized for checking: {error}").format(error=first_line)) from None
    except Exception as e:  # a junk proof configuration reaching pyld
        raise _Fail("CANONICALIZATION_ERROR", _("The proof cannot be canonicalized ({error}); ask the issuer to re-sign "
                                                "the document.").format(error=type(e).__name__)) from None
    if not vm.public_key.verify(signature, data):
        raise _Fail("INVALID_SIGNATURE", _("The signature does not match: the document was changed after signing, "
                                           "or signed by another key; do not trust it."))
    return vm.controller


def _strict_canon(document: dict[str, Any], registry: ContextRegistry | None, limits: Limits | None) -> bytes | EcvetError:
    """The strict JSON-LD check of the document without its proofs (RDFC-1.0 refuses undefined terms)."""
    return _canon_or_error(STRICT_JSONLD, _without_proof(document), None, registry, limits)


def _canon_or_error(suite: Cryptosuite, unsecured: dict[str, Any], key_type: str | None, registry: ContextRegistry | None,
                    limits: Limits | None) -> bytes | EcvetError:
    """Canonical document bytes, or the EcvetError (cached too: every proof fails the same way)."""
    try:
        return suite.canonicalize(unsecured, key_type=key_type, registry=registry, limits=limits)
    except EcvetError as e:
        return e
    except Exception as e:  # pyld and friends raise their own types for junk JSON-LD
        from ecvet_credentials.core.errors import CanonicalizationError

        return CanonicalizationError(f"{type(e).__name__}: {str(e)[:200]}")


def _without_proof(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "proof"}


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
