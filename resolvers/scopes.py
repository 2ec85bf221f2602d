"""Resolve a Government or OrgUnit global id to its hierarchy path."""

from schema.errors import bad_input
from schema.ids import decode_id
from schema.types import Info


async def scope_path(info: Info, global_id: str, *, argument: str) -> str | None:
    """The path under an id, None when it names nothing; a malformed id is bad input."""
    decoded = decode_id(global_id)
    if decoded is None or decoded[0] not in ("Government", "OrgUnit"):
        raise bad_input(f"{argument} harus berupa id Government atau OrgUnit.")
    type_name, pk = decoded
    if type_name == "Government":
        government = await info.context.loaders.government_by_id.load(pk)
        return government.path if government else None
    unit = await info.context.loaders.org_unit_by_id.load(pk)
    return unit.path if unit else None
