"""Batch rows: input types built straight from graphql-core's coerced values.

Strawberry's generic conversion resolves each field's type and GraphQL name again for every
value, about 60 µs per row: 0.3 s of a 5,000-row submission. For an input type whose fields are
all scalars there is nothing to convert (graphql-core has already parsed the scalars), so its
`from_input` hook (StrawberryObjectDefinition.from_input) maps names to keyword arguments.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryList, StrawberryOptional, has_object_definition
from strawberry.types.enum import has_enum_definition

T = TypeVar("T")


def _is_scalar(type_: object) -> bool:
    if isinstance(type_, StrawberryOptional):
        return _is_scalar(type_.of_type)
    return not isinstance(type_, StrawberryList) and not has_object_definition(type_) and not has_enum_definition(type_)


def scalar_rows(cls: type[T]) -> type[T]:
    """Decorate (outside @strawberry.input) an input type made of scalar fields only."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    unsupported = [field.python_name for field in definition.fields if not _is_scalar(field.type)]
    assert not unsupported, f"{cls.__name__}: fields {unsupported} need Strawberry's conversion"
    names: list[tuple[str, str]] = []

    def from_input(type_: type[T], value: Mapping[str, Any], context: InputContext) -> T:
        if not names:
            names.extend((context.config.name_converter.from_field(f), f.python_name) for f in definition.fields)
        return type_(**{python: value[graphql] for graphql, python in names if graphql in value})

    definition.from_input = from_input
    return cls
