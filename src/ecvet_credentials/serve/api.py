"""The machine interface: the VC-API subset the W3C test suites call, plus our QR and recognition
endpoints. Changing endpoints (issue, status, recognize) need the bearer token; verifying is open."""
from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecvet_credentials.core.errors import (
    BatchConflictError,
    EcvetError,
    InputError,
    RevocationFinalError,
    UnknownCredentialError,
)
from ecvet_credentials.i18n import _
from ecvet_credentials.render.qr.images import is_image
from ecvet_credentials.verify.report import CHECK_ORDER
from ecvet_credentials.serve import recognize_api
from ecvet_credentials.serve.documents import document_from_upload
from ecvet_credentials.serve.problems import Problem, ProblemResponse
from ecvet_credentials.serve.requests import (
    form_fields,
    json_object,
    media_type,
    member,
    read_body,
    require_token,
    run_bounded,
    service_of,
)

log = logging.getLogger("ecvet.serve")
# VC-API check names -> our check ids (our own ids are accepted as they are)
CHECK_ALIASES = {"credentialStatus": "status", "expiration": "validity-period", "validity": "validity-period",
                 "issuer": "issuer-binding", "contexts": "contexts"}
STATUS_WORDS = {"revoked": ("revocation", True), "suspended": ("suspension", True), "active": ("suspension", False)}


# --- verify ------------------------------------------------------------------------------------
def _checks(options: dict) -> list[str] | None:
    raw = options.get("checks")
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
        raise Problem(400, "options.checks must be a non-empty array of check names.")
    names: list[str] = raw
    ids = [CHECK_ALIASES.get(c, c) for c in names]
    unknown = [c for c, i in zip(raw, ids) if i not in CHECK_ORDER]
    if unknown:
        raise Problem(400, f"Unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECK_ORDER)} "
                           f"(and the VC-API names {', '.join(CHECK_ALIASES)}).")
    return ids


def _option_str(options: dict, name: str) -> str | None:
    value = options.get(name)
    if value is not None and not isinstance(value, str):
        raise Problem(400, f"options.{name} must be a string.")
    return value


def report_response(report) -> Response:
    """200 with the report when verified; 422 problem details carrying the report otherwise."""
    body = report.to_json()
    if report.verified:
        return JSONResponse(body)
    failed = ", ".join(f"{c.id} ({c.code})" for c in report.failed_checks) or "no check ran"
    return ProblemResponse({"type": "https://w3id.org/ecvet-credentials/problems/not-verified", "title": "Not verified",
                            "status": 422, "detail": f"Not verified: {failed}.", **body}, status_code=422)


async def _verify(request: Request, *, field: str, presentation: bool) -> Response:
    from ecvet_credentials.verify.presentation import is_presentation

    body = await json_object(request)
    document = member(body, field, dict, what="a JSON object")
    options = member(body, "options", dict, required=False) or {}
    if is_presentation(document) != presentation:
        other = "/presentations/verify" if not presentation else "/credentials/verify"
        raise Problem(400, f"'{field}' is {'not ' if presentation else ''}a VerifiablePresentation; use {other}.")
    agreement = options.get("agreement")
    if agreement is not None and not isinstance(agreement, dict):
        raise Problem(400, "options.agreement must be the Learning Agreement credential (a JSON object).")
    challenge, domain = _option_str(options, "challenge"), _option_str(options, "domain")
    report = await run_bounded(request, service_of(request).verify, document, checks=_checks(options),
                               challenge=challenge, domain=domain, agreement=agreement)
    return report_response(report)


async def verify_credential(request: Request) -> Response:
    return await _verify(request, field="verifiableCredential", presentation=False)


async def verify_presentation(request: Request) -> Response:
    return await _verify(request, field="verifiablePresentation", presentation=True)


