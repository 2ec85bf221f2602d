"""Numbers and dates as Indonesian documents and pages print them (PUEBI): `1.234,5`,
`30 September 2026`. One place, so a document and a page never disagree."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


# The five categories of capaian (Permendagri 86/2017) as pages and documents name them.
# Why an achievement could not be computed (domain.achievement's reasons), as pages and prints say it.
MISSING_REASON_NAMES = {
    "NO_TARGET": "belum ada target",
    "NO_REALISATION": "belum ada realisasi",
    "ZERO_TARGET": "target nol",
    "NEGATIVE_TARGET": "target negatif",
    "ZERO_REALISATION": "realisasi nol",
    "INVALID_RANGE": "rentang target tidak sah",
}
CATEGORY_NAMES = {
    "SANGAT_TINGGI": "Sangat Tinggi",
    "TINGGI": "Tinggi",
    "SEDANG": "Sedang",
    "RENDAH": "Rendah",
    "SANGAT_RENDAH": "Sangat Rendah",
}


def indonesian_number(value: Decimal) -> str:
    """1234.5 → `1.234,5`: thousands with dots, decimals after a comma, no padding."""
    return _grouped(format(value.normalize(), "f") if value.is_finite() else str(value))


def indonesian_fixed(value: Decimal, places: int) -> str:
    """Always `places` decimals (a percentage on a dashboard: `87,50`)."""
    return _grouped(format(value.quantize(Decimal(1).scaleb(-places)), "f"))


def _grouped(text: str) -> str:
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def indonesian_date(day: date) -> str:
    """`30 September 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# Kalimantan Barat keeps Waktu Indonesia Barat; pages and documents print times there, as officials
# read them, so that a page and the document it links agree on a day near midnight.
WIB = ZoneInfo("Asia/Jakarta")


def local_date(moment: datetime) -> date:
    """The day a stored timestamp falls on in WIB (a 20:49 UTC approval is the next day there)."""
    return moment.astimezone(WIB).date()
