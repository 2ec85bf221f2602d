"""Registering operation documents (actions/operations.py does the work)."""

from actions import operations
from resolvers.writes import in_transaction
from schema.operations import PersistedOperation, RegisterOperationsInput, RegisterOperationsPayload
from schema.types import Info


async def register_operations(info: Info, input: RegisterOperationsInput) -> RegisterOperationsPayload:
    done = await in_transaction(
        info, lambda conn: operations.register_operations(conn, caller=info.context.caller, documents=input.documents)
    )
    registered = [PersistedOperation.of(record) for record in done.value] if done.value is not None else None
    return RegisterOperationsPayload(operations=registered, user_errors=done.user_errors)
