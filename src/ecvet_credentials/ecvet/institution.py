"""The institution profile: who a school is, set up once (`ecvet institution init`) and read by
issuance, status publishing, `ecvet serve` and the printable page (letterhead, signatory, place).

Stored as JSON at HOME/institution.json. Text that a reader sees (name, signatory role) may be a
plain string or a language map {"de": ..., "en": ...}.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ecvet_credentials.core.errors import EcvetError, InputError
from ecvet_credentials.core.files import atomic_write_text

PROFILE_FILE = "institution.json"

Text = str | dict[str, str]


@dataclass(frozen=True)
class Address:
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""            # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class Contact:
    email: str = ""
    phone: str = ""
    website: str = ""


@dataclass(frozen=True)
class Signatory:
    name: str = ""
    role: Text = ""


@dataclass(frozen=True)
class InstitutionProfile:
    name: Text
    country: str                                     # ISO 3166-1 alpha-2
    did: str
    base_url: str                                    # public HTTPS base: status lists, did.json, catalogues
    key: str = ""                                    # path of the signing key file (relative to HOME or absolute)
    codes: dict[str, str] = field(default_factory=dict)  # {"erasmus": ..., "national": ...}
    address: Address = field(default_factory=Address)
    contact: Contact = field(default_factory=Contact)
    logo: str | None = None                          # path of an image file (relative to HOME or absolute)
    signatory: Signatory = field(default_factory=Signatory)
    place: str = ""                                  # where documents are signed ("Berlin")
    languages: tuple[str, ...] = ("en",)
    verification_url: str = ""                       # the institution's own `ecvet serve` page, printed on documents

    @property
    def status_base_url(self) -> str:
        return self.base_url.rstrip("/") + "/status"

    def display_name(self, lang: str | None = None) -> str:
        return text_in(self.name, lang, self.languages)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["languages"] = list(self.languages)
        return data

    @classmethod
    def from_json(cls, data: Any, *, source: str = PROFILE_FILE) -> "InstitutionProfile":
        if not isinstance(data, dict):
            raise EcvetError(f"{source}: an institution profile is a JSON object")
        try:
            return cls(
                name=data["name"], country=data["country"], did=data["did"], base_url=data["base_url"],
                key=data.get("key", ""), codes=dict(data.get("codes") or {}),
                address=Address(**(data.get("address") or {})), contact=Contact(**(data.get("contact") or {})),
                logo=data.get("logo"), signatory=Signatory(**(data.get("signatory") or {})),
                place=data.get("place", ""), languages=tuple(data.get("languages") or ("en",)),
                verification_url=data.get("verification_url", ""),
            )
        except KeyError as exc:
            raise EcvetError(f"{source}: the institution profile has no {exc.args[0]!r}") from None
        except TypeError as exc:
            raise EcvetError(f"{source}: {exc}") from None

    def resolve(self, home: Path, relative: str | None) -> Path | None:
        """A path named in the profile (key, logo), relative to HOME unless absolute."""
        if not relative:
            return None
        path = Path(relative)
        return path if path.is_absolute() else Path(home) / path


def text_in(text: Text, lang: str | None, fallbacks: tuple[str, ...] | list[str] = ("en",)) -> str:
    """A plain string as is; a language map in `lang`, else the first fallback present, else any."""
    if isinstance(text, str):
        return text
    for candidate in (lang, *fallbacks):
        if candidate and text.get(candidate):
            return text[candidate]
    return next(iter(text.values()), "")


def profile_path(home: Path) -> Path:
    return Path(home) / PROFILE_FILE


def load_profile(home: Path) -> InstitutionProfile | None:
    """The profile in HOME, or None when this HOME has not been set up as an institution."""
    path = profile_path(home)
    if not path.exists():
        return None
    from ecvet_credentials.jsonld.limits import read_json_file
    return InstitutionProfile.from_json(read_json_file(path), source=str(path))


def save_profile(home: Path, profile: InstitutionProfile) -> Path:
    path = profile_path(home)
    atomic_write_text(path, json.dumps(profile.to_json(), indent=2, ensure_ascii=False) + "\n")
    return path


# --- identity and URLs ----------------------------------------------------------------------------
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
NO_STATUS_BASE = (
    "no status base URL: your credentials would point verifiers at lists nobody serves. Set up your "
    "institution once (ecvet institution init --name ... --country ... --base-url https://your-school.example/ecvet), "
    "or pass --status-base-url https://.../status [env ECVET_STATUS_BASE_URL]; --dev issues with a loopback URL "
    "for trying things out."
)


def check_base_url(url: str, *, dev: bool = False) -> str:
    """The public base URL without its trailing slash. HTTPS; plain http only to loopback with `dev`."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    loopback = host in ("127.0.0.1", "localhost", "::1")
    if parts.query or parts.fragment or not host or parts.username:
        raise InputError(f"{url!r} is not a plain base URL like https://your-school.example/ecvet.")
    if parts.scheme != "https" and not (dev and parts.scheme == "http" and loopback):
        raise InputError(f"{url!r} must be an https:// URL (verifiers fetch lists and did.json over HTTPS); "
                         "plain http is allowed only to loopback with --dev.")
    return url.rstrip("/")


def did_json_url(did: str) -> str:
    """Where a DID's document is published (did:web), or "" for a did:key (its own document)."""
    from ecvet_credentials.crypto.dids import did_web_to_url

    return did_web_to_url(did) if did.startswith("did:web:") else ""


def issuing_status_base(home: Path | None, explicit: str | None, *, dev: bool = False) -> str:
    """The status base URL to issue with: --status-base-url (or env), else the profile's, else under
    --dev a loopback URL. Refused (InputError, with how to set it) when none is known."""
    if explicit:  # the caller's own choice: https, or http to loopback for a local `ecvet serve`
        return check_base_url(explicit, dev=True)
    profile = load_profile(home) if home is not None else None
    if profile is not None:
        return profile.status_base_url
    if dev:
        return "http://127.0.0.1:8080/status"
    raise InputError(NO_STATUS_BASE)
