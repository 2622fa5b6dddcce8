"""The printed document's own words, through the project's one catalogue (`ecvet` domain): `w(...)` is
extracted like `m(...)` (i18n/catalogues.py KEYWORDS) and translated in every shipped language.

    w = Words(m)          # m: i18n.Messages of the document's language
    w("Verify at {url}", url=...)
"""
from __future__ import annotations

from ecvet_credentials.i18n import Messages


class Words:
    def __init__(self, m: Messages):
        self.lang = m.lang
        self._m = m

    def __call__(self, message: str, **values) -> str:
        return self._m(message, **values)
