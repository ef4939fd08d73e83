"""What is left of the window's old table of words for stored values: the words are
``desktop.core.vocabulary``'s (one per value and language). ``STATUS`` and ``CATEGORY``
read them from there for ``registrations/commands.py`` until it asks the vocabulary itself;
then this module goes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from db.models import Category, Status
from desktop.core import vocabulary


class _Words(Mapping[Any, str]):
    """``words[value]``: the vocabulary's word for ``value`` in the interface language."""

    def __init__(self, values: Iterable[Any], word: Callable[[Any], str]) -> None:
        self._values = tuple(values)
        self._word = word

    def __getitem__(self, value: Any) -> str:
        if value not in self._values:
            raise KeyError(value)
        return self._word(value)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


STATUS: Mapping[Status, str] = _Words(Status, vocabulary.status)
CATEGORY: Mapping[Category, str] = _Words(Category, vocabulary.category)
