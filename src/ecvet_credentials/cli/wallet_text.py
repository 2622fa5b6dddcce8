"""How `ecvet wallet list` shows stored credentials: one line each, their state in words."""
from __future__ import annotations

from ecvet_credentials.i18n import _


def _status(entry: dict) -> str:
    from ecvet_credentials.wallet.summary import verdict_words_of
    return verdict_words_of(entry)

def _issuer(entry: dict) -> str:
    from ecvet_credentials.wallet.summary import issuer_of
    return issuer_of(entry)

def _table(entries: list[dict]) -> str:
    rows = [(_("ID"), _("TYPE"), _("ISSUER"), _("DATE"), _("UNITS"), _("POINTS"), _("STATUS"))]
    for e in entries:
        issuer = e.get("issuerName") or e.get("issuer") or "?"
        claimed = any(mk["mark"] == "issuer not recognised" for mk in e.get("marks", []))
        issuer = _('claims to be "{name}"').format(name=issuer[:30]) if claimed else issuer[:40]
        rows.append((e["id"], e.get("type") or "?", issuer, e.get("date") or "-",
                     " ".join(e.get("units") or []) or "-", str(e.get("points", "-")), _status(e)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)
