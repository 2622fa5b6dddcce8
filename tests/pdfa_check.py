"""A structural PDF/A-3b check (veraPDF is not installable here from the package registries): the parts of
ISO 19005-3 that a generator can get wrong and that pypdf can see. Returns the problems found (empty: none)."""
from __future__ import annotations

import io
import re


def pdfa3_problems(data: bytes, *, attachment: str = "credential.json") -> list[str]:
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    problems: list[str] = []
    head = data[:1024]
    if not re.match(rb"%PDF-1\.[4-7]\r?\n%[\x80-\xff]{4}", head):
        problems.append("header: no %PDF-1.x line followed by a binary comment (6.1.2)")
    reader = PdfReader(io.BytesIO(data), strict=True)
    trailer, root = reader.trailer, reader.trailer["/Root"].get_object()
    if "/Encrypt" in trailer:
        problems.append("encrypted (6.1.3)")
    if "/ID" not in trailer:
        problems.append("trailer has no /ID (6.1.3)")
    xmp = root.get("/Metadata")
    meta = xmp.get_object().get_data() if xmp is not None else b""
    if not re.search(rb'pdfaid:part="3"', meta) or not re.search(rb'pdfaid:conformance="[AB]"', meta):
        problems.append("XMP metadata does not declare PDF/A-3 (6.6.4)")
    intents = root.get("/OutputIntents") or []
    if not any(i.get_object().get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i.get_object() for i in intents):
        problems.append("no GTS_PDFA1 output intent with an ICC profile (6.2.3)")
    names = root.get("/Names", {}).get_object().get("/EmbeddedFiles") if "/Names" in root else None
    afs = [a.get_object() for a in root.get("/AF") or []]
    found = [a for a in afs if str(a.get("/UF") or a.get("/F")) == attachment]
    if not found:
        problems.append(f"{attachment} is not an associated file of the document (/AF, 6.8)")
    for spec in found:
        if spec.get("/AFRelationship") not in ("/Source", "/Data", "/Alternative", "/Supplement", "/Unspecified"):
            problems.append("associated file without AFRelationship (6.8)")
        stream = spec["/EF"]["/F"].get_object()
        if str(stream.get("/Subtype")) != "/application/json":
            problems.append(f"embedded file MIME type is {stream.get('/Subtype')!r}, not application/json (6.8)")
        if "/Params" not in stream or "/ModDate" not in stream["/Params"]:
            problems.append("embedded file without /Params /ModDate (6.8)")
    if names is None:
        problems.append("no EmbeddedFiles name tree (6.8)")
    seen: set[int] = set()
    for page in reader.pages:
        _fonts(page.get("/Resources"), problems, seen, IndirectObject)
    if b"/JavaScript" in data or b"/JS " in data:
        problems.append("JavaScript present (6.6.1)")
    return sorted(set(problems))


def _fonts(resources, problems: list[str], seen: set[int], indirect) -> None:
    """Every font used is embedded (6.2.11.4), XObjects included."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        ref = font.idnum if isinstance(font, indirect) else id(font)
        if ref in seen:
            continue
        seen.add(ref)
        font = font.get_object()
        descendants = [d.get_object() for d in font.get("/DescendantFonts") or []] or [font]
        for f in descendants:
            if f.get("/Subtype") == "/Type3":
                continue
            desc = f.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"font {f.get('/BaseFont')} is not embedded (6.2.11.4)")
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts(xobject.get("/Resources"), problems, seen, indirect)
