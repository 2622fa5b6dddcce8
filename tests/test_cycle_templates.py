"""The ECVET manual's templates, field by field (tests/data/templates/ecvet-manual-fields.json): each
field is written by `ecvet demo` from the example authoring files, signed (every proof verifies), read
back from the signed credential, and shown on the verification page and on the printout."""
from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pytest

FIELDS = json.loads((Path(__file__).parent / "data" / "templates" / "ecvet-manual-fields.json").read_text())["fields"]


def _resolve(model, path: str):
    for part in path.split("."):
        match = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", part)
        model = getattr(model, match.group(1))
        if match.group(2) is not None:
            model = model[int(match.group(2))]
    return model.get("en") if hasattr(model, "values") and hasattr(model, "to_json") else model  # LangText: English


@pytest.fixture(scope="module")
def shown(demo_dir):
    """Per demo file: (signed credential, model read back, page HTML, printout HTML)."""
    from ecvet_credentials.html.i18n import Messages
    from ecvet_credentials.html.views import content
    from ecvet_credentials.la_signatures import signature_status
    from ecvet_credentials.model import from_credential
    from ecvet_credentials.printable import render_printable

    out = {}
    for name in {f["document"] for f in FIELDS}:
        doc = json.loads((demo_dir / name).read_text())
        signatures = signature_status(doc) if doc["type"][1] != "EcvetRecognition" else None
        out[name] = (doc, from_credential(doc), content(Messages("en"), doc, signatures=signatures),
                     render_printable(doc))
    return out


def test_every_template_has_fields():
    assert {f["template"] for f in FIELDS} == {"learning-agreement", "skills-assessment-sheet", "personal-transcript",
                                              "recognition", "mou"}


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f"{f['template']}: {f['field']}")
def test_template_field_is_written_signed_read_back_and_shown(shown, demo_dir, field):
    from ecvet_credentials.proofs import verify_proofs

    doc, model, page, printout = shown[field["document"]]
    expected = field["value"].format(mou_id=json.loads((demo_dir / "mou.json").read_text())["id"])
    assert str(_resolve(model, field["read"])) == expected  # written, and read back from the signed credential
    results = verify_proofs(doc).results
    assert results and all(r.verified for r in results)   # signed: the field is covered by every proof
    assert escape(expected) in page, f"{field['field']} is not on the verification page"
    assert escape(expected) in printout, f"{field['field']} is not on the printout"


def test_a_changed_field_breaks_every_signature(shown):
    from ecvet_credentials.proofs import verify_proofs

    doc = json.loads(json.dumps(shown["transcript.json"][0]))
    doc["credentialSubject"]["hasClaim"]["assessmentSheet"][0]["assessmentCriterion"][2]["rating"] = "1"
    assert not any(r.verified for r in verify_proofs(doc).results)
