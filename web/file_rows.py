"""A batch sent from an uploaded file answers with errors at `rows.N…`; people fix the file, so
each error is named by the row's line in the file (`Baris N: …`) instead of its index."""

import re
from collections.abc import Sequence

from web.graphql import UserError


def by_line(errors: list[UserError], lines: Sequence[int], rows: str = "rows") -> list[str]:
    """Each error as `Baris N: …`, N the line (in the file) of the row it names (`rows.N…`, or
    the batch's own list name); the rest as they are."""
    row_at = re.compile(rf"^{re.escape(rows)}\.(\d+)")
    named = []
    for error in errors:
        found = row_at.match(error.field or "")
        if found and int(found.group(1)) < len(lines):
            named.append(f"Baris {lines[int(found.group(1))]}: {error.message}")
        else:
            named.append(error.message)
    return named
