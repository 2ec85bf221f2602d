"""Writes of monev (domain/monev.py): a government's ranking rule, the scores entered per unit
and quarter, and the publication of a quarter's ranking, frozen.

Publishing computes the ranking as the publisher may read it (store/monev_facts.py) and keeps
its canonical JSON and SHA-256 in an append-only row, in one transaction: later corrections to
any input change the live ranking and the next period's, never the published one.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import orjson
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from actions import audit, idempotency
from actions.caller import Caller
from actions.governments import government_for
from domain.enums import GovernmentKind
from domain.errors import DomainError, DomainErrors
from domain.monev import Level, MonevPeriod, Rule, Source, check_rule, level_of, rule_as_json, rule_from_json
from domain.periods import check_year
from domain.values import check_value
from policies.paths import province_code
from policies.permissions import Permission
from store import audit as audit_log
from store import hierarchy, monev
from store.aggregates import AggregateWindow
from store.monev import RankingRecord, RuleRecord
from store.monev_facts import live_document

MAX_REASON = 1000
MAX_NOTE = 1000
MAX_SCORE = Decimal(1000)  # a percentage; room above 100 for a group that overshoots


async def set_rule(
    conn: AsyncConnection, *, caller: Caller, government_code: str, year: int, rule: Rule, reason: str | None
) -> RuleRecord:
    """A new version of the government's rule for the year (the first, or a change with a reason)."""
    check_year(year, "year")
    government = await government_for(
        conn, caller, government_code, Permission.CONFIGURE_MONEV, "Anda tidak berwenang menetapkan aturan monev ini."
    )
    check_rule(rule)
    earlier = await monev.current_rule(conn, government.id, year)
    reason = (reason or "").strip() or None
    if earlier is not None and reason is None:
        raise DomainError("REASON_REQUIRED", "Perubahan aturan monev perlu alasan.", "reason")
    if reason is not None and len(reason) > MAX_REASON:
        raise DomainError("TOO_LONG", f"Alasan paling banyak {MAX_REASON} karakter.", "reason")
    try:
        async with conn.begin_nested():
            version = await monev.insert_rule(conn, government, year, rule_as_json(rule), reason, caller.actor)
    except IntegrityError:
        raise DomainError(
            "CONFLICT", "Aturan ini baru saja diubah orang lain; muat ulang lalu ulangi.", "year"
        ) from None
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "monev_rule.set",
                entity_id=f"{government.id}:{year}:{version}",
                scope_path=government.path,
                old=None if earlier is None else earlier.rule,
                new=rule_as_json(rule),
                reason=reason,
            )
        ],
    )
    saved = await monev.current_rule(conn, government.id, year)
    assert saved is not None
    return saved


@dataclass(frozen=True)
class FigureInput:
    org_unit_id: int
    group: str
    value: Decimal
    note: str | None = None
    expected_version: int | None = None  # the version read; None: the score is new


async def _rule_of(conn: AsyncConnection, government_id: int, year: int) -> Rule | None:
    record = await monev.current_rule(conn, government_id, year)
    return None if record is None else rule_from_json(record.rule)


