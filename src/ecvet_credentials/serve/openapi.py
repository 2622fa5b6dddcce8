"""The OpenAPI document served at /openapi.json (written by hand: the routes are few, and the schemas
say exactly what the handlers accept, which the Schemathesis test relies on)."""
from __future__ import annotations

from ecvet_credentials import __version__
from ecvet_credentials.serve.config import CRYPTOSUITES

_OBJ = {"type": "object"}
_PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _problems(*codes: int) -> dict:
    text = {400: "Bad input", 401: "No or wrong API token", 403: "Writes disabled or not this issuer's",
            404: "Unknown", 409: "Conflict", 413: "Body too large", 415: "Wrong content type",
            422: "Not verified / cannot be done", 503: "Timed out"}
    return {str(c): {"description": text[c], "content": {"application/problem+json": {"schema": _PROBLEM}}} for c in codes}


def _json_body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _report(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}}


VERIFY_OPTIONS = {"type": "object", "properties": {
    "checks": {"type": "array", "items": {"type": "string"}, "description": "Only these checks (ids or VC-API names)."},
    "challenge": {"type": "string"}, "domain": {"type": "string"},
    "agreement": {"type": "object", "description": "ECVET: the signed Learning Agreement a transcript is matched against."}}}

ISSUE_OPTIONS = {"type": "object", "properties": {
    "created": {"type": "string", "description": "The proof's created date-time (default: now)."},
    "cryptosuite": {"type": "string", "enum": list(CRYPTOSUITES),
                    "description": "One that fits this server's key type (else 422); default: the configured one."},
    "credentialStatus": {"type": "object", "properties": {"type": {"type": "string", "enum": ["BitstringStatusListEntry"]}},
                         "description": "Status entries are added whenever the registry is enabled; asking for "
                                        "them without a registry is 422."}}}

SECURITY: list[dict[str, list[str]]] = [{"bearer": []}]


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "ecvet-credentials VC-API", "version": __version__,
                 "description": "Issue, verify and manage the status of ECVET learning-mobility credentials "
                                "(W3C VC-API subset). Errors are RFC 9457 problem details."},
        "paths": {
            "/credentials/issue": {"post": {
                "summary": "Sign a credential with this institution's key", "security": SECURITY,
                "description": "ECVET credentials get the ECVET schema and rules. Other VC 2.0 credentials are "
                               "signed only when the server config has [issuer] profiles = [\"ecvet\", \"generic\"] "
                               "(VC 2.0 structure and strict JSON-LD checks); otherwise 422 PROFILE_NOT_ENABLED.",
                "requestBody": _json_body({"type": "object", "required": ["credential"], "properties": {
                    "credential": _OBJ, "options": ISSUE_OPTIONS}}),
                "responses": {"201": {"description": "Issued", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"verifiableCredential": _OBJ}}}}},
                    **_problems(400, 401, 403, 409, 413, 415, 422, 503)}}},
            "/credentials/verify": {"post": {
                "summary": "Verify a credential (200 only when verified)",
                "requestBody": _json_body({"type": "object", "required": ["verifiableCredential"], "properties": {
                    "verifiableCredential": _OBJ, "options": VERIFY_OPTIONS}}),
                "responses": {"200": _report("Verified"), **_problems(400, 413, 415, 422, 503)}}},
            "/presentations/verify": {"post": {
                "summary": "Verify a presentation (challenge and domain in options)",
                "requestBody": _json_body({"type": "object", "required": ["verifiablePresentation"], "properties": {
                    "verifiablePresentation": _OBJ, "options": VERIFY_OPTIONS}}),
                "responses": {"200": _report("Verified"), **_problems(400, 413, 415, 422, 503)}}},
            "/status": {"post": {
                "summary": "Revoke, suspend or reinstate an issued credential", "security": SECURITY,
                "requestBody": _json_body({"type": "object", "required": ["credentialId", "credentialStatus"], "properties": {
                    "credentialId": {"type": "string"}, "reason": {"type": "string"},
                    "credentialStatus": {"type": "array", "minItems": 1, "items": {"type": "object", "properties": {
                        "type": {"type": "string", "enum": ["BitstringStatusListEntry"]},
                        "status": {"type": "string", "enum": ["revoked", "suspended", "active"]}}}}}}),
                "responses": {"200": {"description": "Current state", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"credentialId": {"type": "string"}, "state": {"type": "string"},
                                                     "changed": {"type": "boolean"}}}}}},
                    **_problems(400, 401, 403, 404, 409, 413, 415, 503)}}},
            "/status/{list_id}": {"get": {
                "summary": "A signed BitstringStatusListCredential of this issuer",
                "parameters": [{"name": "list_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The list, in the media type the Accept header prefers",
                                       "content": {t: {"schema": _OBJ} for t in (
                                           "application/vc", "application/vc+ld+json", "application/ld+json",
                                           "application/json")}},
                              **_problems(404, 503)}}},
            "/verify/qr": {"post": {
                "summary": "Verify the credential in a QR code photo",
                "requestBody": {"required": True, "content": {
                    "image/png": {"schema": {"type": "string", "format": "binary"}},
                    "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "agreement": {"type": "string", "format": "binary"}}}}}},
                "responses": {"200": _report("Verified"), **_problems(400, 413, 415, 422, 503)}}},
            "/ecvet/recognize": {"post": {
                "summary": "Verify a Personal Transcript against its Learning Agreement and issue the Recognition",
                "security": SECURITY,
                "requestBody": _json_body({"type": "object", "required": ["transcript", "agreement"], "properties": {
                    "transcript": _OBJ, "agreement": _OBJ, "mou": _OBJ, "responsible": {"type": "string"},
                    "role": {"type": "string"}, "decisionDate": {"type": "string", "format": "date"},
                    "validation": {"type": "object", "properties": {
                        "by": {"type": "string"}, "method": {"type": "string"}, "date": {"type": "string", "format": "date"}}},
                    "decisions": {"type": "object", "additionalProperties": {"type": "object", "properties": {
                        "recognised": {"type": "boolean"}, "reason": {"type": "string"},
                        "consequences": {"type": "array", "items": {"type": "string"}},
                        "countsFor": {"type": "string"}}}}}}),
                "responses": {"201": {"description": "Recognition issued", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"verifiableCredential": _OBJ}}}}},
                    **_problems(400, 401, 403, 409, 413, 415, 422, 503)}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"}}},
                "Report": {"type": "object", "required": ["verified", "checks"], "properties": {
                    "verified": {"type": "boolean"}, "checks": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "outcome": {"type": "string"}, "code": {"type": "string"},
                        "message": {"type": "string"}}}}}},
            },
        },
    }
