"""Typed access to what an INSERT, UPDATE or DELETE gives back.

``Session.execute`` is typed as returning a plain ``Result``, which has neither the row count
nor the new row's key, although every DML statement run here gives a ``CursorResult`` (and
``CursorResult.inserted_primary_key`` is typed as possibly missing). These helpers say so
once, with a check, instead of each caller casting or ignoring the type.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result


def dml_result(result: Result[Any]) -> CursorResult[Any]:
    """The ``CursorResult`` of an executed INSERT, UPDATE or DELETE."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"expected the CursorResult of a DML statement, got a {type(result).__name__}")
    return result


def row_count(result: Result[Any]) -> int:
    """How many rows an executed UPDATE or DELETE matched."""
    return dml_result(result).rowcount


def inserted_key(result: Result[Any]) -> int | None:
    """The integer primary key of the row a one-row INSERT made, or None if it is not known."""
    key = dml_result(result).inserted_primary_key
    return int(key[0]) if key and key[0] is not None else None


def inserted_id(result: Result[Any]) -> int:
    """The integer primary key of the row a one-row INSERT made."""
    key = inserted_key(result)
    if key is None:
        raise RuntimeError("the database did not give the key of the inserted row")
    return key
