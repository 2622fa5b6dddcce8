"""Update the gettext catalogues after changing marked texts, and list what each language lacks.

    python scripts/i18n_catalogues.py           # add new texts to every .po, then report gaps
    python scripts/i18n_catalogues.py --check   # only report gaps (exit 1 if any)
"""
from __future__ import annotations

import sys

from ecvet_credentials.i18n import LANGUAGES
from ecvet_credentials.i18n.catalogues import extract, missing, update


def main() -> int:
    if "--check" not in sys.argv:
        update()
    template = extract()
    gaps = {lang: missing(lang, template) for lang in LANGUAGES}
    for lang, texts in gaps.items():
        if texts:
            print(f"{lang}: {len(texts)} untranslated, e.g. {texts[0]!r}")
    print(f"{len(template)} texts, {len(LANGUAGES)} languages")
    return 1 if any(gaps.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
