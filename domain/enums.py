"""Vocabulary of the domain; each member's value is also its name in the GraphQL schema."""

from enum import Enum


class GovernmentKind(Enum):
    PROVINSI = "PROVINSI"
    KABUPATEN = "KABUPATEN"
    KOTA = "KOTA"


class OrgUnitKind(Enum):
    PEMDA = "PEMDA"
    PERANGKAT_DAERAH = "PERANGKAT_DAERAH"
    ESELON_III = "ESELON_III"
    ESELON_IV = "ESELON_IV"


class Polarity(Enum):
    HIGHER_IS_BETTER = "HIGHER_IS_BETTER"
    LOWER_IS_BETTER = "LOWER_IS_BETTER"


class AchievementMethod(Enum):
    RATIO = "RATIO"
    MIRROR = "MIRROR"
    INVERSE = "INVERSE"
    RANGE = "RANGE"


class IndicatorType(Enum):
    IMPACT = "IMPACT"
    OUTCOME = "OUTCOME"
    OUTPUT = "OUTPUT"


class PeriodAggregation(Enum):
    SUM = "SUM"
    LAST = "LAST"
    AVERAGE = "AVERAGE"


class ReportingFrequency(Enum):
    """How often an indicator's realisation is entered: per quarter, or per month with each
    quarter derived from its months (domain/months.py)."""

    QUARTERLY = "QUARTERLY"
    MONTHLY = "MONTHLY"


class RollupFromChildren(Enum):
    NONE = "NONE"
    SUM = "SUM"
    AVERAGE = "AVERAGE"
    WEIGHTED_AVERAGE = "WEIGHTED_AVERAGE"
    MIN = "MIN"
    MAX = "MAX"


class AchievementCategory(Enum):
    SANGAT_TINGGI = "SANGAT_TINGGI"
    TINGGI = "TINGGI"
    SEDANG = "SEDANG"
    RENDAH = "RENDAH"
    SANGAT_RENDAH = "SANGAT_RENDAH"


class MissingReason(Enum):
    """Why an achievement could not be computed; the API reports it instead of a number."""

    NO_TARGET = "NO_TARGET"
    NO_REALISATION = "NO_REALISATION"
    ZERO_TARGET = "ZERO_TARGET"
    NEGATIVE_TARGET = "NEGATIVE_TARGET"
    ZERO_REALISATION = "ZERO_REALISATION"
    INVALID_RANGE = "INVALID_RANGE"
