"""`ecvet serve` configuration: one TOML file (tomllib), every setting with a default for a local run.

Identity: the institution profile in HOME (`ecvet institution init`: key and status base URL), else the
bundled EXAMPLE host key (passphrase `ecvet-example-do-not-use` when the passphrase variable is unset:
only for that bundled example key). Trust: the [trust] registry, or `registry = "example"`, else the
registries HOME subscribed to; the bundled example registry is used without asking only in the demo
setting (running on the example key), never by a server with its own key. Status lists are served
by this process under SCHEME://HOST:PORT/status (https when it serves TLS) unless the profile or
status.base_url says where they are published.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.core.paths import data_dir
from ecvet_credentials.i18n import _

EXAMPLE_PASSPHRASE = "ecvet-example-do-not-use"
CRYPTOSUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019")


@dataclass
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    # issuer
    key: Path | None = None                  # default: the bundled example host key
    passphrase_env: str = "ECVET_PASSPHRASE"
    cryptosuite: str | None = None           # default: eddsa-rdfc-2022 (Ed25519) / ecdsa-rdfc-2019
    # what POST /credentials/issue may sign: ECVET credentials only unless "generic" is added (W3C interop
    # runs); a school's server should not sign arbitrary claims with its key by default
    profiles: tuple[str, ...] = ("ecvet",)
    # registry
    db: str | None = None                    # SQLite path or postgresql+psycopg:// URL; default HOME/registry.sqlite
    registry: bool = True                    # allocate status entries and record issued credentials
    # status lists
    status_base_url: str | None = None       # default http://HOST:PORT/status
    status_directory: Path | None = None     # other issuers' published lists (ecvet status publish --out)
    status_allowed_hosts: tuple[str, ...] = ()
    status_optional: bool = False
    status_max_age: str | None = None        # e.g. "7d"
    # verify: what a request without options.checks gets, for documents that are not ECVET (ECVET
    # credentials always get every check). None: every check (the ECVET policy), the default.
    verify_checks: tuple[str, ...] | None = None
    verify_inline_contexts: bool = False     # accept inline @context objects in non-ECVET documents (strict)
    # trust
    trust_registry: Path | None = None       # default: the bundled example trust registry
    trust_anchor: str | None = None
    trust_example: bool = False              # [trust] registry = "example": the bundled example registry
    tls: bool = False                        # set by `ecvet serve` when it serves HTTPS (status URLs say https)
    # auth
    token: str | None = None                 # discouraged: prefer token_env
    token_env: str = "ECVET_API_TOKEN"
    # limits
    max_json_bytes: int = 1024 * 1024
    max_image_bytes: int = 10 * 1024 * 1024
    request_timeout: float = 30.0
    home: Path | None = None
    source: str = "defaults"                 # where the settings came from (for messages)
    extra: dict[str, Any] = field(default_factory=dict)

    # --- derived -------------------------------------------------------------------------------
    def profile(self):
        """HOME's institution profile, or None."""
        from ecvet_credentials.ecvet.institution import load_profile

        return load_profile(self.home) if self.home is not None else None

    def key_path(self) -> Path:
        if self.key is not None:
            return self.key
        profile = self.profile()
        if profile is not None and profile.key:
            return profile.resolve(self.home, profile.key)
        return data_dir("keys-example") / "host.key"

    def trust_path(self) -> Path | None:
        """The registry file, or None: then the registries HOME subscribed to (none: nobody is recognised).
        Example trust only when asked for, or in the demo setting (this server signs with the example key)."""
        if self.trust_registry is not None:
            return self.trust_registry
        if self.trust_example or self.is_example_key():
            return data_dir("keys-example") / "trust-registry.json"
        return None

    def is_example_key(self) -> bool:
        try:
            return self.key_path().resolve().parent == data_dir("keys-example").resolve()
        except OSError:
            return False

    def passphrase(self) -> bytes:
        value = os.environ.get(self.passphrase_env)
        if value:
            return value.encode("utf-8")
        if self.is_example_key():
            return EXAMPLE_PASSPHRASE.encode()
        raise InputError(f"no passphrase for the key {self.key_path()}: set {self.passphrase_env}.")

    def api_token(self) -> str | None:
        return self.token or os.environ.get(self.token_env) or None

    def base_url(self) -> str:
        if self.status_base_url:
            return self.status_base_url.rstrip("/")
        profile = self.profile() if self.key is None else None
        if profile is not None:
            return profile.status_base_url
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}/status"


