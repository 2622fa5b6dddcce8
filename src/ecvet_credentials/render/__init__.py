"""Printed documents: the official printable page (page.py, letterhead.py, print.css), its PDF/A-3 with the
signed credential attached (pdf.py), and reading our own printable documents back (extract.py: the one
reader of the credential inside a printable HTML page or PDF, for `ecvet verify`, the wallet and the page)."""
