"""The prepared completion engine: values whose whole selection is already loaded, completed in
one pass.

graphql-core completes every field value through the general machinery (a resolve-info object,
an awaitable check, path tracking): about 12 µs per value here, so a kabupaten/kota rollup with
its forty child rows (~800 values) spent 10 ms in it against 4 ms of SQL. A resolver that has
loaded everything below its field returns a `Prepared` object (schema/prepared.py);
`CompletingExecutionContext` then builds the field's result straight from the selection (fields
collected by graphql-core itself, so fragments, aliases and @skip/@include behave the same) and
the schema's own leaf serialisers, through completers compiled once per type and selection.
Anything it cannot answer that way (a resolver field the object did not prepare for those
arguments, @defer, a null where the schema forbids one) makes it fall back to the general
completion of the same object, which gives the same answer, only slower
(tests/api/test_prepared_completion.py runs the suite's shapes through both and compares).

It reaches past the public APIs of the versions pinned in pyproject.toml; what it touches:
- graphql-core 3.3 `ExecutionContext`: the `complete_value(return_type, field_details_list, info,
  path, result, position_context)` signature, `collect_subfields(...)` and its result's
  `grouped_field_set` and `new_defer_usages`, `variable_values`, `build_response`, `schema`,
  and `async_helpers` (`GraphQLResolveInfoHelpers(gather, track)` over `gather_async_work`,
  `track_async_work`);
- graphql-core's executor module function `gather_with_cancel`, replaced by `gather_settled`
  (a sibling must not be cancelled mid-statement);
- graphql-core's `FieldDetails.node` / `.fragment_variable_values` and
  `graphql.execution.values.get_argument_values(field_def, node, variables, fragment_variables)`;
- Strawberry's `StrawberryGraphQLCoreExecutionContext` (subclassed), the field back-reference
  `GraphQLCoreConverter.DEFINITION_BACKREF` with `StrawberryField.is_basic_field` and
  `.python_name`, and the `wrapped_cls` of its enum types.

A field completed here never runs its resolver, so permission classes and field extensions
would be skipped silently: `refuse_unprepared_guards` refuses, when the schema is built, any
such field on a type this engine can reach.
"""

import asyncio
import functools
import weakref
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from enum import EnumMeta
from operator import attrgetter
from typing import Any

import strawberry
from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    specified_scalar_types,
)
from graphql.execution import executor as graphql_executor
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.values import get_argument_values
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from schema.context import Context
from schema.prepared import NOT_PREPARED, Prepared


class _Fallback(Exception):
    """The selection asks for something not prepared: complete it the general way."""


_TYPENAME = "__typename"
Completer = Callable[[Any], Any]


