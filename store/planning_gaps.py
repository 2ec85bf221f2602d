"""Gaps in a government's planning chain for a year (what the SAKIP evaluation scores):

- RPJMD_OBJECTIVE_UNALIGNED: an objective of the RPJMD version in force that no published
  Renstra objective of the government aligns to (matched by the objective's code, so an RPJMD
  perubahan that keeps a code keeps its Renstra anchors);
- RPJMD_INDICATOR_UNCARRIED: an indicator of that version that no agency indicator cascades from;
- AGREEMENT_MISSING: a unit heading an agreement level (the pemda, a perangkat daerah) without a
  Perjanjian Kinerja for the year;
- IKU_WITHOUT_AGREEMENT: an agency IKU in no agreement of the year;
- AGREEMENT_TARGET_MISSING: an agreement's indicator without an annual target for the year.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection


@dataclass(frozen=True)
class Gap:
    kind: str
    org_unit_id: int
    indicator_id: int | None
    subject: str  # the objective, indicator or unit named in the message


GAPS = text(
    """
    WITH units AS (
        SELECT u.id, u.kind, u.name, u.parent_id, u.path FROM org_unit u
        WHERE u.government_id = :government_id AND u.valid_from <= :year_end
          AND (u.valid_to IS NULL OR u.valid_to >= :year_start)
    ),
    rpjmd AS (
        SELECT DISTINCT ON (p.id) v.id AS version_id, p.id AS plan_id, p.org_unit_id
        FROM strategic_plan p JOIN plan_version v ON v.plan_id = p.id
        JOIN units u ON u.id = p.org_unit_id
        WHERE p.kind = 'RPJMD' AND v.state = 'PUBLISHED' AND v.effective_from <= :year_end
          AND p.start_year <= :year AND p.end_year >= :year
        ORDER BY p.id, v.effective_from DESC
    ),
    rpjmd_objectives AS (
        SELECT e.id, e.code, e.name, r.org_unit_id, r.plan_id
        FROM plan_element e JOIN rpjmd r ON r.version_id = e.version_id WHERE e.kind = 'OBJECTIVE'
    ),
    anchored_codes AS (
        SELECT DISTINCT anchor.code, anchor_version.plan_id
        FROM plan_element e
        JOIN plan_version v ON v.id = e.version_id AND v.state = 'PUBLISHED'
        JOIN strategic_plan p ON p.id = v.plan_id AND p.kind = 'RENSTRA'
        JOIN units u ON u.id = p.org_unit_id
        JOIN plan_element anchor ON anchor.id = e.aligned_id
        JOIN plan_version anchor_version ON anchor_version.id = anchor.version_id
        WHERE e.kind = 'OBJECTIVE'
    ),
    year_agreements AS (
        SELECT a.id, a.org_unit_id FROM performance_agreement a JOIN units u ON u.id = a.org_unit_id
        WHERE a.year = :year
    )
    SELECT 'RPJMD_OBJECTIVE_UNALIGNED' AS kind, o.org_unit_id, NULL::bigint AS indicator_id,
           o.code || ' ' || o.name AS subject
    FROM rpjmd_objectives o
    WHERE NOT EXISTS (SELECT 1 FROM anchored_codes a WHERE a.code = o.code AND a.plan_id = o.plan_id)
    UNION ALL
    SELECT 'RPJMD_INDICATOR_UNCARRIED', o.org_unit_id, i.id, i.code || ' ' || i.name
    FROM rpjmd_objectives o
    JOIN plan_indicator pi ON pi.element_id = o.id
    JOIN indicator i ON i.id = pi.indicator_id
    WHERE NOT EXISTS (
        SELECT 1 FROM indicator child JOIN units u ON u.id = child.org_unit_id
        WHERE child.parent_id = i.id AND u.kind <> 'PEMDA'
    )
    UNION ALL
    SELECT 'AGREEMENT_MISSING', u.id, NULL, u.name
    FROM units u
    WHERE u.kind IN ('PEMDA', 'PERANGKAT_DAERAH')
      AND NOT EXISTS (SELECT 1 FROM year_agreements a WHERE a.org_unit_id = u.id)
    UNION ALL
    SELECT 'IKU_WITHOUT_AGREEMENT', u.id, i.id, i.code || ' ' || i.name
    FROM indicator i JOIN units u ON u.id = i.org_unit_id
    WHERE i.is_key AND u.kind = 'PERANGKAT_DAERAH'
      AND NOT EXISTS (
          SELECT 1 FROM agreement_item ai JOIN year_agreements a ON a.id = ai.agreement_id
          WHERE ai.indicator_id = i.id
      )
    UNION ALL
    SELECT 'AGREEMENT_TARGET_MISSING', a.org_unit_id, i.id, i.code || ' ' || i.name
    FROM year_agreements a
    JOIN agreement_item ai ON ai.agreement_id = a.id
    JOIN indicator i ON i.id = ai.indicator_id
    WHERE NOT EXISTS (
        SELECT 1 FROM target t WHERE t.indicator_id = i.id AND t.year = :year AND t.quarter = 0
    )
    ORDER BY 1, 2, 3
    """
)


async def planning_gaps(conn: AsyncConnection, government_id: int, year: int) -> list[Gap]:
    rows = await conn.execute(
        GAPS,
        {
            "government_id": government_id,
            "year": year,
            "year_start": date(year, 1, 1),
            "year_end": date(year, 12, 31),
        },
    )
    return [Gap(row.kind, row.org_unit_id, row.indicator_id, row.subject) for row in rows]
