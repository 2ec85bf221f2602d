"""How pages print figures, dates and states (Jinja filters): Indonesian notation from
domain.notation, labels in Bahasa Indonesia."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from domain.notation import (
    CATEGORY_NAMES,
    MISSING_REASON_NAMES,
    WIB,
    indonesian_date,
    indonesian_fixed,
    indonesian_number,
    local_date,
)

CATEGORIES = CATEGORY_NAMES
INCOMPLETE = "data belum lengkap"
REPORT_STATES = {
    "DRAFT": "Draf",
    "SUBMITTED": "Diajukan",
    "RETURNED": "Dikembalikan",
    "APPROVED": "Disetujui",
    "LOCKED": "Dikunci",
    "PUBLISHED": "Dipublikasikan",
}
COMPLIANCE = {
    "ON_TIME": "Tepat waktu",
    "LATE": "Terlambat",
    "MISSING": "Belum masuk",
    "NOT_DUE": "Belum jatuh tempo",
}
AGREEMENT_LEVELS = {
    "KEPALA_DAERAH": "Kepala Daerah",
    "JPT": "Kepala Perangkat Daerah",
    "ADMINISTRATOR": "Administrator",
    "PENGAWAS": "Pengawas",
}
ROLES = {
    "ADMIN": "Admin",
    "OPERATOR": "Operator",
    "REVIEWER": "Reviewer",
    "LEADER": "Pimpinan",
    "EVALUATOR": "Evaluator",
    "PLANNER": "Perencana",
    "API_CLIENT": "Klien API",
    "VERIFIER": "Verifikator Kinerja Pegawai",
    "FINANCE": "Keuangan",
    "QUALITY_ASSURER": "Penjamin Kualitas",
}


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def number(value: object) -> str:
    """`1.234,5`; `-` for no value."""
    parsed = _decimal(value)
    return "-" if parsed is None else indonesian_number(parsed)


def percent(value: object) -> str:
    """`87,50%`; `-` for no value."""
    parsed = _decimal(value)
    return "-" if parsed is None else f"{indonesian_fixed(parsed, 2)}%"


def score(value: object) -> str:
    """An evaluation score with its two decimals, `65,70`; `-` for none."""
    parsed = _decimal(value)
    return "-" if parsed is None else indonesian_fixed(parsed, 2)


def day(value: object) -> str:
    """`30 September 2026` from a date or an ISO date or timestamp."""
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = local_date(value)
    assert isinstance(value, date)
    return indonesian_date(value)


def moment(value: object) -> str:
    """`8 Oktober 2026 09.00 WIB` from an ISO timestamp."""
    if not isinstance(value, str) or not value:
        return "-"
    at = datetime.fromisoformat(value).astimezone(WIB)
    return f"{indonesian_date(at.date())} {at:%H.%M} WIB"


def category(value: object) -> str:
    return CATEGORIES.get(str(value), INCOMPLETE) if value else INCOMPLETE


FILTERS = {
    "angka": number,
    "persen": percent,
    "skor": score,
    "tanggal": day,
    "waktu": moment,
    "kategori": category,
    "status": lambda value: REPORT_STATES.get(str(value), str(value)),
    "kepatuhan": lambda value: COMPLIANCE.get(str(value), str(value)),
    "alasan": lambda value: MISSING_REASON_NAMES.get(str(value), "-") if value else "-",
    "peran": lambda value: ROLES.get(str(value), str(value)),
    "jenjang": lambda value: AGREEMENT_LEVELS.get(str(value), str(value)),
    # A figure for a chart's data (JSON numbers; no value stays a gap, never 0).
    "nilai_grafik": lambda value: None if _decimal(value) is None else float(str(value)),
}