async def gather_settled(*awaitables: Awaitable[Any]) -> list[Any]:
    """Sibling fields' results, every one settled before a failure propagates, none cancelled.

    graphql-core's `gather_with_cancel` cancels the siblings of a field that fails. A sibling
    cancelled while its statement runs on the request's shared connection leaves that connection
    broken, and giving it back then failed the whole answer with INTERNAL, hiding the field's
    own error (`{ strategicPlans(scope: …) { … } planningGaps(governmentCode: "", year: 0) { … } }`,
    found by tests/api/test_fuzz.py). Waiting for the siblings costs a failing request their
    time, which the request timeout bounds; the first failure in field order propagates."""
    results = await asyncio.gather(*awaitables, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


# graphql-core's executor calls the module function for fields, lists and streams alike.
graphql_executor.gather_with_cancel = gather_settled  # type: ignore[attr-defined]  # not in its __all__


class CompletingExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Completes prepared values with completers compiled once per type and selection: a closure
    per field that knows its getter and its type's serialiser, instead of examining the type of
    every value again (a kabupaten/kota rollup completes ~1,900 values)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.async_helpers = _weak_helpers(self)
        if isinstance(self.context_value, Context):
            self.context_value.settling = self.background_futures
        # Like graphql-core's own memo of collected fields: keyed on the field list's identity,
        # which is kept alive with the entry.
        self._completers: dict[tuple[GraphQLOutputType, int], tuple[FieldDetailsList, Completer]] = {}

    def gather_async_work(self, values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
        return gather_settled(*values)

    def build_response(self, data: dict[str, Any] | None) -> Any:
        # Completers of abstract types refer to this context: dropping them ends that cycle.
        self._completers.clear()
        return super().build_response(data)

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        if isinstance(result, Prepared):
            try:
                return self._completer(return_type, field_details_list)(result)
            except _Fallback:
                pass
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    def _completer(self, return_type: GraphQLOutputType, fields: FieldDetailsList) -> Completer:
        key = (return_type, id(fields))
        if (cached := self._completers.get(key)) is not None:
            return cached[1]
        completer = self._compile(return_type, fields)
        self._completers[key] = (fields, completer)
        return completer

    def _compile(self, return_type: GraphQLOutputType, fields: FieldDetailsList) -> Completer:
        if isinstance(return_type, GraphQLNonNull):
            return _non_null(self._compile(return_type.of_type, fields))
        if isinstance(return_type, GraphQLList):
            return _list_of(self._compile(return_type.of_type, fields))
        if isinstance(return_type, GraphQLObjectType):
            return _nullable(self._object_completer(return_type, fields))
        if is_leaf_type(return_type):
            return _nullable(_leaf_completer(return_type))
        if is_abstract_type(return_type):
            return _nullable(self._abstract_completer(return_type, fields))
        raise _Fallback

    def _abstract_completer(self, abstract_type: GraphQLAbstractType, fields: FieldDetailsList) -> Completer:
        def complete(value: Any) -> Any:
            definition = getattr(value, "__strawberry_definition__", None)
            runtime = self.schema.get_type(definition.name) if definition else None
            if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(abstract_type, runtime):
                raise _Fallback
            return self._completer(runtime, fields)(value)

        return complete

    def _object_completer(self, object_type: GraphQLObjectType, fields: FieldDetailsList) -> Completer:
        collected = self.collect_subfields(object_type, fields)
        if collected.new_defer_usages:
            raise _Fallback
        getters: list[tuple[str, Completer]] = []
        for response_key, sub_fields in collected.grouped_field_set.items():
            node = sub_fields[0].node
            name = node.name.value
            if name == _TYPENAME:
                getters.append((response_key, _constant(object_type.name)))
                continue
            field_def = object_type.fields[name]
            field: StrawberryField = field_def.extensions[GraphQLCoreConverter.DEFINITION_BACKREF]
            if field.is_basic_field and (leaf := _leaf_attribute(field.python_name, field_def.type)) is not None:
                getters.append((response_key, leaf))
                continue
            complete = self._compile(field_def.type, sub_fields)
            if field.is_basic_field:
                getters.append((response_key, _attribute(field.python_name, complete)))
                continue
            # Variables are fixed for the operation, so a selection's arguments are too.
            try:
                arguments = (
                    get_argument_values(field_def, node, self.variable_values, sub_fields[0].fragment_variable_values)
                    if field_def.args
                    else {}
                )
            except GraphQLError:
                raise _Fallback from None  # reported at its field by the general path
            getters.append((response_key, _prepared_field(name, arguments, complete)))

        def complete_object(value: Any) -> dict[str, Any]:
            return {key: get(value) for key, get in getters}

        return complete_object


def _weak_helpers(context: CompletingExecutionContext) -> GraphQLResolveInfoHelpers:
    """graphql-core's resolver helpers, reaching the context weakly. Its own are the context's
    bound methods, a reference cycle that left each request's objects (the context, its loaders
    and what they loaded, ~800 objects a kabupaten/kota rollup) to the cyclic collector, whose
    passes then took ~5 ms. The helpers are only called while the context executes."""
    reference = weakref.ref(context)

    def alive() -> CompletingExecutionContext:
        context = reference()
        assert context is not None, "resolver helpers are only called during execution"
        return context

    return GraphQLResolveInfoHelpers(
        gather=lambda values: alive().gather_async_work(values),
        track=lambda values: alive().track_async_work(values),
    )


def _non_null(complete: Completer) -> Completer:
    def non_null(value: Any) -> Any:
        completed = complete(value)
        if completed is None:
            raise _Fallback  # the general path reports the error at its place
        return completed

    return non_null


def _nullable(complete: Completer) -> Completer:
    def nullable(value: Any) -> Any:
        return None if value is None else complete(value)

    return nullable


def _list_of(complete: Completer) -> Completer:
    def list_of(value: Any) -> Any:
        return None if value is None else [complete(item) for item in value]

    return list_of


def _constant(result: str) -> Completer:
    return lambda _: result


def _attribute(name: str, complete: Completer) -> Completer:
    get = attrgetter(name)
    return lambda value: complete(get(value))


def _prepared_field(name: str, arguments: Mapping[str, Any], complete: Completer) -> Completer:
    def prepared_field(value: Any) -> Any:
        if not isinstance(value, Prepared):
            raise _Fallback
        raw = value.prepared_value(name, arguments)
        if raw is NOT_PREPARED:
            raise _Fallback
        return complete(raw)

    return prepared_field


def _leaf_attribute(name: str, field_type: GraphQLOutputType) -> Completer | None:
    """An attribute of a leaf type read and serialised in one call (most values are leaves;
    a string, an identifier or a flag is its own serialisation)."""
    leaf = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    non_null = leaf is not field_type
    if not is_leaf_type(leaf):
        return None
    serialise = _leaf_completer(leaf)
    itself = _itself(leaf)

    def leaf_attribute(value: Any) -> Any:
        raw = getattr(value, name)
        if type(raw) is itself:
            return raw
        if raw is None:
            if non_null:
                raise _Fallback  # the general path reports the error at its place
            return None
        return serialise(raw)

    return leaf_attribute


# Built-in scalars whose values of these exact Python types serialise to themselves.
_ITSELF: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}


def _itself(leaf: GraphQLLeafType) -> type | None:
    if leaf is specified_scalar_types.get(leaf.name):
        return _ITSELF.get(leaf.name)
    return None


@functools.lru_cache(maxsize=256)  # the schema's leaf types are fixed for the process
def _leaf_completer(leaf: GraphQLLeafType) -> Completer:
    """The schema's own serialiser, short-cut for the values it would return unchanged."""

    def serialise(value: Any) -> Any:
        try:
            coerced = leaf.coerce_output_value(value)
        except Exception:  # the general path reports it at its field
            raise _Fallback from None
        if coerced is Undefined or coerced is None:
            raise _Fallback
        return coerced

    if isinstance(leaf, GraphQLEnumType):
        # Strawberry's enum serialiser searches the values for each member; the names are fixed.
        wrapped = getattr(leaf, "wrapped_cls", None)
        members: list[Any] = list(wrapped) if isinstance(wrapped, EnumMeta) else []
        names = {member: leaf.coerce_output_value(member) for member in members}

        def enum_name(value: Any) -> Any:
            try:
                return names[value]
            except (KeyError, TypeError):
                return serialise(value)

        return enum_name
    if leaf.name == "Int":
        return lambda value: (
            value if type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT else serialise(value)
        )
    if (itself := _itself(leaf)) is not None:
        return lambda value: value if type(value) is itself else serialise(value)
    return serialise


def refuse_unprepared_guards(schema: strawberry.Schema) -> None:
    """Refuse a schema in which a type that prepared completion can reach has a field with
    permission classes or field extensions: completed here, it would bypass them."""
    guarded = [
        f"{object_type.name}.{name}"
        for object_type in _reachable_from_prepared(schema._schema)
        for name, field_def in object_type.fields.items()
        if (field := field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)) is not None
        and (field.permission_classes or field.extensions)
    ]
    if guarded:
        raise TypeError(f"prepared completion would bypass the permissions or extensions of {', '.join(guarded)}")


def _reachable_from_prepared(schema: GraphQLSchema) -> Iterator[GraphQLObjectType]:
    """Object types of `Prepared` classes, and every object type their fields lead to."""
    pending = [
        t
        for t in schema.type_map.values()
        if isinstance(t, GraphQLObjectType)
        and (definition := t.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)) is not None
        and issubclass(definition.origin, Prepared)
    ]
    seen: set[str] = set()
    while pending:
        object_type = pending.pop()
        if object_type.name in seen:
            continue
        seen.add(object_type.name)
        yield object_type
        for field_def in object_type.fields.values():
            named = get_named_type(field_def.type)
            if isinstance(named, GraphQLObjectType):
                pending.append(named)
            elif isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
                pending.extend(schema.get_possible_types(named))
