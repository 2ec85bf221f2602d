"""What the platform already knows that answers evaluation criteria (domain.lke.ComputedSource):
counted over the evaluated unit's subtree and year, whatever the caller's grants, since the
figure is the evaluation's evidence, not a read of values."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.lke import ComputedSource, Criterion, Scale, answer_for_share, on_time_answer
from domain.lkjip import deadline as lkjip_deadline
from domain.notation import local_date
from domain.periods import QUARTERS, Period
from domain.workflow import Compliance, DeadlinePolicy, compliance_at
from policies.viewer import SYSTEM
from store import reports
from store.lke import EvaluationRecord

PLACES = Decimal("0.01")

_UNITS_WITH_AGREEMENT = text(
    """
    SELECT count(*) AS units,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM performance_agreement a
               WHERE a.org_unit_id = u.id AND a.province_code = u.province_code
                 AND a.year = :year AND a.signed_versions > 0)) AS signed
    FROM org_unit u
    WHERE u.path LIKE :under AND u.kind IN ('PEMDA', 'PERANGKAT_DAERAH', 'ESELON_III', 'ESELON_IV')
      AND u.valid_from <= make_date(:year, 12, 31) AND (u.valid_to IS NULL OR u.valid_to >= make_date(:year, 1, 1))
    """
)
_IKU_IN_AGREEMENT = text(
    """
    SELECT count(*) AS iku,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM agreement_version v
               JOIN performance_agreement a ON a.id = v.agreement_id AND a.province_code = v.province_code
               CROSS JOIN LATERAL jsonb_array_elements(v.snapshot -> 'items') item
               WHERE a.year = :year AND v.province_code = i.province_code
                 AND (item ->> 'indicator_id')::bigint = i.id)) AS agreed
    FROM indicator i JOIN org_unit u ON u.id = i.org_unit_id AND u.province_code = i.province_code
    WHERE u.path LIKE :under AND i.is_key
      AND (i.retired_from_year IS NULL OR i.retired_from_year > :year)
      AND u.valid_from <= make_date(:year, 12, 31) AND (u.valid_to IS NULL OR u.valid_to >= make_date(:year, 1, 1))
    """
)
_FIRST_LKJIP = text(
    "SELECT min(signed_at) FROM lkjip_version WHERE org_unit_id = :unit AND year = :year AND province_code = :province"
)
_LAST_YEARS_RECOMMENDATIONS = text(
    """
    SELECT count(*) AS given, count(*) FILTER (WHERE r.progress = 100) AS done
    FROM evaluation_recommendation r
    JOIN sakip_evaluation e ON e.id = r.evaluation_id AND e.province_code = r.province_code
    WHERE e.org_unit_id = :unit AND e.province_code = :province AND e.year = :year - 1 AND e.state = 'FINAL'
    """
)


@dataclass(frozen=True)
class Fact:
    """A criterion's figure (a percentage) and the answer it proposes on the criterion's scale."""

    value: Decimal | None
    proposed: str | None
    explanation: str


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PLACES, rounding=ROUND_HALF_UP)


def _shown(value: Decimal) -> str:
    return f"{value:f}".replace(".", ",")


def _from_share(part: int, whole: int, scale: Scale, counted: str) -> Fact:
    if whole == 0:
        return Fact(None, None, f"Tidak ada {counted} yang dapat dihitung.")
    share = _share(part, whole)
    return Fact(share, answer_for_share(share, scale), f"{part} dari {whole} {counted} ({_shown(share)} %).")


async def facts(
    conn: AsyncConnection, record: EvaluationRecord, criteria: list[Criterion], today: date
) -> dict[str, Fact]:
    """The computed criteria of an evaluation: at most one statement per source in use."""
    found: dict[str, Fact] = {}
    params = {"year": record.year, "under": record.unit_path + "%", "unit": record.org_unit_id}
    province = record.unit_path.split("/", 1)[0]
    for criterion in criteria:
        source, scale = criterion.computed, criterion.scale
        if source is ComputedSource.UNITS_WITH_AGREEMENT:
            row = (await conn.execute(_UNITS_WITH_AGREEMENT, params)).one()
            fact = _from_share(
                row.signed, row.units, scale, "unit kerja memiliki perjanjian kinerja yang ditandatangani"
            )
        elif source is ComputedSource.IKU_IN_AGREEMENT:
            row = (await conn.execute(_IKU_IN_AGREEMENT, params)).one()
            fact = _from_share(row.agreed, row.iku, scale, "IKU termuat dalam perjanjian kinerja")
        elif source is ComputedSource.REPORTING_ON_TIME:
            fact = await _reporting(conn, record, scale, today)
        elif source is ComputedSource.LKJIP_ON_TIME:
            signed = (await conn.execute(_FIRST_LKJIP, {**params, "province": province})).scalar_one_or_none()
            due = lkjip_deadline(record.year)
            if signed is None and today <= due:
                fact = Fact(None, None, f"LKjIP {record.year} belum ditandatangani; batas waktu {due.isoformat()}.")
            else:
                on_time = None if signed is None else local_date(signed) <= due
                fact = Fact(
                    None,
                    on_time_answer(on_time, scale),
                    "LKjIP belum ditandatangani."
                    if signed is None
                    else f"LKjIP ditandatangani {signed.date().isoformat()}, batas waktu {due.isoformat()}.",
                )
        elif source is ComputedSource.RECOMMENDATIONS_FOLLOWED_UP:
            row = (await conn.execute(_LAST_YEARS_RECOMMENDATIONS, {**params, "province": province})).one()
            fact = _from_share(
                row.done, row.given, scale, f"rekomendasi evaluasi {record.year - 1} selesai ditindaklanjuti"
            )
        else:
            continue
        found[criterion.code] = fact
    return found


async def _reporting(conn: AsyncConnection, record: EvaluationRecord, scale: Scale, today: date) -> Fact:
    """The year's quarterly reports of the reporting units under the evaluated unit, on time."""
    on_time = due = 0
    for quarter in QUARTERS:
        rows = await reports.reporting_units(
            conn, SYSTEM, scope_path=record.unit_path, year=record.year, quarter=quarter
        )
        for row in rows:
            deadline = DeadlinePolicy(row.quarter_deadline_days, row.annual_deadline_days).deadline(
                Period(record.year, quarter)
            )
            submitted = row.report.submitted_at
            status = compliance_at(submitted_at=submitted, deadline=deadline, today=today)
            if status is not Compliance.NOT_DUE:
                due += 1
                on_time += status is Compliance.ON_TIME
    return _from_share(on_time, due, scale, "laporan triwulan disampaikan tepat waktu")
