"""Relay global IDs ("Type:pk", base64) and opaque keyset cursors."""

import base64
import binascii

NODE_TYPES = ("Government", "OrgUnit", "Indicator", "StrategicPlan", "PlanVersion", "PerformanceAgreement")
# Ids named in inputs that are not nodes: the content of a plan version (schema.types.PlanElement)
# and cascade proposals.
ELEMENT_TYPES = ("Goal", "Objective", "Program", "Activity", "SubActivity", "CascadeProposal")
# SAKIP evaluations and their parts, and the signed versions evidence may name (schema/lke.py).
EVALUATION_TYPES = ("Evaluation", "EvaluationModel", "Evidence", "Recommendation", "AgreementVersion", "LkjipVersion")
# Items of a confirmed reward and punishment list (schema/rewards.py).
MONEV_TYPES = ("RewardItem",)
# LKjIP generated in the background (schema/lkjip_jobs.py).
DOCUMENT_TYPES = ("LkjipJob",)
# Individual e-Kinerja (schema/individual.py): never nodes, since nodes(ids) is readable by anyone.
INDIVIDUAL_TYPES = ("Employee", "Position", "ActingAssignment", "ActivityLog", "Skp", "Rhk", "TppJob")


def encode_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()


def decode_id(global_id: str) -> tuple[str, int] | None:
    """The type and key of a global id, or None for anything malformed."""
    try:
        type_name, _, pk = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
        if (
            type_name
            not in (*NODE_TYPES, *ELEMENT_TYPES, *EVALUATION_TYPES, *MONEV_TYPES, *DOCUMENT_TYPES, *INDIVIDUAL_TYPES)
            or not pk.isdigit()
        ):
            return None
        return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def decode_id_of(global_id: str, type_name: str) -> int | None:
    decoded = decode_id(global_id)
    return decoded[1] if decoded is not None and decoded[0] == type_name else None


# Serial ids start at 1: a malformed id is passed on as this key, which names no row.
NO_ROW = 0


def pk_of(global_id: str, type_name: str) -> int:
    """The key a global id of `type_name` names; NO_ROW when it is malformed or of another type,
    so that an action reports it as not found, at its field, like the id of a missing row."""
    return decode_id_of(global_id, type_name) or NO_ROW


def optional_pk_of(global_id: str | None, type_name: str) -> int | None:
    """`pk_of` of an optional id: None when it is not given."""
    return None if global_id is None else pk_of(global_id, type_name)


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{pk}".encode()).decode()


def decode_cursor(cursor: str) -> int | None:
    try:
        prefix, _, pk = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(pk) if prefix == "cursor" and pk.isdigit() else None
