"""Printable output lives in `render/` (page, PDF/A-3, embedded credential reader); kept for importers."""
from ecvet_credentials.render.page import paper_codes, render_printable

__all__ = ["paper_codes", "render_printable"]
