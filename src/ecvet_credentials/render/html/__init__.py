"""Plain HTML shared by the verification page (`serve/`) and the printable page (`render/page.py`):
escaping and the credential views (`views`); texts come from ecvet_credentials.i18n. Pure Python, so
printing needs none of the `serve` extra."""
from ecvet_credentials.i18n import Messages
from ecvet_credentials.render.html.views import content, esc

__all__ = ["Messages", "content", "esc"]
