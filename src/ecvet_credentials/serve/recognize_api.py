"""POST /ecvet/recognize: what `ecvet recognize` does, over HTTP. The body carries the transcript, the
agreement, optionally the MoU credential, the validation and the unit-by-unit decisions; the same library
calls as the CLI decide (ecvet.recognition: who may recognise, the decisions' rules, verify then sign)."""
from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ecvet_credentials.core.errors import EcvetError, InputError
from ecvet_credentials.core.timeutil import utc_today
from ecvet_credentials.serve.problems import Problem, ProblemResponse
from ecvet_credentials.serve.requests import json_object, member, require_token, run_bounded, service_of

DECISION_KEYS = {"recognised", "reason", "consequences", "countsFor"}
VALIDATION_KEYS = {"by", "method", "date"}


def _day(value: str | None, name: str, default: date | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        raise Problem(400, f"'{name}' must be a date like 2026-12-10.") from None


def decisions_of(raw: dict | None) -> dict:
    """`decisions` ({CODE: {recognised, reason, consequences, countsFor}}) as the library's unit decisions."""
    from ecvet_credentials.ecvet.recognition import unit_decisions

    recognise, refuse, consequences, counts_for = [], [], [], []
    for code, d in (raw or {}).items():
        if not isinstance(d, dict) or set(d) - DECISION_KEYS:
            raise Problem(400, f"decisions.{code} must be an object with {', '.join(sorted(DECISION_KEYS))}.")
        recognised, reason = d.get("recognised"), d.get("reason")
        if recognised not in (None, True, False):
            raise Problem(400, f"decisions.{code}.recognised must be true or false.")
        if reason is not None and recognised is not False:
            raise Problem(400, f"decisions.{code}.reason is the reason a unit is refused: give \"recognised\": false.")
        if recognised is True:
            recognise.append(code)
        elif recognised is False:
            refuse.append((code, reason))
        texts = d.get("consequences") or []
        if not isinstance(texts, list):
            raise Problem(400, f"decisions.{code}.consequences must be an array of texts.")
        consequences += [(code, t) for t in texts]
        if d.get("countsFor") is not None:
            counts_for.append((code, d["countsFor"]))
    try:
        return unit_decisions(recognise=recognise, refuse=refuse, consequences=consequences, counts_for=counts_for)
    except InputError as exc:
        raise Problem(400, str(exc), code=exc.code) from None


async def recognize(request: Request) -> Response:
    require_token(request)
    service = service_of(request)
    body = await json_object(request)
    pt = member(body, "transcript", dict, what="the Personal Transcript credential")
    la = member(body, "agreement", dict, what="the signed Learning Agreement credential")
    mou = member(body, "mou", dict, required=False)
    responsible, role = member(body, "responsible", str, required=False), member(body, "role", str, required=False)
    decision = _day(member(body, "decisionDate", str, required=False), "decisionDate", utc_today())
    decisions = decisions_of(member(body, "decisions", dict, required=False))
    raw_validation = member(body, "validation", dict, required=False) or {}
    if set(raw_validation) - VALIDATION_KEYS or not all(isinstance(v, str) for v in raw_validation.values()):
        raise Problem(400, f"'validation' takes the texts {', '.join(sorted(VALIDATION_KEYS))}.")
    validated_on = _day(raw_validation.get("date"), "validation.date", decision)
    return await run_bounded(request, _work, service, pt, la, mou, decision, responsible, role, decisions,
                             (validated_on, raw_validation.get("method"), raw_validation.get("by")))


def _work(service, pt, la, mou, decision, responsible, role, decisions, validation) -> Response:
    """As `ecvet recognize` (the same library calls): who may recognise, then refuse with the reasons,
    else sign and record."""
    from ecvet_credentials.ecvet.recognition import awarding_institution, default_validation
    from ecvet_credentials.ecvet.recognition import recognize as recognize_transcript
    from ecvet_credentials.model import Person

    try:
        awarding = awarding_institution(la, service.key.did, mou=mou, trust=service.trust)
        day, method, by = validation
        outcome = recognize_transcript(
            pt, la, service.key, verify=lambda doc, agreement: service.verify(doc, agreement=agreement, mou=mou),
            decision_date=decision, responsible=responsible, role=role, registry=service.registry,
            status_base_url=service.config.base_url(), cryptosuite=service.cryptosuite, decisions=decisions,
            validation=default_validation(la, day, method=method, person=Person(by) if by else None), awarding=awarding)
    except InputError as exc:
        status = 422 if exc.code == "NOT_HOME_INSTITUTION" else 400
        raise Problem(status, str(exc), code=exc.code) from None
    except EcvetError as exc:
        raise Problem(422, f"The Recognition credential cannot be issued: {exc}", code=exc.code) from None
    if outcome.refused:
        reasons = [{"document": r.document, "check": r.check, "code": r.code, "message": f"{r.label}: {r.message}"}
                   for r in outcome.refusals]
        return ProblemResponse({"type": "https://w3id.org/ecvet-credentials/problems/recognition-refused",
                                "title": "Recognition refused", "status": 422,
                                "detail": "The Recognition credential was not issued: " + "; ".join(
                                    f"{r['document']}: {r['message']}" for r in reasons),
                                "reasons": reasons, "warnings": outcome.warnings}, status_code=422)
    result = outcome.issued
    assert result is not None  # (issued whenever not refused)
    if result.already_issued:
        raise Problem(409, f"This transcript was recognised before: {result.credential['id']} (one recognition per "
                           "transcript).", credentialId=result.credential["id"])
    return JSONResponse({"verifiableCredential": result.credential, "warnings": outcome.warnings}, status_code=201)
