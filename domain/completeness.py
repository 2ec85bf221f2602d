"""When a rollup's figure may be shown as a category colour (dashboards, portal).

A figure over part of its indicators is not the scope's performance: a unit that has not
reported looks as good or as bad as the few values it has. So a category colour is shown only
when every indicator in the scope has an achievement; otherwise the figure is "data belum
lengkap" (issue 17: incomplete data is never a colour), with the partial percentage beside it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Coverage:
    indicator_count: int
    counted_count: int

    @property
    def complete(self) -> bool:
        return self.indicator_count > 0 and self.counted_count == self.indicator_count


def shown_category(category: str | None, coverage: Coverage) -> str | None:
    """The category to colour by, or None for "data belum lengkap"."""
    return category if coverage.complete else None
