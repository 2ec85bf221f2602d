"""Domain enums registered with the schema, each described with its Indonesian term.

`strawberry.enum` registers the domain class itself, so types annotate with these same classes.
"""

from enum import Enum

import strawberry

from domain.budget import BudgetLevel
from domain.enums import (
    AchievementCategory,
    AchievementMethod,
    GovernmentKind,
    IndicatorType,
    MissingReason,
    OrgUnitKind,
    PeriodAggregation,
    Polarity,
    ReportingFrequency,
    RollupFromChildren,
)
from domain.progress import BudgetKind
from domain.workflow import Compliance

DESCRIPTIONS: dict[type[Enum], str] = {
    GovernmentKind: "Kind of regional government (pemda).",
    OrgUnitKind: "Kind of org unit: the pemda itself, a perangkat daerah (OPD), or an eselon III/IV unit.",
    Polarity: "Direction of improvement (polaritas).",
    AchievementMethod: "Formula of achievement (rumus capaian): RATIO, MIRROR, INVERSE or RANGE.",
    IndicatorType: "Indicator level (jenis indikator).",
    PeriodAggregation: "How quarters make a year-to-date figure: SUM of counts, LAST level, or AVERAGE.",
    ReportingFrequency: "How often realisations are entered (frekuensi pelaporan): QUARTERLY, or MONTHLY with "
    "each quarter derived from its months by periodAggregation.",
    RollupFromChildren: "How a realisation is computed from cascade children (NONE: typed in by operators).",
    AchievementCategory: "Achievement category (kategori capaian, Permendagri 86/2017).",
    MissingReason: "Why an achievement could not be computed (alasan capaian kosong).",
    Compliance: "Reporting compliance (kepatuhan): ON_TIME, LATE, MISSING, NOT_DUE.",
    BudgetLevel: "Level of a budget item: PROGRAM, ACTIVITY (kegiatan), SUB_ACTIVITY.",
    BudgetKind: "Which budget of the year (jenis anggaran): MURNI, the original APBD; PERUBAHAN, the revised one.",
}
for enum_class, description in DESCRIPTIONS.items():
    strawberry.enum(enum_class, description=description)

__all__ = [
    "AchievementCategory",
    "AchievementMethod",
    "GovernmentKind",
    "IndicatorType",
    "MissingReason",
    "OrgUnitKind",
    "PeriodAggregation",
    "Polarity",
    "ReportingFrequency",
    "RollupFromChildren",
]
