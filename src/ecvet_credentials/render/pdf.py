"""PDF without a browser: the printable page (page.py) through WeasyPrint as PDF/A-3b, with the exact
signed credential JSON attached as the associated file `credential.json` (AFRelationship Source), which
`ecvet verify`, `wallet import` and the verification page read back (extract.py).

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0); `pdf_available()` says whether it can
run here. Its URL fetcher allows data: URLs only: the page is self-contained (the logo is inline).
"""
from __future__ import annotations

from functools import lru_cache

from ecvet_credentials.core.errors import EcvetError, InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.render.extract import EMBEDDED_NAME

PDF_VARIANT = "pdf/a-3b"


class PdfUnavailable(InputError):
    code = "PDF_UNAVAILABLE"


@lru_cache(maxsize=1)
def _weasyprint():
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Python package is there, Pango is not
        raise PdfUnavailable("writing PDF needs WeasyPrint and Pango: pip install 'ecvet-credentials[pdf]' and, on "
                             f"Debian/Ubuntu, apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({exc})") from None
    finally:
        # WeasyPrint's import makes Pillow accept truncated images process-wide; the QR reader must keep
        # refusing them (a truncated photo is an error, not a half-read code), and our logos are whole
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


def pdf_available() -> bool:
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def _fetcher(wp):
    """Inline data: (the logo) only; the page refers to nothing else, and nothing else is fetched."""
    return wp.urls.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def html_to_pdf(page: str, credential_json: bytes) -> bytes:
    """The page as PDF/A-3b with `credential_json` attached byte for byte as credential.json."""
    wp = _weasyprint()
    attachment = wp.Attachment(string=credential_json, name=EMBEDDED_NAME, relationship="Source",
                               description="The signed credential (W3C Verifiable Credential, JSON-LD) this page shows")
    return wp.HTML(string=page, url_fetcher=_fetcher(wp)).write_pdf(
        pdf_variant=PDF_VARIANT, attachments=[attachment], uncompressed_pdf=False)


def render_pdf(credential_json: bytes, **options) -> bytes:
    """Parse the signed credential from its exact bytes, lay it out (page.render_printable with `options`)
    and write the PDF/A-3b with those bytes attached."""
    from ecvet_credentials.jsonld.limits import parse_json
    from ecvet_credentials.render.page import render_printable

    credential = parse_json(credential_json, source=_("the credential"))
    if not isinstance(credential, dict):
        raise EcvetError("the credential is not a JSON object")
    return html_to_pdf(render_printable(credential, raw=credential_json, **options), credential_json)
