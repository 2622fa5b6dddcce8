"""Keeping the catalogues: extract every marked text from the source (Babel), add new ones to each
language's .po, and list what a language lacks. Used by `python scripts/i18n_catalogues.py` and the
tests; never at run time."""
from __future__ import annotations

from pathlib import Path

from ecvet_credentials.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent.parent
# _ / gettext / N_ (module-level), m(...) (a Messages object), w(...) (render.words.Words), ngettext and m.n(...).
KEYWORDS = {"_": None, "gettext": None, "N_": None, "m": None, "w": None, "ngettext": (1, 2), "n": (1, 2)}


def extract_ast(fileobj, keywords, comment_tags, options):
    """A Babel extraction method over Python's own syntax tree: it sees calls inside f-strings on every
    Python version (Babel's tokenizer does not before 3.12). Yields (line, function, message(s), comments)."""
    import ast

    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in keywords or not node.args:
            continue
        # every positional argument, None where not a literal text: Babel picks the ones its keyword names
        args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args)
        if args[0] is not None:
            yield node.lineno, name, args[0] if len(args) == 1 else args, []


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract():
    """A Babel Catalog of every marked text in the package (the template)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(project="ecvet-credentials", domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", extract_ast)], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        template.add(message, None, [(f"ecvet_credentials/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def read(lang: str):
    from babel.messages.pofile import read_po

    path = po_path(lang)
    if not path.is_file():
        from babel.messages.catalog import Catalog
        return Catalog(locale=lang, project="ecvet-credentials", domain=DOMAIN)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def write(lang: str, catalog) -> None:
    from babel.messages.pofile import write_po

    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False, omit_header=False, include_lineno=False)


def update(langs=LANGUAGES) -> None:
    """Every language's .po gets the template's texts (translations kept; obsolete ones dropped)."""
    template = extract()
    for lang in langs:
        catalog = read(lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write(lang, catalog)


def missing(lang: str, template=None) -> list[str]:
    """Texts of the source with no (or a fuzzy) translation in `lang`'s .po; English needs none."""
    template = template or extract()
    if lang == "en":
        return []
    catalog = read(lang)
    gaps = []
    for message in template:
        if not message.id:
            continue
        have = catalog.get(message.id, context=message.context)
        strings = (have.string if isinstance(have.string, (list, tuple)) else [have.string]) if have else [None]
        if have is None or have.fuzzy or not all(strings):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps
