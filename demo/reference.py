"""Kemendagri regions (data/regions.csv) and each government's root unit (the pemda itself)."""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from domain.enums import GovernmentKind

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions.csv"
ROOT_UNIT_VALID_FROM = date(2021, 1, 1)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    kind: GovernmentKind
    parent_code: str | None

    @property
    def path(self) -> str:
        return f"{self.parent_code}/{self.code}/" if self.parent_code else f"{self.code}/"

    @property
    def root_unit_name(self) -> str:
        if self.kind is GovernmentKind.PROVINSI:
            return f"Pemerintah Provinsi {self.name}"
        return f"Pemerintah {self.name}"


def read_regions(path: Path = REGIONS_CSV) -> list[Region]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Region(
                code=row["code"],
                name=row["name"],
                kind=GovernmentKind(row["kind"]),
                parent_code=row["parent_code"] or None,
            )
            for row in csv.DictReader(handle)
        ]
