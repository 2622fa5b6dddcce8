"""`ecvet demo`: the whole ECVET cycle on the example institutions in keys-example/.

MoU (every partner signs) -> Learning Agreement made under it (all parties sign) -> assessment and
the Personal Transcript issued by the host (recorded, status lists published) -> the home verifies
it against the agreement and the MoU -> validation, then recognition unit by unit -> the
partnership's evaluation report. Offline. The output directory is also the home
directory (registry, caches), so later commands with `--home DIR` see the demo's registry.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ecvet_credentials.core.timeutil import utc_now
from ecvet_credentials.core.files import atomic_write_bytes, atomic_write_text
from ecvet_credentials.core.paths import data_dir

EXAMPLE_PASSPHRASE = b"ecvet-example-do-not-use"
# Each example institution publishes its own lists under its own base URL (keys-example/*.institution.json).
EXAMPLE_PROFILES = {"host": "host.institution.json", "home": "home.institution.json"}
MOU_SIGNED_AT = "2026-01-12T10:00:00Z"
LA_SIGNED_AT = "2026-09-15T10:00:00Z"       # before the mobility starts (2026-09-28), as the ECVET rules want
PT_SIGNED_AT = "2026-11-20T15:00:00Z"


def _dump(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def run_demo(out: Path, *, echo: Callable[[str], None] = print) -> bool:
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.ecvet.issue import check_before_signing, issue_credential
    from ecvet_credentials.crypto.keys import load_key_file
    from ecvet_credentials.ecvet.agreement_signatures import sign_agreement
    from ecvet_credentials.verify.agreement_signatures import signature_status
    from ecvet_credentials.model import (
        LearningAgreement,
        MemorandumOfUnderstanding,
        PersonalTranscript,
        Person,
        build_agreement_credential,
        build_mou_credential,
        build_recognition_credential,
        build_transcript_credential,
        reference_to,
    )
    from ecvet_credentials.ecvet.evaluation import model_facts
    from ecvet_credentials.ecvet.recognition import UnitDecision, build_recognition, default_validation
    from ecvet_credentials.registry.store import Registry
    from ecvet_credentials.status.fetch import StatusListSource
    from ecvet_credentials.status.publish import publish_status_lists
    from ecvet_credentials.trust.signing import load_trust_registry
    from ecvet_credentials.verify import verify_credential
    from ecvet_credentials.verify.render_text import render_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    examples, key_dir = data_dir("examples"), data_dir("keys-example")
    keys = {name: load_key_file(key_dir / f"{name}.key", passphrase=EXAMPLE_PASSPHRASE)
            for name in ("home", "host", "learner", "guardian", "authority")}
    trust = load_trust_registry(key_dir / "trust-registry.json")  # the demo is the explicit example mode
    status_base = {name: example_profile(name).status_base_url for name in EXAMPLE_PROFILES}
    resolver = DidResolver()
    batch = f"demo-{uuid.uuid4()}"  # every run issues afresh; the registry keeps earlier runs
    now = utc_now()

    def write(name: str, doc: dict) -> Path:
        path = out / name
        atomic_write_text(path, _dump(doc))
        return path

    def step(text: str) -> None:
        echo("")
        echo(text)

    echo("ECVET cycle with the EXAMPLE institutions of keys-example/ (never use these keys for real)")
    step("0. The partners sign the Memorandum of Understanding (MoU)")
    authored = load(examples / "mou.yaml", expect="memorandum-of-understanding")
    assert isinstance(authored.model, MemorandumOfUnderstanding)  # (load checked the kind, as below)
    mou = build_mou_credential(authored.model, valid_from=authored.valid_from, valid_until=authored.valid_until)
    check_before_signing(mou)
    for party in ("home", "host", "authority"):
        mou, role = sign_agreement(mou, keys[party], created=MOU_SIGNED_AT)
    echo(f"   {signature_status(mou, resolver=resolver).summary()}; wrote {write('mou.json', mou)}")

    step("1. The home school (Italy) drafts the Learning Agreement under the MoU, and every party signs it")
    authored = load(examples / "learning-agreement.yaml", expect="learning-agreement")
    assert isinstance(authored.model, LearningAgreement)
    la_model = replace(authored.model, mou=reference_to(mou))
    la = build_agreement_credential(la_model, valid_from=authored.valid_from, valid_until=authored.valid_until)
    check_before_signing(la)
    la, _ = sign_agreement(la, keys["home"], created=LA_SIGNED_AT)
    for party in ("host", "learner", "guardian"):
        la, role = sign_agreement(la, keys[party], created=LA_SIGNED_AT)
        echo(f"   {role} signed")
    status = signature_status(la, resolver=resolver)
    echo(f"   signatures: {status.summary()} ({'complete' if status.complete else 'INCOMPLETE'})")
    echo(f"   wrote {write('learning-agreement.json', la)}")

    with Registry.open(out / "registry.sqlite") as registry:
        step("2. Assessment abroad, then the host school (Germany) issues the Personal Transcript")
        authored = load(examples / "transcript.yaml", expect="transcript")
        assert isinstance(authored.model, PersonalTranscript)
        pt_model = replace(authored.model, agreement=reference_to(la))
        unsigned = build_transcript_credential(pt_model, valid_from=authored.valid_from, valid_until=authored.valid_until)
        pt = issue_credential(unsigned, keys["host"], created=PT_SIGNED_AT, registry=registry, status_base_url=status_base["host"],
                              batch_id=batch, row_key=pt_model.learner.learner_id,
                              evaluation=model_facts("EcvetPersonalTranscript", pt_model, agreement=la_model),
                              write=lambda doc: write("transcript.json", doc)).credential
        echo(f"   issued {pt['id']} with revocation and suspension entries; wrote {out / 'transcript.json'}")
        echo("   (a transcript may also carry the skills assessment sheet, signed by the workplace supervisor in its "
             "proof set, see the README; this one stays small enough for one QR code)")
        for item in publish_status_lists(registry, out / "status", key=keys["host"]):
            echo(f"   published the {item.purpose} list to {item.path}")

        step("3. The home school verifies the transcript before recognising the credit")
        status_source = StatusListSource(directory=out / "status", cache_dir=out / "cache" / "status", offline=True)
        report = verify_credential(pt, trust=trust, agreement=la, mou=mou, status_source=status_source, resolver=resolver)
        echo(_indent(render_text(report)))
        if not report.verified:
            echo("   the transcript did not verify: the demo stops here")
            return False

        step("4. The class council validates the units, then the home school recognises them one by one")
        validation = default_validation(la, now.date())
        echo(f"   validated by {validation.person.name} ({validation.method})")
        decisions = {"ENO-U1": UnitDecision(consequences=("exempt from the hot-kitchen module exam", "no retake"),
                                            counts_for="IeFP-RIST module 3")}
        recognition_model = build_recognition(pt, la, decision_date=now.date(), validation=validation, decisions=decisions,
                                              responsible=Person("Laura Bianchi", None, "Head teacher"))
        unsigned = build_recognition_credential(recognition_model, valid_from=now.replace(microsecond=0))
        facts = model_facts("EcvetRecognition", recognition_model, agreement=la_model, transcript=pt_model)
        rec = issue_credential(unsigned, keys["home"], registry=registry, status_base_url=status_base["home"], evaluation=facts,
                               batch_id=batch, row_key="recognition:" + pt["id"],
                               write=lambda doc: write("recognition.json", doc)).credential
        recognised = [u for u in recognition_model.units if u.recognised]
        points = recognition_model.total_points
        echo(f"   {len(recognised)} of {len(recognition_model.units)} units recognised ("
             f"{sum(len(u.outcomes) for u in recognised)} learning outcomes"
             + (f", {points} ECVET points" if points is not None else "") + f") toward "
             f"{recognition_model.qualification.title}; wrote {out / 'recognition.json'}")
        for item in publish_status_lists(registry, out / "status", key=keys["home"]):
            echo(f"   published the {item.purpose} list to {item.path}")

    step("5. Anyone verifies the Recognition credential")
    report = verify_credential(rec, trust=trust, status_source=status_source, resolver=resolver)
    echo(_indent(render_text(report)))
    ok = report.verified
    step("6. The partnership's evaluation report after mobility")
    from ecvet_credentials.ecvet.evaluation import evaluate
    from ecvet_credentials.render.evaluation_page import render_page

    evaluation = evaluate([mou, la, pt, rec])
    atomic_write_text(out / "evaluation.csv", evaluation.to_csv())
    atomic_write_text(out / "evaluation.html", render_page(evaluation))
    for row in evaluation.rows():
        echo(f"   {row['host']} / {row['home']} {row['period']}: {row['units_agreed']} agreed, {row['units_assessed']} "
             f"assessed, {row['units_validated']} validated, {row['units_recognised']} recognised")
    echo(f"   wrote {out / 'evaluation.csv'} and {out / 'evaluation.html'}")
    _write_qr(out, pt, la, echo)
    step("Try it yourself:")
    echo(f"   ecvet verify {out / 'transcript.json'} --agreement {out / 'learning-agreement.json'} --mou {out / 'mou.json'} "
         f"--trust example --status-dir {out / 'status'}")
    echo(f"   ecvet report {out} --html {out / 'evaluation.html'}")
    echo(f"   ecvet --home {out} registry list")
    return ok


def example_profile(name: str):
    """The bundled example institution `name` ("host" or "home"): its profile, distinct base URL included."""
    from ecvet_credentials.ecvet.institution import InstitutionProfile
    from ecvet_credentials.jsonld.limits import parse_json

    path = data_dir("keys-example") / EXAMPLE_PROFILES[name]
    return InstitutionProfile.from_json(parse_json(path.read_bytes(), source=str(path)), source=str(path))


def _write_qr(out: Path, pt: dict, la: dict, echo) -> None:
    try:
        from ecvet_credentials.render.qr import encode_credential
        from ecvet_credentials.render.qr.images import sheet_png_bytes
    except ImportError:  # QR support is optional at install time
        return
    # The QR carries the compact JSON; its proof verifies the same (canonicalization ignores layout).
    compact = json.dumps(pt, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    encoding = encode_credential(compact)  # self-contained: any verifier reads it, no agreement needed
    path = out / "transcript-qr.png"
    atomic_write_bytes(path, sheet_png_bytes(encoding.texts))  # every code of the set in one image
    echo("")
    echo(f"7. The learner's QR code(s): {path} ({len(encoding.texts)} code(s) of version "
         f"{'/'.join(map(str, encoding.versions))}, ECC {encoding.ecc}, {encoding.dictionary}); any verifier "
         f"reads them, no agreement needed")


def _indent(text: str) -> str:
    return "\n".join("   " + line if line else "" for line in text.splitlines())