# TOML table.key -> ServeConfig field
_KEYS = {
    ("server", "host"): "host", ("server", "port"): "port",
    ("issuer", "key"): "key", ("issuer", "passphrase_env"): "passphrase_env", ("issuer", "cryptosuite"): "cryptosuite",
    ("issuer", "profiles"): "profiles",
    ("registry", "db"): "db", ("registry", "enabled"): "registry",
    ("status", "base_url"): "status_base_url", ("status", "directory"): "status_directory",
    ("status", "allowed_hosts"): "status_allowed_hosts", ("status", "optional"): "status_optional",
    ("status", "max_age"): "status_max_age",
    ("verify", "checks"): "verify_checks", ("verify", "inline_contexts"): "verify_inline_contexts",
    ("trust", "registry"): "trust_registry", ("trust", "anchor"): "trust_anchor",
    ("auth", "token"): "token", ("auth", "token_env"): "token_env",
    ("limits", "max_json_bytes"): "max_json_bytes", ("limits", "max_image_bytes"): "max_image_bytes",
    ("limits", "request_timeout"): "request_timeout",
}
_TYPES = {f.name: f.type for f in fields(ServeConfig)}


MAX_CONFIG_BYTES = 1024 * 1024


def load_config(path: Path | None, **overrides: Any) -> ServeConfig:
    """Read the TOML file (relative paths in it are relative to the file), then apply non-None overrides."""
    cfg = ServeConfig()
    if path is not None:
        path = Path(path)
        from ecvet_credentials.core.files import read_bounded

        raw = read_bounded(path, max_bytes=MAX_CONFIG_BYTES, source=_("config file {path}").format(path=path))
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
            raise InputError(f"{path} is not valid TOML: {reason}") from None
        _apply(cfg, data, path)
        cfg.source = str(path)
    for name, value in overrides.items():
        if value is not None:
            setattr(cfg, name, value)
    validate(cfg)
    return cfg


def _apply(cfg: ServeConfig, data: dict, path: Path) -> None:
    base = path.resolve().parent
    for table, values in data.items():
        if not isinstance(values, dict):
            raise InputError(f"{path}: [{table}] must be a table, e.g. [{table}] then key = value lines.")
        for key, value in values.items():
            if (table, key) == ("trust", "registry") and value == "example":
                cfg.trust_example = True
                continue
            name = _KEYS.get((table, key))
            if name is None:
                known = ", ".join(f"{t}.{k}" for t, k in _KEYS)
                raise InputError(f"{path}: unknown setting {table}.{key} (known: {known}).")
            setattr(cfg, name, _coerce(name, value, f"{path}: {table}.{key}", base))


def _coerce(name: str, value: Any, where: str, base: Path) -> Any:
    kind = str(_TYPES[name])
    if "Path" in kind:
        if not isinstance(value, str) or not value:
            raise InputError(f"{where} must be a file path string.")
        p = Path(value).expanduser()
        return p if p.is_absolute() else base / p
    if "tuple" in kind:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{where} must be a list of strings.")
        return tuple(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise InputError(f"{where} must be true or false.")
        return value
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise InputError(f"{where} must be a positive number.")
        return int(value) if kind == "int" else float(value)
    if not isinstance(value, str):
        raise InputError(f"{where} must be a string.")
    return value


def validate(cfg: ServeConfig) -> None:
    from ecvet_credentials.ecvet.issue import PROFILES

    if not cfg.profiles or any(p not in PROFILES for p in cfg.profiles):
        raise InputError(f"issuer.profiles {list(cfg.profiles)!r} must be a non-empty list of "
                         f"{', '.join(repr(p) for p in PROFILES)} (e.g. [\"ecvet\", \"generic\"]).")
    if cfg.cryptosuite is not None and cfg.cryptosuite not in CRYPTOSUITES:
        raise InputError(f"cryptosuite {cfg.cryptosuite!r} is not one of {', '.join(CRYPTOSUITES)}.")
    if not 0 <= int(cfg.port) <= 65535:
        raise InputError(f"port {cfg.port} is not a TCP port.")
    if cfg.status_max_age is not None:
        from ecvet_credentials.core.timeutil import parse_duration

        if parse_duration(cfg.status_max_age) is None:
            raise InputError(f"status.max_age {cfg.status_max_age!r} is not a duration like 7d or 12h.")
    if cfg.verify_checks is not None:
        from ecvet_credentials.verify.report import CHECK_ORDER
        from ecvet_credentials.serve.api import CHECK_ALIASES

        ids = tuple(dict.fromkeys(CHECK_ALIASES.get(c, c) for c in cfg.verify_checks))
        unknown = [c for c in ids if c not in CHECK_ORDER]
        if not ids or unknown:
            raise InputError(f"verify.checks {list(cfg.verify_checks)!r} must be a non-empty list of check ids "
                             f"({', '.join(CHECK_ORDER)}) or VC-API names ({', '.join(CHECK_ALIASES)}).")
        cfg.verify_checks = ids
    base = cfg.base_url()
    if not base.startswith(("http://", "https://")) or "#" in base or "?" in base:
        raise InputError(f"status.base_url {base!r} must be an http(s) URL without query or fragment.")
