"""Exception tree and stable error codes.

Two families:
- `InputError` (and subclasses): the input cannot be read or is out of bounds. The CLI exits 2.
- `EcvetError` otherwise: a document was read but is not acceptable (strict JSON-LD, schema, proof).
  Verification never lets these escape; it turns them into failed checks of a report.
Programmer errors (wrong argument types, missing required options) raise TypeError/ValueError.
"""
from __future__ import annotations


class EcvetError(Exception):
    """Base class. `code` is stable and appears in reports and JSON output."""

    code = "ECVET_ERROR"

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.details = details or {}

    @property
    def message(self) -> str:
        return str(self)


# --- input that cannot be read (exit 2) -------------------------------------------------------
class InputError(EcvetError):
    code = "INVALID_INPUT"


class NotJsonError(InputError):
    code = "NOT_JSON"


class LimitExceededError(InputError):
    """A bound (bytes, depth, blank nodes, time) was exceeded before or while canonicalizing."""

    code = "LIMIT_EXCEEDED"


class UnknownContextError(InputError):
    """A @context URL that is not bundled. Nothing is ever fetched."""

    code = "UNKNOWN_CONTEXT"


# --- JSON-LD processing -------------------------------------------------------------------------
class JsonLdError(EcvetError):
    code = "JSONLD_ERROR"


class StrictJsonLdError(JsonLdError):
    """The document uses something the contexts do not define (data would be lost or reinterpreted).

    Codes: DATA_LOSS_DETECTION (undefined property), UNDEFINED_TYPE, RELATIVE_IRI, NOT_ROUND_TRIP.
    """

    code = "DATA_LOSS_DETECTION"


class CanonicalizationError(JsonLdError):
    code = "CANONICALIZATION_ERROR"


# --- keys, DIDs, proofs -------------------------------------------------------------------------
class KeyFileError(EcvetError):
    code = "KEY_ERROR"


class PassphraseError(KeyFileError):
    code = "PASSPHRASE_REQUIRED"


class DidResolutionError(EcvetError):
    code = "DID_RESOLUTION_ERROR"


class ProofError(EcvetError):
    code = "PROOF_ERROR"


class SchemaError(EcvetError):
    code = "SCHEMA_INVALID"


class AuthoringError(InputError):
    """An authoring file (YAML/JSON/CSV) is wrong; the message names the file, row and field."""

    code = "AUTHORING_ERROR"


# --- status lists and the issuer registry (issue 4) ---------------------------------------------
class StatusListError(EcvetError):
    """A status list or status entry is malformed: bad encoding, too short, index out of range.

    Codes: STATUS_LIST_INVALID, STATUS_LIST_TOO_SHORT, STATUS_ENTRY_INVALID.
    """

    code = "STATUS_LIST_INVALID"


class StatusListUnavailableError(EcvetError):
    """A status list could not be obtained (not published locally, not cached, host not allowed).

    Codes: STATUS_LIST_UNAVAILABLE, STATUS_FETCH_REFUSED, STATUS_FETCH_FAILED.
    """

    code = "STATUS_LIST_UNAVAILABLE"


class RegistryError(EcvetError):
    code = "REGISTRY_ERROR"


class UnknownCredentialError(RegistryError):
    code = "UNKNOWN_CREDENTIAL"


class RevocationFinalError(RegistryError):
    """A revoked credential cannot be reinstated or have its suspension changed."""

    code = "REVOCATION_FINAL"


class BatchConflictError(RegistryError):
    """A re-run of a batch row disagrees with what was recorded (other credential id, type or digest)."""

    code = "BATCH_CONFLICT"


# --- QR payloads (issue 6) ----------------------------------------------------------------------
class QrPayloadError(InputError):
    """A QR code or QR image cannot be turned back into a credential (or a credential into QR codes).

    Codes: QR_PAYLOAD_INVALID (prefix, header, Base45, DEFLATE), QR_UNKNOWN_VERSION, QR_DICTIONARY_MISSING,
    QR_DICTIONARY_MISMATCH, QR_CHUNKS_INCOMPLETE, QR_CHUNKS_MISMATCH, QR_TOO_LARGE, QR_NOT_FOUND, QR_LINK_ONLY, QR_CONTACT_DETAILS.
    """

    code = "QR_PAYLOAD_INVALID"
