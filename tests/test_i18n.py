"""Translations: language choice (CLI, environment, page), the catalogues' completeness, the fallbacks."""
from __future__ import annotations

import pytest

from ecvet_credentials import i18n
from ecvet_credentials.i18n import Messages, language_from_env, negotiate, normalize


def test_normalize_and_environment():
    assert normalize("de_DE.UTF-8") == "de" and normalize("pl-PL") == "pl" and normalize("FR") == "fr"
    assert normalize("xx") is None and normalize("../../etc/passwd") is None and normalize("") is None
    assert language_from_env({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert language_from_env({"LANGUAGE": "xx:fr", "LANG": "de_DE.UTF-8"}) == "fr"   # gettext's colon list
    assert language_from_env({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}) == "en"         # C means untranslated
    assert language_from_env({"LC_ALL": "pl_PL.UTF-8", "LANG": "de_DE.UTF-8"}) == "pl"
    assert language_from_env({}) == "en"


def test_page_negotiation():
    assert negotiate("de", "fr-CH, fr;q=0.9") == "de"               # ?lang= wins
    assert negotiate(None, "fr-CH, fr;q=0.9") == "fr"               # a region maps to its language
    assert negotiate(None, "xx, pl;q=0.5, de;q=0.8") == "de"        # by q, not by position
    assert negotiate(None, "de;q=0, pl") == "pl"                    # q=0 means not wanted
    assert negotiate("../../etc/passwd", None) == "en"
    assert negotiate(None, "x" * 100_000) == "en"                   # a huge header is cut, not parsed whole


def test_use_language_is_scoped_and_cli_option(runner):
    from ecvet_credentials.cli.main import cli

    with i18n.use_language("de"):
        assert i18n.current_language() == "de"
        assert i18n._("Verified") == "Verifiziert"
    assert i18n._("Verified") == "Verified"
    result = runner.invoke(cli, ["--lang", "xx", "verify", "-"], input="{}")
    assert result.exit_code == 2 and "no translation for 'xx'" in result.output


def test_messages_fill_values_and_fall_back():
    m = Messages("pl")
    assert m.lang == "pl"
    assert m("{start} to {end}", start="a", end="b") == "od a do b"
    unknown = Messages("xx")                                        # not shipped: English
    assert unknown.lang == "en" and unknown("Verified") == "Verified"
    assert Messages("de")("a text nobody marked") == "a text nobody marked"


def test_missing_mo_falls_back_to_po(tmp_path, monkeypatch):
    import shutil

    src = i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "ecvet.po"
    target = tmp_path / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(src, target / "ecvet.po")                           # a .po with no compiled .mo beside it
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("de").gettext("Verified") == "Verifiziert"
        shutil.rmtree(tmp_path / "de")
        i18n.translations.cache_clear()
        assert i18n.translations("de").gettext("Verified") == "Verified"   # no catalogue at all: English
    finally:
        monkeypatch.undo()
        i18n.translations.cache_clear()


def test_every_text_is_translated_in_every_language():
    pytest.importorskip("babel")
    from ecvet_credentials.i18n.catalogues import extract, missing, po_path

    template = extract()
    assert len(template) > 90                                       # the extraction found the marked texts
    for lang in i18n.LANGUAGES:
        assert po_path(lang).is_file(), lang
        gaps = missing(lang, template)
        assert not gaps, f"{lang}: {len(gaps)} untranslated, e.g. {gaps[:3]}"


def test_translations_keep_their_placeholders():
    import re

    from ecvet_credentials.i18n.catalogues import read

    for lang in i18n.LANGUAGES:
        for message in read(lang):
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            want = set(re.findall(r"\{\w+\}", ids[0]))
            for s in strings:
                assert set(re.findall(r"\{\w+\}", s)) <= want | set(re.findall(r"\{\w+\}", ids[-1])), (lang, message.id, s)
                assert want <= set(re.findall(r"\{\w+\}", s)) or len(ids) > 1, (lang, message.id, s)


def test_cohort_default_title_in_the_template_language(tmp_path):
    from pathlib import Path

    from ecvet_credentials.ecvet.authoring import iter_cohort

    examples = Path(__file__).resolve().parent.parent / "examples"
    template = (examples / "cohort-template.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in template
    (tmp_path / "cohort-template.yaml").write_text(template.replace("\nlanguage: en\n", "\nlanguage: de\n"), encoding="utf-8")
    entries = list(iter_cohort(examples / "cohort.csv", tmp_path / "cohort-template.yaml"))
    transcript = next(e.transcript for e in entries if e.transcript is not None)
    assert transcript.title.values[0][0] == "de"                    # tagged with the document's language
    assert transcript.title.get("de").startswith("ECVET-Leistungsnachweis: ")
    english = next(e.transcript for e in iter_cohort(examples / "cohort.csv", examples / "cohort-template.yaml")
                   if e.transcript is not None)
    assert english.title.get("en").startswith("ECVET personal transcript: ")


def test_check_messages_wallet_and_cli_errors_follow_the_language(runner, demo_dir, tmp_path):
    from ecvet_credentials.cli.main import cli

    result = runner.invoke(cli, ["--lang", "de", "verify", str(demo_dir / "transcript.json")])
    assert "Die Signatur ist gültig: Der Inhalt ist genau das, was signiert wurde." in result.output
    assert "The signature is valid" not in result.output
    result = runner.invoke(cli, ["--lang", "it", "verify", str(demo_dir / "transcript.json"), "--json"])
    import json

    report = json.loads(result.output)
    proof = next(c for c in report["checks"] if c["id"] == "proof")
    assert proof["code"] == "OK" and proof["message"].startswith("La firma è valida")   # codes stay stable
    result = runner.invoke(cli, ["--lang", "pl", "verify", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "error: " in result.output and "nie ma takiego pliku" in result.output
    result = runner.invoke(cli, ["--lang", "fr", "wallet", "list"])
    assert "Le portefeuille est vide" in result.output


def test_learning_activities_in_several_languages(tmp_path):
    """mobility.learning_activities accepts a language map; the credential carries it as JSON-LD value objects
    (schema:description is no language map), signs, verifies, reads back, and shows the page's language."""
    import json
    from pathlib import Path

    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.crypto.keys import KeyPair
    from ecvet_credentials.model import build_agreement_credential, from_credential
    from ecvet_credentials.render.page import render_printable
    from ecvet_credentials.proofs import sign
    from ecvet_credentials.verify import verify_credential

    examples = Path(__file__).resolve().parent.parent / "examples"
    text = (examples / "learning-agreement.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    at = lines.index("  learning_activities: >-")
    rest = at + 1
    while lines[rest].startswith("    "):                             # the folded block's lines
        rest += 1
    lines[at:rest] = ["  learning_activities:", "    it: Attività in cucina e in sala, con un tutor.",
                      "    de: Arbeit in Küche und Service, begleitet von einer Betreuerin."]
    (tmp_path / "la.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = load(tmp_path / "la.yaml", expect="learning-agreement").model
    assert model.learning_activities.get("de").startswith("Arbeit in Küche")
    doc = build_agreement_credential(model, valid_from="2026-09-10T09:00:00Z")
    claim = json.dumps(doc["credentialSubject"], ensure_ascii=False)
    assert '{"@value": "Arbeit in Küche und Service, begleitet von einer Betreuerin.", "@language": "de"}' in claim
    signed = sign(doc, KeyPair.from_private_bytes("Ed25519", bytes(range(32))), created="2026-09-10T09:00:00Z")
    report = verify_credential(signed)
    for check in ("contexts", "schema", "proof", "ecvet-consistency"):
        assert report.get(check).outcome.value == "passed", report.get(check)
    back = from_credential(signed)
    assert dict(back.learning_activities.values) == dict(model.learning_activities.values)
    assert "Arbeit in Küche und Service" in render_printable(signed, lang="de")
    page = render_printable(signed, lang="fr")                       # no French: the first language, marked
    assert "Attività in cucina e in sala, con un tutor." in page and "[it]" in page


def test_mobility_context_in_several_languages(tmp_path):
    import json
    from pathlib import Path

    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_transcript_credential, from_credential
    from ecvet_credentials.model.schemas import validate

    examples = Path(__file__).resolve().parent.parent / "examples"
    text = (examples / "transcript.yaml").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("  context: "))
    (tmp_path / "pt.yaml").write_text(text.replace(line, "  context: {en: Work placement, de: Betriebspraktikum}"),
                                      encoding="utf-8")
    model = load(tmp_path / "pt.yaml", expect="transcript").model
    doc = build_transcript_credential(model, valid_from="2026-11-20T12:00:00Z")
    assert json.dumps(doc, ensure_ascii=False).count('"@language": "de"') == 1 and not validate(doc)
    assert from_credential(doc).context.get("de") == "Betriebspraktikum"
    plain = build_transcript_credential(load(examples / "transcript.yaml", expect="transcript").model,
                                        valid_from="2026-11-20T12:00:00Z")
    description = plain["credentialSubject"]["hasClaim"]["influencedBy"]["description"]
    assert description.startswith("Work placement in the kitchen")   # one language: still a plain string


def test_assessment_and_arrangement_texts_in_several_languages(tmp_path):
    from pathlib import Path

    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_agreement_credential, from_credential
    from ecvet_credentials.render.page import render_printable
    from ecvet_credentials.model.schemas import validate

    examples = Path(__file__).resolve().parent.parent / "examples"
    lines = (examples / "learning-agreement.yaml").read_text(encoding="utf-8").splitlines()
    for key, texts in (("timing", "{en: Last week, de: Letzte Woche}"), ("how", "{en: By the board, it: Dal consiglio}")):
        at = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"{key}:"))
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        rest = at + 1
        while rest < len(lines) and lines[rest].startswith(indent + "  ") and ":" not in lines[rest].split("#")[0][:len(indent) + 3]:
            rest += 1                                                   # a folded block's continuation lines
        lines[at:rest] = [f"{indent}{key}: {texts}"]
    (tmp_path / "la.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = load(tmp_path / "la.yaml", expect="learning-agreement").model
    assert model.assessment[0].timing.get("de") == "Letzte Woche"
    doc = build_agreement_credential(model, valid_from="2026-09-10T09:00:00Z")
    assert not validate(doc)
    back = from_credential(doc)
    assert back.assessment[0].timing.get("de") == "Letzte Woche"
    assert any(a.how.get("it") == "Dal consiglio" for a in (back.validation, back.recognition))
    assert "Letzte Woche" in render_printable(doc, lang="de") and "Last week" in render_printable(doc, lang="en")


def test_evaluation_page_and_trust_lines_follow_the_language():
    from ecvet_credentials.ecvet.evaluation import EvaluationReport
    from ecvet_credentials.render.evaluation_page import render_page
    from ecvet_credentials.i18n import use_language
    from ecvet_credentials.verify.verdict_text import issuer_text, learner_text

    with use_language("pl"):
        html = render_page(EvaluationReport())
        claim = issuer_text({"issuer": "did:key:z6Mk", "issuerName": "Szkoła"}, recognised=False)
        unnamed = learner_text({})
    assert '<html lang="pl">' in html and "Partnerstwo ECVET" in html and "<code>ecvet verify</code>" in html
    assert claim.startswith('podaje się za "Szkoła" (did:key:z6Mk)') and "rejestr zaufania" in claim
    assert unnamed == "(nie podano)"
    with use_language("en"):
        assert "evaluation after mobility" in render_page(EvaluationReport())


@pytest.mark.parametrize("lang, where", [
    ("de", "(aus Listen, die mit dem Nachweis mitgeliefert wurden)"),
    ("pl", "(według list dostarczonych wraz z poświadczeniem)"),
    ("en", "(from lists supplied with the credential)"),
])
def test_where_the_status_lists_came_from_is_translated(runner, demo_dir, lang, where):
    """The status check's note on where its lists came from is in the report's language, not English."""
    import json

    from ecvet_credentials.cli.main import cli

    result = runner.invoke(cli, ["--lang", lang, "verify", str(demo_dir / "transcript.json"), "--status-dir",
                                 str(demo_dir / "status"), "--json"])
    status = next(c for c in json.loads(result.output)["checks"] if c["id"] == "status")
    assert status["outcome"] == "passed" and status["message"].endswith(" " + where)
    assert lang == "en" or "supplied with the credential" not in status["message"]
