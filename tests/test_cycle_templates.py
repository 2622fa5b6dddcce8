"""The ECVET manual's templates, field by field (tests/data/templates/ecvet-manual-fields.json): each
field is written from the filled templates (examples/mou.yaml, examples/learning-agreement.yaml,
tests/data/templates/transcript.yaml), signed (every proof verifies), read back from the signed
credential, and shown on the verification page and on the printout."""
from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).parent / "data" / "templates"
FIELDS = json.loads((TEMPLATES / "ecvet-manual-fields.json").read_text())["fields"]


def _resolve(model, path: str):
    for part in path.split("."):
        match = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", part)
        model = getattr(model, match.group(1))
        if match.group(2) is not None:
            model = model[int(match.group(2))]
    return model.get("en") if hasattr(model, "values") and hasattr(model, "to_json") else model  # LangText: English


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """The filled templates, written and signed as the cycle does: the MoU (every partner), the LA made
    under it (every party), the transcript with the assessment sheet (host, workplace supervisor,
    learner), and the recognition (validation, decisions unit by unit)."""
    from dataclasses import replace
    from datetime import date

    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.crypto.keys import load_key_file
    from ecvet_credentials.ecvet.agreement_signatures import sign_agreement
    from ecvet_credentials.model import (
        Person,
        build_agreement_credential,
        build_mou_credential,
        build_recognition_credential,
        build_transcript_credential,
        reference_to,
    )
    from ecvet_credentials.proofs import sign
    from ecvet_credentials.ecvet.recognition import UnitDecision, build_recognition, default_validation

    keys = {n: load_key_file(REPO / "keys-example" / f"{n}.key", passphrase=b"ecvet-example-do-not-use")
            for n in ("home", "host", "learner", "guardian", "authority", "supervisor")}

    def signed(doc, parties, created):
        for party in parties:
            doc, _ = sign_agreement(doc, keys[party], created=created)
        return doc

    mou = signed(build_mou_credential(load(REPO / "examples" / "mou.yaml").model, valid_from="2026-01-10T00:00:00Z"),
                 ("home", "host", "authority"), "2026-01-12T10:00:00Z")
    import yaml

    la_file = tmp_path_factory.mktemp("la") / "learning-agreement.yaml"
    la_yaml = yaml.safe_load((REPO / "examples" / "learning-agreement.yaml").read_text(encoding="utf-8"))
    for who, extra in yaml.safe_load((TEMPLATES / "learning-agreement-contacts.yaml").read_text()).items():
        la_yaml[who].update(extra)  # the learner's and guardian's address and telephone, authored as any field
    la_file.write_text(yaml.safe_dump(la_yaml, allow_unicode=True), encoding="utf-8")
    la_model = replace(load(la_file).model, mou=reference_to(mou))
    la = signed(build_agreement_credential(la_model, valid_from="2026-09-15T00:00:00Z"),
                ("home", "host", "learner", "guardian"), "2026-09-15T10:00:00Z")
    pt_model = replace(load(TEMPLATES / "transcript.yaml").model, agreement=reference_to(la))
    pt = sign(build_transcript_credential(pt_model, valid_from="2026-11-20T15:00:00Z"), keys["host"],
              created="2026-11-20T15:00:00Z")
    pt = signed(pt, ("supervisor", "learner"), "2026-11-21T09:00:00Z")
    decisions = {"ENO-U1": UnitDecision(consequences=("exempt from the hot-kitchen module exam",),
                                        counts_for="IeFP-RIST module 3")}
    rec_model = build_recognition(pt, la, decision_date=date(2026, 12, 10), responsible=Person("Laura Bianchi"),
                                  validation=default_validation(la, date(2026, 12, 8)), decisions=decisions)
    rec = sign(build_recognition_credential(rec_model, valid_from="2026-12-10T10:00:00Z"), keys["home"])
    return {"mou.json": mou, "learning-agreement.json": la, "transcript.json": pt, "recognition.json": rec}


