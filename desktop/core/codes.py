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
_SPACE = len(ALPHABET) ** LENGTH


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
            # One draw per code, written in base 30 (drawing each letter costs ~6× more).
            n = self._rng.randrange(_SPACE) if self._rng is not None else secrets.randbelow(_SPACE)
            letters = []
            for _ in range(LENGTH):
                n, digit = divmod(n, len(ALPHABET))
                letters.append(ALPHABET[digit])
            code = "".join(letters)
            if code not in self._taken:
                self._taken.add(code)
                return code
