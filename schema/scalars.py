"""The Decimal scalar: a string on the wire, parsed exactly."""

import decimal

import strawberry


def parse_decimal(value: object) -> decimal.Decimal:
    # A JSON number arrives as float: its shortest repr ("90.1") is what the client wrote,
    # while Decimal(90.1) would be 90.09999999999999431565811391.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError('Decimal expects a string such as "90.5"')
    try:
        return decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation as error:
        raise ValueError(f'"{value}" is not a decimal number') from error


def serialize_decimal(value: decimal.Decimal) -> str:
    """The exact value without storage padding: numeric(20, 6) 12.500000 is sent as "12.5",
    and 100.000000 as "100" (never "1E+2")."""
    return format(value.normalize(), "f") if value.is_finite() else str(value)


DecimalScalar = strawberry.scalar(
    name="Decimal",
    description='Exact decimal number, sent as a string (e.g. "112.5").',
    serialize=serialize_decimal,
    parse_value=parse_decimal,
)
