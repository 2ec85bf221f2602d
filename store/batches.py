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


def unnested(table: Table, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> Select[Any]:
    """SELECT the rows' values of `columns` (typed like the table's) from one array per column."""
    arrays = []
    for name in columns:
        values = [row[name] for row in rows]
        if isinstance(table.c[name].type, JSONB):  # sent as text: psycopg has no jsonb[] adapter
            arrays.append(literal([None if v is None else json.dumps(v) for v in values], ARRAY(Text)))
        else:
            arrays.append(literal(values, ARRAY(table.c[name].type)))
    source = func.unnest(*arrays).table_valued(*columns).render_derived(name="batch")
    selected: list[ColumnElement[Any]] = [
        cast(source.c[name], JSONB) if isinstance(table.c[name].type, JSONB) else source.c[name] for name in columns
    ]
    return select(*selected)