async def verify_qr(request: Request) -> Response:
    """An image (raw image/png or image/jpeg body, or multipart `file` + optional `agreement`)."""
    service = service_of(request)
    mt = media_type(request)
    agreement_bytes = None
    if mt in ("image/png", "image/jpeg"):
        image = await read_body(request)
    elif mt == "multipart/form-data":
        files = (await form_fields(request, file_fields=("file", "agreement"), text_fields=()))[0]
        image, agreement_bytes = files.get("file"), files.get("agreement")
    else:
        raise Problem(415, "Send the QR photo as image/png or image/jpeg, or as multipart/form-data field 'file'.")
    if not image:
        raise Problem(400, "No image was sent.")
    if not is_image(image):
        raise Problem(400, "The upload is not a PNG or JPEG image.")

    def work():
        from ecvet_credentials.serve.documents import parse_object

        limit = service.config.max_json_bytes
        agreement = parse_object(agreement_bytes, name=_("the agreement"), max_bytes=limit) if agreement_bytes else None
        document = document_from_upload(image, name=_("the image"), agreement=agreement, max_bytes=limit)
        return service.verify(document, agreement=agreement)

    try:
        report = await run_bounded(request, work)
    except InputError as exc:
        if exc.code == "QR_BUSY":  # every image decoder slot stayed taken (qr/images.py): come back later
            raise Problem(503, str(exc), code=exc.code, headers={"Retry-After": "10"}) from None
        raise Problem(400, str(exc), code=exc.code) from None
    return report_response(report)


# --- issue ---------------------------------------------------------------------------------------
ECVET_TYPES = "EcvetLearningAgreement, EcvetPersonalTranscript, EcvetRecognition"


def _issue_profile(service, credential: dict) -> str:
    """ECVET for anything claiming to be ECVET; otherwise generic, if this server allows it (422 saying how)."""
    from ecvet_credentials.ecvet.issue import profile_for

    profile = profile_for(credential)
    if profile in service.config.profiles:
        return profile
    if profile == "generic":
        raise Problem(422, "The credential cannot be issued: it is not an ECVET credential (its type has none of "
                           f"{ECVET_TYPES}) and this server signs only ECVET credentials. To sign generic VC 2.0 "
                           'credentials (e.g. for the W3C interop test suites), set [issuer] profiles = ["ecvet", '
                           '"generic"] in the server config.', code="PROFILE_NOT_ENABLED", profile=profile)
    raise Problem(422, 'The credential cannot be issued: this server does not sign ECVET credentials (add "ecvet" '
                       "to [issuer] profiles in the server config).", code="PROFILE_NOT_ENABLED", profile=profile)


def _issue_cryptosuite(service, options: dict) -> str:
    """options.cryptosuite when this server's key can make it, else the configured one."""
    from ecvet_credentials.proofs import SUITES

    name = _option_str(options, "cryptosuite")
    if name is None:
        return service.cryptosuite
    usable = [n for n, s in SUITES.items() if service.key.key_type in s.key_types]
    if name not in usable:
        why = "is not supported" if name not in SUITES else f"needs another key type than this server's {service.key.key_type} key"
        raise Problem(422, f"The cryptosuite {name!r} {why}; this server can sign with {', '.join(usable)}.",
                      code="CRYPTOSUITE_NOT_SUPPORTED")
    return name


def _check_status_option(service, options: dict) -> None:
    """options.credentialStatus (VC-API) may only ask for what the registry gives every credential."""
    wanted = options.get("credentialStatus")
    if wanted is None:
        return
    if not isinstance(wanted, dict) or wanted.get("type") != "BitstringStatusListEntry":
        raise Problem(400, 'options.credentialStatus must be {"type": "BitstringStatusListEntry"}.')
    if service.registry is None:
        raise Problem(422, "This server runs without a registry, so it cannot give credentials a status "
                           "(enable [registry] in the server config).", code="STATUS_NOT_AVAILABLE")


async def issue(request: Request) -> Response:
    from ecvet_credentials.ecvet.issue import issue_credential

    require_token(request)
    service = service_of(request)
    body = await json_object(request)
    credential = dict(member(body, "credential", dict, what="the unsigned credential"))
    options = member(body, "options", dict, required=False) or {}
    created = _option_str(options, "created")
    if created is not None:
        from ecvet_credentials.core.timeutil import parse_datetime

        if parse_datetime(created) is None:
            raise Problem(400, "options.created must be an ISO 8601 date-time like 2026-11-20T15:00:00Z.")
    _check_status_option(service, options)
    if options.get("credentialStatus") is not None and "credentialStatus" in credential:
        raise Problem(422, "The credential brings its own credentialStatus and options.credentialStatus asks the "
                           "registry for another one; send one or the other.", code="STATUS_CONFLICT")
    profile = _issue_profile(service, credential)
    cryptosuite = _issue_cryptosuite(service, options)
    if "issuer" not in credential:
        credential["issuer"] = service.key.did  # VC-API: the issuer is this instance's configured one
    proposed = credential.get("id")

    def work():
        return issue_credential(credential, service.key, cryptosuite=cryptosuite, created=created, profile=profile,
                                registry=service.registry, status_base_url=service.config.base_url())

    try:
        result = await run_bounded(request, work)
    except BatchConflictError as exc:
        raise Problem(409, str(exc), code=exc.code) from None
    except EcvetError as exc:
        raise Problem(422, f"The credential cannot be issued: {exc}", code=exc.code,
                      **({"issues": exc.details["issues"]} if "issues" in exc.details else {})) from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a shape the library did not expect
        log.warning("issue refused a malformed credential (%s: %s)", type(exc).__name__, exc)
        raise Problem(422, "The credential cannot be issued: it is malformed.", code="MALFORMED_CREDENTIAL") from None
    log.info("issued %s (%s)%s", result.credential.get("id"), profile, f" (proposed {proposed})" if proposed else "")
    return JSONResponse({"verifiableCredential": result.credential}, status_code=201)


