"""The government an action names by its Kemendagri code, found as the caller may see it."""

from sqlalchemy.ext.asyncio import AsyncConnection

from actions.caller import Caller
from domain.enums import OrgUnitKind
from domain.errors import DomainError
from policies.permissions import Permission
from store import hierarchy
from store.records import GovernmentRecord, OrgUnitRecord


async def government_for(
    conn: AsyncConnection, caller: Caller, government_code: str, permission: Permission, refusal: str
) -> GovernmentRecord:
    """The government with this code, if the caller may act on it with `permission`: NOT_FOUND
    when it is not visible, FORBIDDEN with `refusal` when it is but the grant is missing."""
    governments = await hierarchy.governments_by_codes(conn, caller.viewer, [government_code.strip()])
    if not governments:
        raise DomainError("NOT_FOUND", "Pemerintah daerah tidak ditemukan.", "governmentCode")
    if not caller.viewer.may(permission, governments[0].path):
        raise DomainError("FORBIDDEN", refusal, "governmentCode")
    return governments[0]


async def agency_of(conn: AsyncConnection, caller: Caller, agency_id: int) -> OrgUnitRecord | None:
    """The perangkat daerah with this id as the caller may see it (None: not one, or not visible)."""
    units = await hierarchy.units_by_ids(conn, caller.viewer, [agency_id])
    unit = units[0] if units else None
    return unit if unit is not None and unit.kind is OrgUnitKind.PERANGKAT_DAERAH else None


async def agency_for(conn: AsyncConnection, caller: Caller, agency_id: int, field: str) -> OrgUnitRecord:
    """`agency_of`, or NOT_FOUND at `field`."""
    unit = await agency_of(conn, caller, agency_id)
    if unit is None:
        raise DomainError("NOT_FOUND", "Perangkat daerah tidak ditemukan.", field)
    return unit
