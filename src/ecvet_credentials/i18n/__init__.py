"""Translations for every text a person reads: gettext catalogues (`locale/<lang>/LC_MESSAGES/ecvet.po`,
compiled to `.mo` when the package is built or installed), English text as the message id.

    from ecvet_credentials.i18n import _, ngettext, N_
    click.echo(_("Result: VERIFIED"))
    click.echo(_("Wrote {path}").format(path=out))            # format after translating
    click.echo(ngettext("{n} credential", "{n} credentials", n).format(n=n))
    LABELS = {"proof": N_("Signature")}                        # marked here, translated where shown: _(LABELS[k])

The language is the one set for the current context (`use_language`, `set_language`; the CLI's `--lang`),
else the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English. A server that answers many
languages at once uses `Messages(lang)` per request (`m("text", **values)`), never the global one.
A missing `.mo` (a source checkout) falls back to the `.po`, then to English: a text is never lost.
"""
from __future__ import annotations

import gettext as _gettext
import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Iterator

DOMAIN = "ecvet"
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The 24 official languages of the European Union (ISO 639-1): the goal.
EU_LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr",
                "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv")
# The languages shipped: each has a complete catalogue (tests/test_i18n.py checks it). Add a language by
# adding its code here and running scripts/i18n_catalogues.py, then translating its .po.
LANGUAGES = EU_LANGUAGES
# Translated with care and reviewed; the others are drafts (complete, but not yet read by a native speaker).
REVIEWED_LANGUAGES = ("cs", "de", "en", "es", "fr", "it", "nl", "pl", "pt", "ro")
DRAFT_LANGUAGES = tuple(code for code in LANGUAGES if code not in REVIEWED_LANGUAGES)
# Their names in their own language, for the language switch.
NATIVE_NAMES = {
    "bg": "български", "cs": "čeština", "da": "dansk", "de": "Deutsch", "el": "ελληνικά", "en": "English",
    "es": "español", "et": "eesti", "fi": "suomi", "fr": "français", "ga": "Gaeilge", "hr": "hrvatski",
    "hu": "magyar", "it": "italiano", "lt": "lietuvių", "lv": "latviešu", "mt": "Malti", "nl": "Nederlands",
    "pl": "polski", "pt": "português", "ro": "română", "sk": "slovenčina", "sl": "slovenščina", "sv": "svenska",
}
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
_current: ContextVar[str | None] = ContextVar("ecvet_language", default=None)

__all__ = ["DEFAULT", "DRAFT_LANGUAGES", "LANGUAGES", "REVIEWED_LANGUAGES", "NATIVE_NAMES", "Messages", "N_", "_", "current_language", "gettext",
           "language_from_env", "negotiate", "ngettext", "normalize", "set_language", "translations",
           "use_language"]


def normalize(tag: str | None) -> str | None:
    """'de-AT', 'de_DE.UTF-8', 'DE' -> 'de' when we ship it; anything else -> None."""
    if not tag:
        return None
    match = _TAG.match(tag.strip())
    if not match:
        return None
    base = re.split(r"[-_]", match.group(0))[0].lower()
    return base if base in LANGUAGES else None


def language_from_env(environ=None) -> str:
    """gettext's own order: LANGUAGE (a colon list), LC_ALL, LC_MESSAGES, LANG; 'C'/'POSIX' mean English."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if not value:
            continue
        for part in value.split(":"):
            if part.split(".")[0] in ("C", "POSIX"):
                return DEFAULT
            lang = normalize(part)
            if lang:
                return lang
    return DEFAULT


def negotiate(query_lang: str | None = None, accept_language: str | None = None) -> str:
    """The page's language: `?lang=` first, else the best Accept-Language match (by q), else English.
    Babel's negotiation matches tags such as 'de-AT' to the 'de' catalogue."""
    from babel.core import negotiate_locale

    wanted = [query_lang] if query_lang else []
    wanted += _accept_language(accept_language)
    choice = negotiate_locale([w.replace("_", "-") for w in wanted if w], LANGUAGES, sep="-")
    return normalize(choice) or DEFAULT


def _accept_language(header: str | None) -> list[str]:
    """Accept-Language tags in order of preference (q=0 dropped); bounded so a huge header costs nothing."""
    ranked = []
    for i, part in enumerate((header or "")[:2000].split(",")[:30]):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        m = re.search(r"q\s*=\s*([0-9.]{1,5})", params)
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = 0.0
        if tag and tag != "*" and q > 0:
            ranked.append((-q, i, tag.strip()))
    return [tag for _q, _i, tag in sorted(ranked)]


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue of `lang` (a shipped language code): the compiled .mo, else the .po read in place
    (a source checkout, or a .po edited since the last build), else none (English)."""
    lang = normalize(lang) or DEFAULT
    base = LOCALE_DIR / lang / "LC_MESSAGES"
    mo, po = base / f"{DOMAIN}.mo", base / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    if po.is_file():
        return _from_po(po)
    return _gettext.NullTranslations()


def _from_po(po: Path) -> _gettext.NullTranslations:
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def current_language() -> str:
    return _current.get() or language_from_env()


def set_language(lang: str | None) -> str:
    """Set the language of this context (a CLI run, a thread); None goes back to the environment.
    Returns the language now used; ValueError for a language we do not ship."""
    chosen = normalize(lang) if lang else None
    if lang and chosen is None:
        raise ValueError(f"no translation for {lang!r}; available: {', '.join(LANGUAGES)}")
    _current.set(chosen)
    return current_language()


@contextmanager
def use_language(lang: str | None) -> Iterator[str]:
    token = _current.set(normalize(lang) or DEFAULT)
    try:
        yield current_language()
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(current_language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a text for extraction where it is defined (a table of labels); translate it where shown."""
    return message


class Messages:
    """The texts of one language, for one page or document: `m("Issued by {issuer}", issuer=...)`
    translates, then fills the named values. `m.lang` is the language code."""

    def __init__(self, lang: str | None = None):
        self.lang = normalize(lang) or (current_language() if lang is None else DEFAULT)
        self._t = translations(self.lang)

    def __call__(self, message: str, **values) -> str:
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    def n(self, singular: str, plural: str, count: int, **values) -> str:
        text = self._t.ngettext(singular, plural, count)
        return text.format(n=count, **values)
