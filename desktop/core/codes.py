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
_LETTER_OF_BYTE = bytes(ord(ALPHABET[b % len(ALPHABET)]) for b in range(256))
_UNFAIR = bytes(range(256 // len(ALPHABET) * len(ALPHABET), 256))  # bytes that would favour the first letters


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
        self._letters = ""  # drawn and not used yet: from self._at on
        self._at = 0

    def _draw(self) -> str:
        """Six letters from the operating system's randomness (as ``secrets`` draws), read
        a few thousand bytes at a time: a byte below 240 gives a letter (240 = 8 × 30, so
        every letter is equally likely), the others are thrown away."""
        at = self._at
        while len(self._letters) - at < LENGTH:
            fresh = secrets.token_bytes(1024).translate(_LETTER_OF_BYTE, _UNFAIR).decode("ascii")
            self._letters, at = self._letters[at:] + fresh, 0
        self._at = at + LENGTH
        return self._letters[at:at + LENGTH]

    def new(self) -> str:
        while True:
            if self._rng is not None:
                code = "".join(self._rng.choice(ALPHABET) for _ in range(LENGTH))
            else:
                code = self._draw()
            if code not in self._taken:
                self._taken.add(code)
                return code
