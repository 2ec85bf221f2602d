"""How a record is read from SQL, declared once: its dataclass.

A `RowShape` selects a record's fields as columns, in field order (from the tables or
expressions named, a field's column named otherwise only where `renamed` says so), and builds
records from rows selected that way, by position. So adding a column is one field on the
record (and the migration): every statement that reads the record selects it, and no reader
can shift meanings by unpacking a row in another order. Enum fields are converted from their
stored values through dicts: `Enum(value)` costs about 2 µs, and a kabupaten/kota's batch
reads 5,000 rules of five enums.
"""

import enum
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any, Generic, TypeVar, Union, get_args, get_origin, get_type_hints

from sqlalchemy import ColumnElement, FromClause

R = TypeVar("R")
Source = FromClause | Mapping[str, ColumnElement[Any]]


def _enum_lookup(annotation: Any) -> dict[Any, Any] | None:
    """Stored value -> member for an enum-typed field (None stays None for an optional one)."""
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    members = [o for o in options if isinstance(o, type) and issubclass(o, enum.Enum)]
    if not members:
        return None
    lookup: dict[Any, Any] = {member.value: member for member in members[0]}
    if type(None) in options:
        lookup[None] = None
    return lookup


class RowShape(Generic[R]):
    def __init__(self, record: Callable[..., R], *, renamed: Mapping[str, str] | None = None) -> None:
        self.record = record
        declared = fields(record)  # type: ignore[arg-type]
        hints = get_type_hints(record)
        self.names = tuple((renamed or {}).get(f.name, f.name) for f in declared)
        self._lookups = [(i, lookup) for i, f in enumerate(declared) if (lookup := _enum_lookup(hints[f.name]))]

    def __len__(self) -> int:
        return len(self.names)

    def columns(self, *sources: Source) -> list[ColumnElement[Any]]:
        """The record's columns in field order, each from the first source that has it."""
        found = []
        for name in self.names:
            column = next((_column(source, name) for source in sources if _has(source, name)), None)
            if column is None:
                raise KeyError(f"no source has column {name!r}")
            found.append(column)
        return found

    def read(self, row: Sequence[Any], start: int = 0) -> R:
        """The record from a row whose columns from `start` on are `columns(...)`."""
        values = list(row[start : start + len(self.names)])
        for index, lookup in self._lookups:
            values[index] = lookup[values[index]]
        return self.record(*values)

    def read_named(self, row: Any) -> R:
        """The record from a row that names its columns (a union of shapes, a join)."""
        mapping = row._mapping
        return self.read([mapping[name] for name in self.names])


def _has(source: Source, name: str) -> bool:
    return name in source if isinstance(source, Mapping) else name in source.c


def _column(source: Source, name: str) -> ColumnElement[Any]:
    return source[name] if isinstance(source, Mapping) else source.c[name]
