"""Values loaded ahead: what an object type offers the prepared completion (api/completion.py).

A type whose resolver fields can be answered from what was already loaded subclasses `Prepared`
and returns those values from `prepared_value`; anything else answers NOT_PREPARED and is
resolved by its resolver as usual.
"""

from collections.abc import Mapping
from typing import Any

NOT_PREPARED: Any = object()


class Prepared:
    """Base of object types whose resolver fields can be loaded ahead (a plain class: the
    check runs for every completed value, and isinstance on a Protocol is slow)."""

    def prepared_value(self, field_name: str, arguments: Mapping[str, Any]) -> Any:
        """The value of a resolver field loaded ahead for these arguments (GraphQL names,
        defaults applied), or NOT_PREPARED."""
        return NOT_PREPARED