# --- status ------------------------------------------------------------------------------------
async def get_status_list(request: Request) -> Response:
    service = service_of(request)
    list_id = request.path_params["list_id"]
    doc = await run_bounded(request, service.own_lists.by_id, list_id) if service.own_lists else None
    if doc is None:
        raise Problem(404, f"This server publishes no status list {list_id!r}.")
    from ecvet_credentials.serve.status_http import status_list_response

    return status_list_response(request, doc)


async def get_catalogue(request: Request) -> Response:
    """A unit catalogue published by digest (`ecvet status publish --agreement`), beside the status lists."""
    from ecvet_credentials.render.qr.catalogue_fetch import published_catalogue

    digest = request.path_params["digest"]
    home = service_of(request).config.home
    body = published_catalogue(home, digest) if home is not None else None
    if body is None:
        raise Problem(404, f"This server publishes no unit catalogue {digest[:20]!r}.")
    return Response(body, media_type="application/json", headers={"Cache-Control": "public, max-age=86400"})


def _status_changes(entries) -> list[tuple[str, bool]]:
    if not isinstance(entries, list) or not entries:
        raise Problem(400, "'credentialStatus' must be a non-empty array like "
                           '[{"type": "BitstringStatusListEntry", "status": "revoked"}].')
    changes = []
    for n, entry in enumerate(entries):
        where = f"credentialStatus[{n}]"
        if not isinstance(entry, dict) or entry.get("type", "BitstringStatusListEntry") != "BitstringStatusListEntry":
            raise Problem(400, f"{where} must be an object with type BitstringStatusListEntry.")
        status, purpose = entry.get("status"), entry.get("statusPurpose")
        if isinstance(status, str) and status in STATUS_WORDS:
            changes.append(STATUS_WORDS[status])
        elif isinstance(status, bool) and purpose in ("revocation", "suspension"):
            changes.append((purpose, status))
        else:
            raise Problem(400, f"{where}.status must be 'revoked', 'suspended' or 'active' (or statusPurpose "
                               "'revocation'/'suspension' with status true/false).")
    return changes


async def update_status(request: Request) -> Response:
    require_token(request)
    service = service_of(request)
    if service.registry is None:
        raise Problem(403, "This server runs without a registry; there is no status to change.")
    body = await json_object(request)
    credential_id = member(body, "credentialId", str, what="the id of an issued credential")
    changes = _status_changes(body.get("credentialStatus"))
    reason = member(body, "reason", str, required=False) or "changed through the API"

    def work():
        record = service.registry.status_of(credential_id)
        if record.issuer_did != service.key.did:
            raise Problem(403, f"{credential_id} was issued by {record.issuer_did}, not by this server's key.")
        changed = [service.registry.set_status(credential_id, purpose, value, who="api", reason=reason)
                   for purpose, value in changes]
        return service.registry.status_of(credential_id), any(changed)

    try:
        record, changed = await run_bounded(request, work)
    except UnknownCredentialError:
        raise Problem(404, f"{credential_id} is not in this server's registry.") from None
    except RevocationFinalError as exc:
        raise Problem(409, str(exc), code=exc.code) from None
    return JSONResponse({"credentialId": credential_id, "state": record.state, "changed": changed})


ROUTES = [
    Route("/credentials/issue", issue, methods=["POST"]),
    Route("/credentials/verify", verify_credential, methods=["POST"]),
    Route("/presentations/verify", verify_presentation, methods=["POST"]),
    Route("/status", update_status, methods=["POST"]),
    Route("/status/{list_id}", get_status_list, methods=["GET"]),
    Route("/status/catalogues/{digest}.json", get_catalogue, methods=["GET"]),
    Route("/verify/qr", verify_qr, methods=["POST"]),
    Route("/ecvet/recognize", recognize_api.recognize, methods=["POST"]),
]