@pytest.fixture(scope="module")
def shown(documents):
    """Per document: (signed credential, model read back, page HTML, printout HTML)."""
    from ecvet_credentials.i18n import Messages
    from ecvet_credentials.render.html.views import content
    from ecvet_credentials.verify.agreement_signatures import signature_status
    from ecvet_credentials.model import from_credential
    from ecvet_credentials.render.page import render_printable

    out = {}
    for name, doc in documents.items():
        signatures = signature_status(doc) if doc["type"][1] != "EcvetRecognition" else None
        out[name] = (doc, from_credential(doc), content(Messages("en"), doc, signatures=signatures),
                     render_printable(doc))
    return out


def test_the_transcript_is_signed_by_host_supervisor_and_learner(documents):
    from ecvet_credentials.verify.agreement_signatures import signature_status

    status = signature_status(documents["transcript.json"])
    assert status.complete and set(status.signed) == {"host", "supervisor 1", "learner"}
    assert [s["name"] for s in status.to_json()["optional"] if s.get("name")] == ["Giulia Rossi"]


def test_every_template_has_fields():
    assert {f["template"] for f in FIELDS} == {"learning-agreement", "skills-assessment-sheet", "personal-transcript",
                                              "recognition", "mou"}


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f"{f['template']}: {f['field']}")
def test_template_field_is_written_signed_read_back_and_shown(shown, documents, field):
    from ecvet_credentials.proofs import verify_proofs

    doc, model, page, printout = shown[field["document"]]
    expected = field["value"].format(mou_id=documents["mou.json"]["id"])
    assert str(_resolve(model, field["read"])) == expected  # written, and read back from the signed credential
    results = verify_proofs(doc).results
    assert results and all(r.verified for r in results)   # signed: the field is covered by every proof
    if field.get("public_page", True):
        assert escape(expected) in page, f"{field['field']} is not on the verification page"
    else:  # personal contact details: the public verification page leaves them out, the full view shows them
        assert escape(expected) not in page, f"{field['field']} is on the public verification page"
        assert escape(expected) in _full_view(doc), f"{field['field']} is not in the document's full view"
    assert escape(expected) in printout, f"{field['field']} is not on the printout"


def _full_view(doc) -> str:
    from ecvet_credentials.i18n import Messages
    from ecvet_credentials.render.html.views import content

    return content(Messages("en"), doc, contact=True)


def test_contact_details_stay_out_of_qr_codes_unless_asked(documents, shown):
    """The learner's and guardian's address and telephone are printed, but no QR code carries them by default:
    the printout says why it has none, encoding refuses (or makes a link code), and on request they go in."""
    from ecvet_credentials.core.errors import QrPayloadError
    from ecvet_credentials.render.qr import decode_texts, encode_credential

    for name in ("learning-agreement.json", "transcript.json"):
        data = json.dumps(documents[name], separators=(",", ":")).encode("utf-8")
        with pytest.raises(QrPayloadError) as refused:
            encode_credential(data)
        assert refused.value.code == "QR_CONTACT_DETAILS"
        link = encode_credential(data, url_base="https://school.example/c")
        assert link.mode == "link" and "Pratello" not in link.texts[0]
        on_purpose = encode_credential(data, contact_details=True)
        assert decode_texts(on_purpose.texts) == data
        printout = shown[name][3]
        assert 'id="no-qr"' in printout and "data-qr-text" not in printout
    recognition = json.dumps(documents["recognition.json"], separators=(",", ":")).encode("utf-8")
    assert encode_credential(recognition).mode in ("single", "chunked")  # no contact details: codes as before


def test_a_changed_field_breaks_every_signature(shown):
    from ecvet_credentials.proofs import verify_proofs

    doc = json.loads(json.dumps(shown["transcript.json"][0]))
    doc["credentialSubject"]["hasClaim"]["assessmentSheet"][0]["assessmentCriterion"][2]["rating"] = "1"
    assert not any(r.verified for r in verify_proofs(doc).results)
