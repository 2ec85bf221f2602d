"""Answers of a batch loader in the order of its keys."""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def one_each(keys: Sequence[K], records: Iterable[V], key_of: Callable[[V], K]) -> list[V | None]:
    found = {key_of(record): record for record in records}
    return [found.get(key) for key in keys]


def many_each(keys: Sequence[K], records: Iterable[V], key_of: Callable[[V], K | None]) -> list[list[V]]:
    grouped: dict[K | None, list[V]] = defaultdict(list)
    for record in records:
        grouped[key_of(record)].append(record)
    return [grouped.get(key, []) for key in keys]
