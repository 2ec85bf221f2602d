"""Relay global IDs ("Type:pk", base64) and opaque keyset cursors."""

import base64
import binascii

NODE_TYPES = ("Government", "OrgUnit", "Indicator")


def encode_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()


def decode_id(global_id: str) -> tuple[str, int] | None:
    """The type and key of a global id, or None for anything malformed."""
    try:
        type_name, _, pk = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
        if type_name not in NODE_TYPES or not pk.isdigit():
            return None
        return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def decode_id_of(global_id: str, type_name: str) -> int | None:
    decoded = decode_id(global_id)
    return decoded[1] if decoded is not None and decoded[0] == type_name else None


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{pk}".encode()).decode()


def decode_cursor(cursor: str) -> int | None:
    try:
        prefix, _, pk = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(pk) if prefix == "cursor" and pk.isdigit() else None


def encode_report_id(org_unit_id: int, year: int, quarter: int | None) -> str:
    """A report is named by its unit and period, so its id exists before its first change."""
    return base64.urlsafe_b64encode(f"Report:{org_unit_id}.{year}.{quarter or 0}".encode()).decode()


def decode_report_id(global_id: str) -> tuple[int, int, int | None] | None:
    try:
        type_name, _, key = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = key.split(".")
    if type_name != "Report" or len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    unit, year, quarter = (int(part) for part in parts)
    return unit, year, quarter or None
