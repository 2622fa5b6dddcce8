"""Printed documents: the official printable page (page.py, letterhead.py, labels.py, print.css), its
PDF/A-3 with the signed credential attached (pdf.py) and the one reader of a credential embedded in
either (extract.py). Nothing here is imported by `ecvet verify` except extract.credential_bytes."""
