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


DecimalScalar = strawberry.scalar(
    name="Decimal",
    description='Exact decimal number, sent as a string (e.g. "112.50").',
    serialize=str,
    parse_value=parse_decimal,
)
