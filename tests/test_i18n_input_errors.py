"""The details of the one bounded read (read_bounded) and the one JSON parse (parse_json) are in the reader's
language like every other message (no English fragment left in a German or Polish error); and a status list
that could not be had is reported once, under the purpose it was for."""
from __future__ import annotations

import io
import json
import os
import shutil

import pytest

from ecvet_credentials.core.errors import InputError, LimitExceededError, NotJsonError
from ecvet_credentials.core.files import read_bounded, read_bounded_stream
from ecvet_credentials.i18n import use_language
from ecvet_credentials.jsonld.limits import Limits, parse_json

# Words of the English messages: none may be left in a translated one.
ENGLISH = ("bytes", "limit of", "use a smaller", "binary data", "give a", "not valid JSON", "fix the syntax",
           "twice in one object", "not UTF-8 text", "surrogate escape", "JSON values", "an array of", "levels deep",
           "not a regular file", "cannot read file")

GERMAN = ("Byte ", "enthält", "ist kein", "Grenze", "Sie ", "Ebenen")
PARSE_CASES = [  # (input, limits, error type, German words, code of the limit or None)
    (b"[1, 2, 3]", Limits(max_bytes=5), LimitExceededError, "ist 9 Byte groß, mehr als die Grenze von 5 Byte", "max_bytes"),
    ("[1, 2, 3]", Limits(max_bytes=5), LimitExceededError, "ist 9 Byte groß, mehr als die Grenze von 5 Byte", "max_bytes"),
    (b"{\x00}", Limits(), NotJsonError, "enthält Binärdaten, kein JSON", None),
    ("{\x00}", Limits(), NotJsonError, "enthält Binärdaten, kein JSON", None),
    (b'["\xff"]', Limits(), NotJsonError, "ist kein UTF-8-Text (ungültiges Byte an Position 2)", None),
    (b'{"a": 1, "a": 2}', Limits(), NotJsonError, "enthält den Schlüssel 'a' zweimal in einem Objekt", None),
    (b'{"a": }', Limits(), NotJsonError, "in Zeile 1, Spalte 7); korrigieren Sie die Syntax", None),
    (b'{"a": NaN}', Limits(), NotJsonError, "ist kein gültiges JSON (NaN); korrigieren Sie die Syntax", None),
    (b'["\\ud800"]', Limits(), NotJsonError, "ungepaarte UTF-16-Surrogat-Escape-Sequenz", None),
    (b"[1, 2, 3]", Limits(max_json_values=3), LimitExceededError, "enthält mehr als 3 JSON-Werte", "max_json_values"),
    (b"[1, 2, 3]", Limits(max_array_length=2), LimitExceededError, "ein Array mit 3 Elementen, mehr als die Grenze von 2",
     "max_array_length"),
    (b"[[[1]]]", Limits(max_depth=2), LimitExceededError, "mehr als 2 Ebenen tief", "max_depth"),
]


@pytest.mark.parametrize("data, limits, error, words, limit", PARSE_CASES)
def test_every_refusal_of_the_json_parse_is_in_the_readers_language(data, limits, error, words, limit):
    with use_language("de"), pytest.raises(error) as refused:
        parse_json(data, limits=limits, source="zeugnis.json")
    message = str(refused.value)
    assert message.startswith("zeugnis.json ") and words in message, message
    assert not any(english in message for english in ENGLISH), message
    assert refused.value.details.get("limit") == limit  # the code a program matches on does not change
    with use_language("en"), pytest.raises(error) as in_english:
        parse_json(data, limits=limits, source="transcript.json")
    assert not any(german in str(in_english.value) for german in GERMAN), in_english.value  # the language is per call


def test_the_english_details_are_unchanged():
    with pytest.raises(LimitExceededError, match=r"^x\.json is 9 bytes, more than the limit of 5 bytes; use a smaller file\.$"):
        parse_json(b"[1, 2, 3]", limits=Limits(max_bytes=5), source="x.json")
    with pytest.raises(NotJsonError, match=r"^x\.json is not valid JSON \(Expecting value at line 1 column 7\); fix the syntax\.$"):
        parse_json(b'{"a": }', source="x.json")


def test_every_refusal_of_the_bounded_read_is_in_the_readers_language(tmp_path):
    big = tmp_path / "gross.json"
    big.write_bytes(b" " * 1200)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    under_a_file = big / "inside.json"  # a file is no directory: the open fails with ENOTDIR
    cases = [(big, LimitExceededError, "ist 1,200 Byte groß oder größer, mehr als die Grenze von 1,000 Byte", "LIMIT_EXCEEDED"),
             (fifo, InputError, "ist keine reguläre Datei (sondern ein Gerät, eine Pipe oder ein Socket)",
              "NOT_A_REGULAR_FILE"),
             (under_a_file, InputError, "Datei kann nicht gelesen werden (", "FILE_UNREADABLE")]
    for path, error, words, code in cases:
        with use_language("de"), pytest.raises(error) as refused:
            read_bounded(path, max_bytes=1000)
        message = str(refused.value)
        assert words in message and refused.value.code == code, message
        assert not any(english in message for english in ENGLISH), message
    with use_language("pl"), pytest.raises(LimitExceededError) as refused:
        read_bounded_stream(io.BytesIO(b"x" * 11), max_bytes=10, source="stdin")
    assert str(refused.value) == "stdin przekracza limit 10 bajtów; użyj mniejszych danych wejściowych."
    assert read_bounded_stream(io.BytesIO(b"x" * 10), max_bytes=10) == b"x" * 10


# --- a status list that could not be had: said once, for its purpose ----------------------------------
def _status_line(runner, demo_dir, tmp_path, lang: str, keep: str) -> str:
    """`ecvet verify` of the demo transcript, offline, with only the `keep` lists published."""
    from ecvet_credentials.cli.main import cli

    status = tmp_path / "status"
    status.mkdir()
    for path in (demo_dir / "status").iterdir():
        if path.name.startswith(keep) or path.name == "index.json":
            shutil.copy(path, status / path.name)
    result = runner.invoke(cli, ["--lang", lang, "verify", str(demo_dir / "transcript.json"), "--status-dir",
                                 str(status), "--offline", "--json"])
    [check] = [c for c in json.loads(result.stdout)["checks"] if c["id"] == "status"]
    assert (check["outcome"], check["code"]) == ("not_checked", "STATUS_LIST_UNAVAILABLE"), check
    return check["message"]


@pytest.mark.parametrize("lang, keep, frame, once", [
    ("en", "revocation", "Suspension could not be checked: could not fetch status list ", "could not be checked"),
    ("en", "suspension", "Revocation could not be checked: could not fetch status list ", "could not be checked"),
    ("de", "revocation", "Die Aussetzung konnte nicht geprüft werden: die Statusliste ", "geprüft werden"),
    ("de", "suspension", "Der Widerruf konnte nicht geprüft werden: die Statusliste ", "geprüft werden"),
    ("fr", "revocation", "La suspension n'a pas pu être vérifiée : impossible de récupérer la liste", "vérifi"),
    ("pl", "suspension", "Nie udało się sprawdzić unieważnienia: nie udało się pobrać listy", "sprawdzić"),
])
def test_a_list_that_could_not_be_had_is_reported_once_for_its_purpose(runner, demo_dir, tmp_path, lang, keep,
                                                                      frame, once):
    message = _status_line(runner, demo_dir, tmp_path, lang, keep)
    missing = "suspension-1" if keep == "revocation" else "revocation-1"
    assert message.startswith(frame) and missing in message, message
    assert message.count(once) == 1, message


# --- the name of what was read is in the reader's language too ------------------------------------
@pytest.mark.parametrize("lang, over_the_limit, not_json", [
    ("de", "die Standardeingabe ist größer als die Grenze von 10 Byte", "die Eingabe ist kein gültiges JSON"),
    ("pl", "standardowe wejście przekracza limit 10 bajtów", "wejście nie jest poprawnym JSON-em"),
])
def test_the_default_names_are_in_the_readers_language(lang, over_the_limit, not_json):
    with use_language(lang):  # the defaults are translated when the message is made, not when the module loads
        with pytest.raises(LimitExceededError) as over:
            read_bounded_stream(io.BytesIO(b"x" * 11), max_bytes=10)
        with pytest.raises(NotJsonError) as bad:
            parse_json(b'{"a": }')
    assert str(over.value).startswith(over_the_limit), over.value
    assert str(bad.value).startswith(not_json), bad.value
    assert "input" not in str(over.value) + str(bad.value)  # neither "standard input" nor "input"
    with use_language("en"), pytest.raises(NotJsonError, match=r"^input is not valid JSON \("):
        parse_json(b'{"a": }')


@pytest.mark.parametrize("lang, words", [("de", "die Standardeingabe ist kein gültiges JSON"),
                                         ("pl", "standardowe wejście nie jest poprawnym JSON-em")])
def test_the_cli_names_standard_input_in_the_readers_language(runner, lang, words):
    from ecvet_credentials.cli.main import cli

    result = runner.invoke(cli, ["--lang", lang, "verify", "-"], input=b'{"a": }')
    assert result.exit_code != 0 and words in result.output, result.output
    assert "standard input" not in result.output


def test_a_name_with_a_path_is_in_the_readers_language(tmp_path):
    from ecvet_credentials.core.errors import KeyFileError
    from ecvet_credentials.crypto.keys import load_key_file

    fifo = tmp_path / "key.pem"
    os.mkfifo(fifo)
    with use_language("de"), pytest.raises(KeyFileError) as refused:
        load_key_file(fifo)
    assert str(refused.value).startswith(f"Die Schlüsseldatei {fifo} ist keine reguläre Datei"), refused.value
    assert "Key file" not in str(refused.value) and refused.value.code == "KEY_FILE_UNREADABLE"


def test_the_page_names_its_uploads_in_the_readers_language():
    from ecvet_credentials.serve.documents import document_from_parts

    for lang, pasted, second in [("de", "der eingefügte Text ist kein gültiges JSON", "Datei 2 ist kein gültiges JSON"),
                                 ("pl", "wklejony tekst nie jest poprawnym JSON-em", "plik 2 nie jest poprawnym JSON-em")]:
        with use_language(lang):
            with pytest.raises(NotJsonError) as from_text:
                document_from_parts([], '{"a": }', agreement=None, max_bytes=1000)
            with pytest.raises(NotJsonError) as from_files:
                document_from_parts([b"{}", b'{"a": }'], None, agreement=None, max_bytes=1000)
        assert str(from_text.value).startswith(pasted), from_text.value
        assert str(from_files.value).startswith(second), from_files.value
