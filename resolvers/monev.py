"""Monev queries and mutations (actions/monev.py): a government's rule, its quarter's ranking
(frozen once published, live before), the early-warning list, entered scores."""

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import strawberry

from actions import monev
from actions.monev import FigureInput
from domain.enums import GovernmentKind
from domain.errors import DomainError
from domain.monev import Group, Level, MonevPeriod, Rule, Zone, level_of, rule_from_json
from domain.periods import check_year
from policies.permissions import Permission
from resolvers.writes import in_transaction, user_errors
from schema.errors import ApiError, bad_input
from schema.ids import decode_id_of, pk_of
from schema.monev import (
    EnterMonevFiguresInput,
    MonevFigure,
    MonevFiguresPayload,
    MonevRule,
    MonevRulePayload,
    PublishRankingInput,
    Ranking,
    RankingPayload,
    RankingRow,
    RankingState,
    SetMonevRuleInput,
)
from schema.types import Info, OrgUnit
from store import monev as monev_store
from store.monev import RankingRecord
from store.monev_facts import live_document
from store.records import GovernmentRecord

NOT_A_GOVERNMENT = "scope harus id sebuah Government: peringkat disusun per pemerintah daerah."


def period_of(year: int, quarter: int | None, month: int | None) -> MonevPeriod:
    """A query's period: a year, and a quarter or a month, exactly one (a BAD_USER_INPUT error
    otherwise)."""
    try:
        return MonevPeriod.of(year, quarter, month)
    except DomainError as error:
        raise bad_input(f"{error.field}: {error.message}") from None


def units_of(government: GovernmentRecord, asked: Level | None) -> Level:
    """What a query's ranking ranks (a BAD_USER_INPUT error for kabupaten/kota of a pemda)."""
    try:
        return level_of(government.kind is GovernmentKind.PROVINSI, asked)
    except DomainError as error:
        raise bad_input(f"{error.field}: {error.message}") from None


async def government_of(info: Info, scope: strawberry.ID, *, refuse: bool = True) -> GovernmentRecord | None:
    """The Government a scope id names; not a Government's id: a BAD_USER_INPUT error (a query),
    or None (`refuse=False`, for a mutation to answer with a userError)."""
    pk = decode_id_of(scope, "Government")
    if pk is None:
        if refuse:
            raise bad_input(NOT_A_GOVERNMENT)
        return None
    return await info.context.loaders.government_by_id.load(pk)


async def monev_rule(info: Info, government_code: str, year: int) -> MonevRule | None:
    """Public: how units are ranked is no secret."""
    try:
        check_year(year, "year")
    except DomainError as error:
        raise bad_input(f"{error.field}: {error.message}") from None
    government = await info.context.loaders.government_by_code.load(government_code.strip())
    if government is None:
        return None
    record = await monev_store.current_rule(await info.context.connection(), government.id, year)
    return None if record is None else MonevRule.of(record, rule_from_json(record.rule))


# Published rankings are append-only in the database (migration 0019), so the rows parsed from
# one are the same for every reader, in every request: kept by digest, a published ranking of 600
# rows is read without parsing 600 rows again (bench/monev.py).
_PARSED: OrderedDict[str, tuple[str, list[RankingRow]]] = OrderedDict()
PARSED_KEPT = 64


def _parsed(record: RankingRecord) -> tuple[str, list[RankingRow]]:
    """The tie-break and rows of a published ranking."""
    if (kept := _PARSED.get(record.sha256)) is not None:
        _PARSED.move_to_end(record.sha256)
        return kept
    document = orjson.loads(record.body)
    parsed = (str(document["tieBreak"]), [RankingRow.of(row) for row in document["rows"]])
    _PARSED[record.sha256] = parsed
    if len(_PARSED) > PARSED_KEPT:
        _PARSED.popitem(last=False)
    return parsed


def _frozen(
    government: GovernmentRecord, record: RankingRecord, corrections: Callable[[], Awaitable[bool]] | None
) -> Ranking:
    tie_break, rows = _parsed(record)
    return Ranking(
        government_record=government,
        year=record.period.year,
        quarter=record.period.quarter,
        month=record.period.month or None,
        label=record.period.label,
        units=record.units,
        state=RankingState.PUBLISHED,
        rule_version=record.rule_version,
        tie_break=tie_break,
        rows=rows,
        published_at=record.published_at,
        published_by=record.published_by,
        sha256=record.sha256,
        corrections=corrections,
    )


async def _live(info: Info, government: GovernmentRecord, period: MonevPeriod, units: Level) -> dict[str, Any] | None:
    """The ranking as the data stand, for a caller who may read all of its values."""
    context = info.context
    if not context.viewer.may(Permission.READ_VALUES, government.path):
        return None
    conn = await context.connection()
    rule = await monev_store.current_rule(conn, government.id, period.year)
    if rule is None:
        raise ApiError("NO_RULE", f"{government.name} belum menetapkan aturan monev {period.year}.")
    return await live_document(
        conn, context.viewer, government, period, units, rule, context.services.window, context.today
    )


