"""Badge codes: short, unique within an event, easy to read aloud and to scan.

Six characters from an alphabet without look-alikes (no 0/O, 1/I/L, U): 30^6 ≈ 729 million
codes, so a random draw almost never repeats; ``BadgeCodes`` still checks.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6


def normalise_code(value: str) -> str:
    """What a person or a scanner typed, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def is_valid_code(value: str) -> bool:
    return len(value) == LENGTH and all(ch in ALPHABET for ch in value)


class BadgeCodes:
    """Draws new codes that differ from the ``taken`` ones and from each other."""

    def __init__(self, rng: random.Random | None = None, taken: Iterable[str] = ()) -> None:
        self._rng = rng
        self._taken = set(taken)

    def new(self) -> str:
        while True:
            if self._rng is not None:
                code = "".join(self._rng.choice(ALPHABET) for _ in range(LENGTH))
            else:
                code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
            if code not in self._taken:
                self._taken.add(code)
                return code