async def enter_figures(
    conn: AsyncConnection,
    *,
    caller: Caller,
    period: MonevPeriod,
    figures: Sequence[FigureInput],
    idempotency_key: str | None = None,
) -> int:
    """Scores of the entered groups (audit follow-up, ...) per unit for a quarter or a month, all
    or nothing: each is checked against the rule of the government that ranks the unit (the
    unit's own pemda, or for a kabupaten/kota's root unit, its province). Returns how many were
    written."""
    check_year(period.year, "year")
    year = period.year
    if not figures:
        raise DomainError("EMPTY_BATCH", "Isi paling sedikit satu nilai.", "figures")
    payload = {
        "year": year,
        "quarter": period.quarter,
        "month": period.month,
        "figures": [(f.org_unit_id, f.group, str(f.value), f.note, f.expected_version) for f in figures],
    }
    claimed = await idempotency.claim(conn, idempotency_key, "enterMonevFigures", payload)
    if claimed.earlier is not None:
        return int(claimed.earlier["written"])
    units = {u.id: u for u in await hierarchy.units_by_ids(conn, caller.viewer, [f.org_unit_id for f in figures])}
    governments = {
        g.id: g
        for g in await hierarchy.governments_by_ids(conn, caller.viewer, [u.government_id for u in units.values()])
    }
    parents = {
        g.id: g
        for g in await hierarchy.governments_by_ids(
            conn, caller.viewer, [g.parent_id for g in governments.values() if g.parent_id is not None]
        )
    }
    rules: dict[int, Rule | None] = {}
    entered = await monev.figures(conn, list(units), period, lock=True)
    errors: list[DomainError] = []
    written: dict[tuple[int, str], tuple[Decimal, str | None]] = {}
    for index, figure in enumerate(figures):
        at = f"figures.{index}"
        unit = units.get(figure.org_unit_id)
        if unit is None:
            errors.append(DomainError("NOT_FOUND", "Unit tidak ditemukan.", f"{at}.orgUnitId"))
            continue
        if not caller.viewer.may(Permission.WRITE_MONEV, unit.path):
            errors.append(
                DomainError("FORBIDDEN", "Anda tidak berwenang mengisi nilai monev unit ini.", f"{at}.orgUnitId")
            )
            continue
        # A unit is ranked by its pemda; a pemda's root unit by the province above it.
        government = governments[unit.government_id]
        ranking = parents.get(government.parent_id or 0) if unit.parent_id is None else government
        if ranking is None:
            errors.append(DomainError("NOT_RANKED", "Unit ini tidak diperingkat dalam monev.", f"{at}.orgUnitId"))
            continue
        if ranking.id not in rules:
            rules[ranking.id] = await _rule_of(conn, ranking.id, year)
        rule = rules[ranking.id]
        groups = {g.code: g for g in rule.groups} if rule is not None else {}
        if rule is None:
            errors.append(
                DomainError("NO_RULE", f"{ranking.name} belum menetapkan aturan monev {year}.", f"{at}.group")
            )
            continue
        group = groups.get(figure.group.strip())
        if group is None or group.source is not Source.ENTERED:
            diisi = ", ".join(g.code for g in rule.groups if g.source is Source.ENTERED) or "-"
            errors.append(
                DomainError(
                    "UNKNOWN_GROUP", f"{figure.group} bukan kelompok yang diisi; yang diisi: {diisi}.", f"{at}.group"
                )
            )
            continue
        key = (unit.id, group.code)
        if key in written:
            errors.append(
                DomainError("DUPLICATE", "Nilai kelompok ini untuk unit ini tercantum dua kali.", f"{at}.group")
            )
            continue
        try:
            value = check_value(figure.value, allow_negative=False)
        except DomainError as error:
            errors.append(error.at(f"{at}.value"))
            continue
        if value < 0 or value > MAX_SCORE:
            errors.append(DomainError("OUT_OF_RANGE", f"Nilai harus antara 0 dan {MAX_SCORE:.0f}.", f"{at}.value"))
            continue
        current = entered.get(key)
        if figure.expected_version != (None if current is None else current[1]):
            errors.append(
                DomainError(
                    "CONFLICT", "Nilai ini sudah diubah orang lain; muat ulang lalu ulangi.", f"{at}.expectedVersion"
                )
            )
            continue
        note = (figure.note or "").strip() or None
        if note is not None and len(note) > MAX_NOTE:
            errors.append(DomainError("TOO_LONG", f"Catatan paling banyak {MAX_NOTE} karakter.", f"{at}.note"))
            continue
        written[key] = (value, note)
    if errors:
        raise DomainErrors(errors)
    provinces = {unit.id: province_code(unit.path) for unit in units.values()}
    await monev.write_figures(conn, provinces, period, written, caller.actor)
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "monev_figure.enter",
                entity_id=f"{unit_id}:{year}:{period.quarter}:{period.month}:{group}",
                scope_path=units[unit_id].path,
                old=None if (unit_id, group) not in entered else {"value": str(entered[(unit_id, group)][0])},
                new={"value": str(value), "note": note},
            )
            for (unit_id, group), (value, note) in written.items()
        ],
    )
    await claimed.record(conn, {"written": len(written)})
    return len(written)


async def publish_ranking(
    conn: AsyncConnection,
    *,
    caller: Caller,
    government_code: str,
    period: MonevPeriod,
    units: Level | None,
    window: AggregateWindow,
    today: date,
) -> RankingRecord:
    """Freeze the period's ranking as it stands: a leader's act, once per period. Errors about
    the government are at `scope`, the field the API names it by."""
    check_year(period.year, "year")
    year = period.year
    try:
        government = await government_for(
            conn, caller, government_code, Permission.PUBLISH_RANKINGS, "Anda tidak berwenang menerbitkan peringkat."
        )
    except DomainError as error:
        raise error.at("scope") from None
    if not caller.viewer.may(Permission.READ_VALUES, government.path):
        raise DomainError("FORBIDDEN", "Peringkat diterbitkan oleh yang dapat membaca seluruh nilainya.", "scope")
    level = level_of(government.kind is GovernmentKind.PROVINSI, units)
    rule = await monev.current_rule(conn, government.id, year)
    if rule is None:
        raise DomainError("NO_RULE", f"{government.name} belum menetapkan aturan monev {year}.", "year")
    at = "month" if period.is_month else "quarter"
    key = (government.id, period, level)
    if key in await monev.published(conn, [key]):
        raise DomainError("ALREADY_PUBLISHED", f"Peringkat {period.label} sudah diterbitkan.", at)
    document = await live_document(conn, caller.viewer, government, period, level, rule, window, today)
    if not document["rows"]:
        raise DomainError("NOTHING_TO_RANK", "Tidak ada unit yang diperingkat pada periode ini.", at)
    body = orjson.dumps(document, option=orjson.OPT_SORT_KEYS).decode()
    digest = hashlib.sha256(body.encode()).hexdigest()
    try:
        async with conn.begin_nested():
            published = await monev.insert_ranking(
                conn, government, period, level, rule.version, body, digest, caller.actor
            )
    except IntegrityError:
        raise DomainError("ALREADY_PUBLISHED", f"Peringkat {period.label} baru saja diterbitkan.", at) from None
    await audit_log.append(
        conn,
        [
            audit.entry(
                caller,
                "monev_ranking.publish",
                entity_id=f"{government.id}:{year}:{period.quarter}:{period.month}",
                scope_path=government.path,
                new={"ruleVersion": rule.version, "rows": len(document["rows"]), "sha256": digest},
            )
        ],
    )
    return published
