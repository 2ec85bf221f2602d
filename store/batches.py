"""Many rows as one statement parameter per column.

A list of rows passed to `execute` becomes SQLAlchemy's insertmanyvalues: a 5,000-row batch
of 14 columns is five statements with 14,000 parameters each, for psycopg to bind and the
server to parse (160 ms for a kabupaten/kota's aggregates). One typed array per column,
unnested on the server, is one small statement whatever the batch size.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, Text, cast, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB


class JsonText(str):
    """A value for a jsonb column that is already JSON text."""


def unnested(table: Table, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> Select[Any]:
    """SELECT the rows' values of `columns` (typed like the table's) from one array per column;
    a column with one value throughout (a batch's year, its actor) is a single parameter."""
    varying: dict[str, ColumnElement[Any]] = {}
    constant: dict[str, ColumnElement[Any]] = {}
    for name in columns:
        column_type = table.c[name].type
        is_json = isinstance(column_type, JSONB)
        if is_json:
            values = [v if v is None or isinstance(v, JsonText) else json.dumps(v) for v in (row[name] for row in rows)]
        else:
            values = [row[name] for row in rows]
        if all(v == values[0] for v in values):
            constant[name] = literal(values[0], Text if is_json else column_type)
        else:  # jsonb goes as text: psycopg has no jsonb[] adapter
            varying[name] = literal(values, ARRAY(Text if is_json else column_type))
    selected: dict[str, ColumnElement[Any]] = dict(constant)
    if varying:
        source = func.unnest(*varying.values()).table_valued(*varying).render_derived(name="batch")
        selected.update({name: source.c[name] for name in varying})
    query = select(
        *((cast(selected[n], JSONB) if isinstance(table.c[n].type, JSONB) else selected[n]).label(n) for n in columns)
    )
    # Rows that are all alike still come as many rows.
    return query if varying else query.select_from(func.generate_series(1, len(rows)))
