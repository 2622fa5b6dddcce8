"""No learner identifier in clear: row keys and row contents are stored as salted digests.

The salt is made once per registry (32 random bytes, in `ecvet_registry_settings`), so a registry
copied elsewhere does not reveal which learner numbers it holds, and digests of two registries
cannot be linked. HMAC-SHA256 keyed with the salt; the "h1:" prefix names the scheme.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sqlalchemy import Connection, insert, select

from ecvet_credentials.registry import schema as s

SALT_SETTING = "row_key_salt"
_DIGEST = re.compile(r"^h1:[0-9a-f]{64}$")


def digest(salt: bytes, value: str) -> str:
    return "h1:" + hmac.new(salt, value.encode("utf-8"), hashlib.sha256).hexdigest()


def is_digest(value: str) -> bool:
    return bool(_DIGEST.match(value))


def ensure_salt(conn: Connection) -> bytes:
    """The registry's salt, made on first use (inside the caller's migration transaction)."""
    salt = load_salt(conn)
    if salt is None:
        salt = secrets.token_bytes(32)
        conn.execute(insert(s.registry_settings).values(name=SALT_SETTING, value=salt.hex()))
    return salt


def load_salt(conn: Connection) -> bytes | None:
    value = conn.execute(select(s.registry_settings.c.value)
                         .where(s.registry_settings.c.name == SALT_SETTING)).scalar_one_or_none()
    return bytes.fromhex(value) if value is not None else None