async def ranking(
    info: Info,
    scope: strawberry.ID,
    year: int,
    quarter: int | None = None,
    month: int | None = None,
    units: Level | None = None,
) -> Ranking | None:
    """Published: the frozen ranking, for everyone. Not yet: computed live, for those who may read
    every value it ranks; null for others."""
    period = period_of(year, quarter, month)
    government = await government_of(info, scope)
    if government is None:
        return None
    level = units_of(government, units)
    conn = await info.context.connection()
    key = (government.id, period, level)
    published = (await monev_store.published(conn, [key])).get(key)
    if published is not None:

        async def corrected() -> bool:
            live = await _live(info, government, period, level)
            return live is not None and live["rows"] != orjson.loads(published.body)["rows"]

        may_compare = info.context.viewer.may(Permission.READ_VALUES, government.path)
        return _frozen(government, published, corrected if may_compare else None)
    document = await _live(info, government, period, level)
    if document is None:
        return None
    return Ranking(
        government_record=government,
        year=period.year,
        quarter=period.quarter,
        month=period.month or None,
        label=period.label,
        units=level,
        state=RankingState.LIVE,
        rule_version=int(document["ruleVersion"]),
        tie_break=str(document["tieBreak"]),
        rows=[RankingRow.of(row) for row in document["rows"]],
        published_at=None,
        published_by=None,
        sha256=None,
        corrections=None,
    )


async def early_warnings(
    info: Info,
    scope: strawberry.ID,
    year: int,
    quarter: int | None = None,
    month: int | None = None,
    units: Level | None = None,
) -> list[RankingRow]:
    """Units below the threshold, with incomplete data, or with a report past its deadline
    ("belum update"), as the data stand now: for those who may read every value of the government."""
    period = period_of(year, quarter, month)
    government = await government_of(info, scope)
    if government is None:
        return []
    document = await _live(info, government, period, units_of(government, units))
    if document is None:
        return []
    return [RankingRow.of(row) for row in document["rows"] if row["warnings"]]


async def monev_figures(
    info: Info, scope: strawberry.ID, year: int, quarter: int | None = None, month: int | None = None
) -> list[MonevFigure]:
    """Entered scores under a government, for those who may read or enter them."""
    period = period_of(year, quarter, month)
    government = await government_of(info, scope)
    if government is None:
        return []
    viewer = info.context.viewer
    rows = await monev_store.figures_under(await info.context.connection(), government.path, period)
    visible = [
        r
        for r in rows
        if viewer.may(Permission.READ_VALUES, r.unit_path) or viewer.may(Permission.WRITE_MONEV, r.unit_path)
    ]
    units = await info.context.loaders.org_unit_by_id.load_many([r.org_unit_id for r in visible])
    return [
        MonevFigure(
            org_unit=OrgUnit.of(unit),
            group=r.group,
            value=r.value,
            note=r.note,
            version=r.version,
            updated_by=r.updated_by,
            updated_at=r.updated_at,
        )
        for r, unit in zip(visible, units, strict=True)
        if unit is not None
    ]


def _rule(input: SetMonevRuleInput) -> Rule:
    return Rule(
        input.method,
        tuple(Group(g.code.strip(), g.name.strip(), g.source, g.weight, g.descending) for g in input.groups),
        tuple(Zone(z.code.strip(), z.name.strip(), z.lower, z.upper) for z in input.zones),
        input.warning_below,
        tuple(clause.clause() for clause in input.rewards),
    )


async def set_monev_rule(info: Info, input: SetMonevRuleInput) -> MonevRulePayload:
    rule = _rule(input)
    done = await in_transaction(
        info,
        lambda conn: monev.set_rule(
            conn, caller=info.context.caller, government_code=input.government_code, year=input.year, rule=rule,
            reason=input.reason,
        ),
    )  # fmt: skip
    return MonevRulePayload(rule=MonevRule.of(done.value, rule) if done.value else None, user_errors=done.user_errors)


async def enter_monev_figures(info: Info, input: EnterMonevFiguresInput) -> MonevFiguresPayload:
    try:
        period = MonevPeriod.of(input.year, input.quarter, input.month)
    except DomainError as error:
        return MonevFiguresPayload(written=0, user_errors=user_errors([error]))
    figures = [
        FigureInput(pk_of(f.org_unit_id, "OrgUnit"), f.group, f.value, f.note, f.expected_version)
        for f in input.figures
    ]
    done = await in_transaction(
        info,
        lambda conn: monev.enter_figures(
            conn, caller=info.context.caller, period=period, figures=figures, idempotency_key=input.idempotency_key,
        ),
    )  # fmt: skip
    return MonevFiguresPayload(written=done.value or 0, user_errors=done.user_errors)


async def publish_ranking(info: Info, input: PublishRankingInput) -> RankingPayload:
    government = await government_of(info, input.scope, refuse=False)
    try:
        period = MonevPeriod.of(input.year, input.quarter, input.month)
        if government is None:
            raise DomainError("NOT_FOUND", NOT_A_GOVERNMENT, "scope")
    except DomainError as error:
        return RankingPayload(ranking=None, user_errors=user_errors([error]))
    context = info.context
    done = await in_transaction(
        info,
        lambda conn: monev.publish_ranking(
            conn, caller=context.caller, government_code=government.code, period=period, units=input.units,
            window=context.services.window, today=context.today,
        ),
    )  # fmt: skip
    ranking = _frozen(government, done.value, None) if done.value else None
    return RankingPayload(ranking=ranking, user_errors=done.user_errors)
