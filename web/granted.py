"""Where a page's workspace lies: the governments on which the user holds a role, and their
perangkat daerah (the finance unit's TPP, the verifier's months, the personnel admin's import)."""

from typing import Any

from starlette.requests import Request

from web.graphql import PageGraphQL
from web.sessions import PageUser


def governments_granted(me: dict[str, Any] | None, role: str) -> list[dict[str, Any]]:
    """The Government scopes of the user's grants of `role` (from a query's `me { grants }`)."""
    return [
        g["scope"] for g in (me or {}).get("grants", [])
        if g["role"] == role and g["scope"] and g["scope"]["__typename"] == "Government"
    ]  # fmt: skip


async def agencies_granted(
    graphql: PageGraphQL, request: Request, user: PageUser, me: dict[str, Any] | None, role: str
) -> list[dict[str, Any]]:
    """The perangkat daerah of the governments of the user's grants of `role`."""
    units: list[dict[str, Any]] = []
    for government in governments_granted(me, role):
        variables = {"government": government["id"]}
        node = (await graphql.run(request, user.viewer, "EntryUnits", variables)).data["node"]
        root = (node or {}).get("rootUnit") or {}
        units += [u for u in root.get("children", []) if u["kind"] == "PERANGKAT_DAERAH"]
    return units
