"""Import: read a JSON file, a QR image or a cohort folder; verify; refuse forgeries; store the rest
with their report (expired or unknown-issuer credentials are kept, marked)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.wallet.store import CredentialRefused, Wallet

# A credential failing one of these is not what its issuer signed (or cannot be read): refused.
INTEGRITY_CHECKS = ("input", "contexts", "schema", "proof", "issuer-binding")


@dataclass
class ImportOutcome:
    source: str
    entry: dict | None = None
    created: bool = False
    refused: str | None = None    # why it was refused (forged, unreadable)
    marks: list[str] = field(default_factory=list)


def integrity_problem(report: dict) -> str | None:
    for check in report.get("checks", []):
        if check.get("id") not in INTEGRITY_CHECKS:
            continue
        if check.get("outcome") == "failed" or (check.get("outcome") == "not_checked" and check.get("required", True)):
            return f"{check['id']}: {check.get('message')}"
    return None


def source_files(path: Path) -> list[Path]:
    """A folder (cohort output) gives its *.json files; anything else is one file."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".json")
    if not path.exists():
        raise InputError(f"{path}: no such file or folder.")
    return [path]


def read_credential(path: Path, *, agreement: dict | None = None, wallet: Wallet | None = None) -> dict:
    """The credential in a JSON file, a QR image or a printed PDF/HTML page. InputError when unreadable."""
    from ecvet_credentials.core.files import MAX_PHOTO_BYTES, read_bounded
    from ecvet_credentials.jsonld.limits import DEFAULT_LIMITS, parse_json
    from ecvet_credentials.verify.presentation import is_presentation

    data = read_bounded(path, max_bytes=MAX_PHOTO_BYTES)  # a QR photo; parse_json holds JSON to its limit
    from ecvet_credentials.render.qr import is_image

    if is_image(data):
        data = _decode_qr(data, str(path), agreement=agreement, wallet=wallet)
    else:
        from ecvet_credentials.render.extract import credential_bytes

        data = credential_bytes(data, name=str(path), agreement=agreement) or data  # a printed PDF or HTML page
    doc = parse_json(data, limits=DEFAULT_LIMITS, source=str(path))
    if not isinstance(doc, dict):
        raise InputError(f"{path} does not hold a JSON object (a credential).")
    if is_presentation(doc):
        raise InputError(f"{path} is a presentation; import the credentials themselves.", code="NOT_A_CREDENTIAL")
    return doc


def _decode_qr(data: bytes, name: str, *, agreement: dict | None, wallet: Wallet | None) -> bytes:
    """QR texts -> credential bytes; without --agreement, the wallet's Learning Agreements are tried
    as the unit catalogue (the learner usually holds the LA the transcript was encoded with)."""
    from ecvet_credentials.core.errors import QrPayloadError
    from ecvet_credentials.render.qr import decode_texts, read_texts

    texts = read_texts(data, name=name)
    if not texts:
        raise QrPayloadError(f"no QR code found in {name}", code="QR_NOT_FOUND")
    try:
        return decode_texts(texts, agreement=agreement)
    except QrPayloadError as exc:
        if agreement is not None or wallet is None or exc.code != "QR_DICTIONARY_MISSING":
            raise
        for stored in wallet.stored():
            if stored.entry.get("ecvetType") == "EcvetLearningAgreement":
                try:
                    return decode_texts(texts, agreement=stored.credential)
                except QrPayloadError:
                    continue
        raise


def import_credential(wallet: Wallet, credential: dict, *, source: str, verify_options: dict) -> ImportOutcome:
    """Verify, then store (kept with marks) or refuse (CredentialRefused is not raised: see .refused)."""
    from ecvet_credentials.verify import verify_credential
    from ecvet_credentials.wallet.summary import marks

    report = verify_credential(credential, **verify_options).to_json()
    problem = integrity_problem(report)
    if problem:
        return ImportOutcome(source, refused=problem)
    entry, created = wallet.add(credential, report, source=source)
    return ImportOutcome(source, entry=entry, created=created, marks=[mk["mark"] for mk in marks(report)])


def import_path(wallet: Wallet, path: Path, *, verify_options: dict, agreement: dict | None = None) -> list[ImportOutcome]:
    """Import every credential at `path`. A single unreadable file raises InputError; in a folder,
    unreadable files are reported as refused and the rest imported."""
    files = source_files(path)
    single = not Path(path).is_dir()
    out = []
    for file in files:
        try:
            credential = read_credential(file, agreement=agreement, wallet=wallet)
        except InputError as exc:
            if single:
                raise
            out.append(ImportOutcome(str(file), refused=f"unreadable: {exc}"))
            continue
        out.append(import_credential(wallet, credential, source=str(file), verify_options=verify_options))
    return out


__all__ = ["CredentialRefused", "ImportOutcome", "import_credential", "import_path", "integrity_problem",
           "read_credential", "source_files"]
