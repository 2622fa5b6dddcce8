"""Message catalogues for the verification page and printable output: one JSON file per language
(`en.json`), looked up by key. The page takes the language from `?lang=`, else Accept-Language, else
English; a key missing from a catalogue falls back to English, so a partial translation still shows
every message."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

DEFAULT = "en"
_DIR = Path(__file__).resolve().parent
_LANG = re.compile(r"^[a-z]{2,3}$")


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    path = _DIR / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if _LANG.match(lang) and path.is_file() else {}


def available() -> list[str]:
    return sorted(p.stem for p in _DIR.glob("*.json") if _LANG.match(p.stem))


def choose(query_lang: str | None, accept_language: str | None) -> str:
    """The first language the client asks for that has a catalogue."""
    have = set(available())
    wanted = []
    if query_lang:
        wanted.append(query_lang)
    for part in (accept_language or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        if "q=0" in params.replace(" ", "") and not re.search(r"q=0\.\d*[1-9]", params):
            continue
        wanted.append(tag)
    for tag in wanted:
        base = tag.strip().lower().split("-")[0]
        if base in have:
            return base
    return DEFAULT


class Messages:
    def __init__(self, lang: str):
        self.lang = lang
        self._own, self._en = catalogue(lang), catalogue(DEFAULT)

    def __call__(self, key: str, **values) -> str:
        text = self._own.get(key) or self._en.get(key) or key
        return text.format(**values) if values else text
