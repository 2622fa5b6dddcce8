"""Challenges the verification page issues for presentations: `<issued>-<random>-<mac>`, authenticated
with a secret of this process so a forged or stale one is refused without storing every challenge;
each is accepted once (a bounded memory of the ones used). A restart forgets them: ask for a new one."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict

from ecvet_credentials.core.timeutil import utc_now
from ecvet_credentials.i18n import N_

MAX_AGE_S = 15 * 60
_SECRET = secrets.token_bytes(32)
_USED: OrderedDict[str, None] = OrderedDict()
_MAX_USED = 10_000
_LOCK = threading.Lock()


def _mac(body: str) -> str:
    return hmac.new(_SECRET, body.encode("ascii"), hashlib.sha256).hexdigest()[:20]


def issue(now: float | None = None) -> str:
    body = f"{int(now if now is not None else utc_now().timestamp())}-{secrets.token_hex(8)}"
    return f"{body}-{_mac(body)}"


def accept(challenge: str, now: float | None = None) -> str | None:
    """None when `challenge` is one we issued, fresh and not used yet (it is then used); else why not
    (an English text marked for translation)."""
    parts = challenge.split("-") if isinstance(challenge, str) and len(challenge) < 100 else []
    if len(parts) != 3 or not parts[0].isdigit():
        return N_("The presentation was not made for a challenge this page issued.")
    body = f"{parts[0]}-{parts[1]}"
    if not hmac.compare_digest(_mac(body), parts[2]):
        return N_("The presentation was not made for a challenge this page issued.")
    age = (now if now is not None else utc_now().timestamp()) - int(parts[0])
    if age > MAX_AGE_S or age < -60:
        return N_("The challenge has expired: ask for a new one.")
    with _LOCK:
        if challenge in _USED:
            return N_("The challenge was already used: ask for a new one.")
        _USED[challenge] = None
        while len(_USED) > _MAX_USED:
            _USED.popitem(last=False)
    return None
