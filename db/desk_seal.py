"""The SQL function with which Conference Desk seals the changes a desk makes to a desk file.

A desk file (``desktop.core.desk_file``) carries triggers that, on every insert, update
or delete of its event's rows, call ``cd_desk_seal(key, message)`` and keep the answer
beside the change: an HMAC-SHA256 of the change under the file's desk key. SQLite knows the
function only on the connections this app opens (``db.engine`` installs it on each), so
a change made to the file with another program fails ("no such function"), or, with the
triggers dropped first, leaves a row without a valid seal, which the merge refuses
(``desktop.core.desk_signing`` says what this does and does not guarantee).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

FUNCTION = "cd_desk_seal"


def seal(key_hex: str | None, message: str | None) -> str | None:
    """HMAC-SHA256 of ``message`` (UTF-8) under the key given as hex digits, in hex; None
    (the trigger's NOT NULL then refuses the change) when either is missing or malformed."""
    if key_hex is None or message is None:
        return None
    try:
        key = bytes.fromhex(str(key_hex))
    except ValueError:
        return None
    return hmac.new(key, str(message).encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def install(dbapi_connection: Any) -> None:
    """Make ``cd_desk_seal`` known to a sqlite3 connection."""
    dbapi_connection.create_function(FUNCTION, 2, seal, deterministic=True)
