"""Pages kept per database snapshot: see KeptPages."""

from collections import OrderedDict
from datetime import date


class KeptPages:
    """The portal's pages as anonymous visitors get them, kept per database snapshot (any commit
    changes it, so a kept page is never stale) and address: a second visitor costs one
    statement, as the API's kept rollups do. Bounded, least recently used first out."""

    def __init__(self, size: int = 500) -> None:
        self._size = size
        self._pages: OrderedDict[tuple[str, str, date], bytes] = OrderedDict()

    def get(self, key: tuple[str, str, date]) -> bytes | None:
        body = self._pages.get(key)
        if body is not None:
            self._pages.move_to_end(key)
        return body

    def keep(self, key: tuple[str, str, date], body: bytes) -> None:
        self._pages[key] = body
        while len(self._pages) > self._size:
            self._pages.popitem(last=False)
