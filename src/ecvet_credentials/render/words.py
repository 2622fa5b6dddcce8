"""The printed document's own words: gettext domain `ecvet-print` (locale/<lang>/LC_MESSAGES/ecvet-print.po),
beside the project's `ecvet` domain. Complete in German, French and Polish, the ECVET headings also in
Italian, Spanish, Portuguese, Dutch, Romanian and Czech; any other language shows these words in English
(the rest of the document, from the `ecvet` domain, is in all shipped languages). A separate domain so the
new words can be translated language by language without leaving the project's catalogue incomplete;
they move into `ecvet` once every shipped language has them.

    w = Words(m)          # m: i18n.Messages of the document's language
    w("Verify at {url}", url=...)
"""
from __future__ import annotations

import gettext as _gettext
from functools import lru_cache

from ..i18n import LOCALE_DIR, Messages, _from_po

DOMAIN = "ecvet-print"


@lru_cache(maxsize=None)
def _catalogue(lang: str) -> _gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    return _from_po(po) if po.is_file() else _gettext.NullTranslations()


class Words:
    def __init__(self, m: Messages):
        self.lang = m.lang
        self._t = _catalogue(m.lang)

    def __call__(self, message: str, **values) -> str:
        text = self._t.gettext(message)
        return text.format(**values) if values else text
