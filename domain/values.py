"""What a measured value or a text may be, before it is stored."""

from decimal import Decimal

from domain.errors import InvalidValue

# numeric(20, 6) in the database: 14 digits before the point.
MAX_ABS_VALUE = Decimal("1e14")
MAX_SCALE = 6
MAX_NAME_LENGTH = 300
MAX_CODE_LENGTH = 50
MAX_NOTE_LENGTH = 4000


def check_value(value: Decimal, *, allow_negative: bool) -> Decimal:
    if not value.is_finite():
        raise InvalidValue("NOT_FINITE", "Nilai harus berupa angka terhingga (bukan NaN atau Infinity).")
    if not allow_negative and value < 0:
        raise InvalidValue("NEGATIVE_VALUE", "Nilai indikator ini tidak boleh negatif.")
    if abs(value) >= MAX_ABS_VALUE:
        raise InvalidValue("VALUE_TOO_LARGE", "Nilai terlalu besar (maksimum 14 digit sebelum koma).")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_SCALE:
        raise InvalidValue("TOO_MANY_DECIMALS", f"Nilai paling banyak {MAX_SCALE} angka di belakang koma.")
    return value


def check_target(value: Decimal, *, allow_negative: bool, zero_allowed: bool) -> Decimal:
    """A target of 0 makes every ratio-based achievement undefined, so it is refused at entry."""
    check_value(value, allow_negative=allow_negative)
    if value == 0 and not zero_allowed:
        raise InvalidValue("ZERO_TARGET", "Target tidak boleh 0: capaian tidak dapat dihitung.")
    return value


def check_text(text: str, *, max_length: int, required: bool = True) -> str:
    cleaned = text.strip()
    if required and not cleaned:
        raise InvalidValue("REQUIRED", "Wajib diisi.")
    if len(cleaned) > max_length:
        raise InvalidValue("TOO_LONG", f"Paling banyak {max_length} karakter.")
    return cleaned


def check_text_at(text: str, field: str, *, max_length: int, required: bool = True) -> str:
    """`check_text` of an input field: its error names the field."""
    try:
        return check_text(text, max_length=max_length, required=required)
    except InvalidValue as error:
        raise error.at(field) from error
