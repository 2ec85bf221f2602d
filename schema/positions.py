"""The GraphQL type of a position (jabatan), shared by the employee master and the SKP."""

import strawberry

from domain.personnel import PositionKind
from schema.ids import encode_id
from schema.types import Info, OrgUnit
from store.personnel import PositionRecord

strawberry.enum(PositionKind, name="PositionKind", description="Jenis jabatan (UU 5/2014).")


@strawberry.type(description="A position (jabatan) in an org unit, under its superior position.")
class Position:
    record: strawberry.Private[PositionRecord]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Position", self.record.id))

    @strawberry.field
    def code(self) -> str:
        return self.record.code

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def kind(self) -> PositionKind:
        return self.record.kind

    @strawberry.field(description="Kelas jabatan (1–17): the TPP base amount follows it.")
    def job_class(self) -> int:
        return self.record.job_class

    @strawberry.field(description="The superior position's id (jabatan atasan); null for the head of an agency.")
    def superior_id(self) -> strawberry.ID | None:
        superior = self.record.superior_id
        return None if superior is None else strawberry.ID(encode_id("Position", superior))

    @strawberry.field
    async def org_unit(self, info: Info) -> OrgUnit | None:
        unit = await info.context.loaders.org_unit_by_id.load(self.record.org_unit_id)
        return OrgUnit.of(unit) if unit else None
