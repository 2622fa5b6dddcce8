"""Hatchling build hook: compile the gettext catalogues (src/ecvet_credentials/i18n/locale/*/LC_MESSAGES/
ecvet.po) to .mo files, for wheels and editable installs alike. The .mo files are build output (ignored
by git), shipped as artifacts; at run time a missing .mo falls back to reading its .po."""
from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE = Path("src/ecvet_credentials/i18n/locale")


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted((root / LOCALE).glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh)
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog)
        build_data.setdefault("artifacts", []).append(f"/{LOCALE.as_posix()}/*/LC_MESSAGES/*.mo")
