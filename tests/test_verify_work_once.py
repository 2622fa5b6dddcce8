"""Work that verifying many credentials does once, not per credential or per message (issue 17):
each issuer key is decoded once, and the environment's language is read once per verification."""
from __future__ import annotations

import contextvars
import json

from ecvet_credentials import i18n
from ecvet_credentials.crypto import keys
from ecvet_credentials.verify import verify_credential


def _verify_demo(demo_dir):
    doc = json.loads((demo_dir / "transcript.json").read_text())
    return verify_credential(doc, offline=True)


def test_each_public_key_is_decoded_once(demo_dir, monkeypatch):
    parsed = []
    real_parse = keys._parse_public_key
    monkeypatch.setattr(keys, "_parse_public_key", lambda value: parsed.append(value) or real_parse(value))
    keys._known_public_key.cache_clear()
    first = _verify_demo(demo_dir)
    decoded_by_first = len(parsed)
    assert decoded_by_first >= 1  # the issuer's did:key
    assert len(set(parsed)) == decoded_by_first  # no key decoded twice within one verification
    second = _verify_demo(demo_dir)
    assert len(parsed) == decoded_by_first  # nothing decoded again
    assert first.to_json()["checks"] == second.to_json()["checks"]
    keys._known_public_key.cache_clear()


def test_a_junk_key_is_refused_every_time():
    import pytest

    from ecvet_credentials.core.errors import KeyFileError

    for _ in range(2):
        with pytest.raises(KeyFileError):
            keys.public_key_from_multibase("z6MkNotAKey")
    with pytest.raises(KeyFileError):
        keys.public_key_from_multibase("z" * 500)  # too long to be cached, still checked


def test_the_language_is_read_from_the_environment_once_per_verification(demo_dir, monkeypatch):
    reads = []
    real_read = i18n.language_from_env
    monkeypatch.setattr(i18n, "language_from_env", lambda environ=None: reads.append(1) or real_read(environ))

    def run():
        i18n.set_language(None)  # the environment decides (in this copied context only)
        reads.clear()
        return _verify_demo(demo_dir)

    report = contextvars.copy_context().run(run)
    assert len(report.checks) > 5  # many checks, each with its message
    assert len(reads) == 1
