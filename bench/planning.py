"""Planning benchmarks on the province-scale bench database (issue 16's quality bars):

- a province's full plan tree (15 pemda, 40 agencies each: an RPJMD and 600 Renstra with their
  goals, objectives, indicators and targets, programs, kegiatan and sub kegiatan) read in one
  request, against the time its SQL statements take (goal: within 3 ×);
- signing a Perjanjian Kinerja with 50 indicators (goal: ≤ 100 ms p50), the last signature, which
  freezes the snapshot;
- the results form (E.78) of a pemda's RPJMD and (E.79) of a Renstra for 2027, year 3 of the
  plan: three years of evaluations of its indicators, the agreements' pagu and the spending
  (issue 20; no stated goal, measured beside its SQL).

    .venv/bin/python -m bench.planning [--repeat 15]

The plans are written once through the actions (as users would) and kept in the bench database;
requests run in process (the whole ASGI app, no HTTP), signed in as a bench LEADER of the province.
"""

import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from actions import planning, structure
from actions.agreements import AgreementDraft, ItemInput, LineInput, PartyInput, save_agreement
from actions.caller import PLATFORM
from actions.maintenance import PLAN_PERIOD
from actions.planning import NewPlan
from actions.structure import NewIndicator
from bench.clocked import run, signed_in, summary
from bench.generate import PASSWORD
from domain.enums import IndicatorType, OrgUnitKind, PeriodAggregation, Polarity
from domain.plans import Draft, DraftElement, DraftIndicator, PlanAction, PlanKind
from identity.passwords import hash_password
from schema.ids import encode_id
from store.database import create_engine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SECRET = "bench-planning-" + "x" * 40
LEADER = "leader.61"
YEARS = range(2025, 2030)
SIGNED_INDICATORS = 50

PLAN_TREE = """
query PlanTree($scope: ID!) {
  strategicPlans(scope: $scope) {
    kind name startYear endYear orgUnit { code }
    versions {
      number state effectiveFrom
      goals {
        code name
        objectives {
          code name alignedTo { code }
          indicators { baseline endTarget targets { year value } indicator { code } }
          programs { code name budget activities { code budget subActivities { code budget } } }
        }
      }
    }
  }
}
"""
SIGN = """
mutation Sign($input: SignAgreementInput!) {
  signPerformanceAgreement(input: $input) { agreement { state versions { number } } userErrors { code } }
}
"""
REVISE = """
mutation Revise($input: ReviseAgreementInput!) {
  revisePerformanceAgreement(input: $input) { agreement { state } userErrors { code } }
}
"""


async def _rows(conn: AsyncConnection, sql: str, **values: object) -> list[Any]:
    return list(await conn.execute(text(sql), values))


def _objective(code: str, name: str, indicators: list[int], aligned: int | None, budget_code: str) -> DraftElement:
    placed = tuple(
        DraftIndicator(i, Decimal(60), Decimal(80), tuple((y, Decimal(60 + 4 * (y - 2024))) for y in YEARS))
        for i in indicators
    )
    programs = (
        tuple(
            DraftElement(
                "PROGRAM",
                f"{budget_code}.{p:02d}",
                f"Program {p}",
                "p",
                budget=Decimal(1_000_000_000),
                children=tuple(
                    DraftElement(
                        "ACTIVITY",
                        f"{budget_code}.{p:02d}.2.{a:02d}",
                        f"Kegiatan {a}",
                        "a",
                        budget=Decimal(400_000_000),
                        children=tuple(
                            DraftElement(
                                "SUB_ACTIVITY",
                                f"{budget_code}.{p:02d}.2.{a:02d}.{s:04d}",
                                f"Sub kegiatan {s}",
                                "s",
                                budget=Decimal(200_000_000),
                            )
                            for s in (1, 2)
                        ),
                    )
                    for a in (1, 2)
                ),
            )
            for p in (1, 2)
        )
        if aligned is not None
        else ()
    )
    return DraftElement("OBJECTIVE", code, name, "o", aligned_id=aligned, indicators=placed, children=programs)


async def _publish(conn: AsyncConnection, new: NewPlan, draft: Draft) -> int:
    version = await planning.create_strategic_plan(conn, caller=PLATFORM, new=new)
    await planning.update_plan_draft(conn, caller=PLATFORM, version_id=version.id, expected_revision=None, draft=draft)
    for action in (PlanAction.SUBMIT, PlanAction.PUBLISH):
        await planning.transition_plan_version(
            conn, caller=PLATFORM, version_id=version.id, expected_revision=None, action=action
        )
    return version.id


async def load_plans(engine: AsyncEngine) -> None:
    """An RPJMD per pemda of province 61 and a Renstra per agency, once."""
    async with engine.connect() as conn:
        if await _rows(conn, "SELECT 1 FROM strategic_plan WHERE province_code = '61' LIMIT 1"):
            return
        roots = await _rows(
            conn,
            "SELECT u.id, g.code FROM org_unit u JOIN government g ON g.id = u.government_id "
            "WHERE g.path LIKE '61/%' AND u.kind = 'PEMDA' ORDER BY g.code",
        )
    started = time.perf_counter()
    for root_id, code in roots:
        async with engine.begin() as conn:
            # The bench's pemda root units hold no indicators: the RPJMD places three of its agencies'.
            root_indicators = [
                r.id
                for r in await _rows(
                    conn,
                    "SELECT i.id FROM indicator i JOIN org_unit u ON u.id = i.org_unit_id "
                    "WHERE u.parent_id = :u AND u.kind = 'PERANGKAT_DAERAH' ORDER BY i.id LIMIT 3",
                    u=root_id,
                )
            ]
            objectives = tuple(
                _objective(f"T1.S{n + 1}", f"Sasaran RPJMD {n + 1}", [indicator_id], None, "")
                for n, indicator_id in enumerate(root_indicators)
            )
            rpjmd = Draft("Visi", ("Misi",), (DraftElement("GOAL", "T1", "Tujuan", "g", children=objectives),))
            version_id = await _publish(conn, NewPlan(root_id, PlanKind.RPJMD, f"RPJMD {code}", 2025, 2029), rpjmd)
            anchors = [
                r.id
                for r in await _rows(
                    conn,
                    "SELECT id FROM plan_element WHERE version_id = :v AND kind = 'OBJECTIVE' ORDER BY id",
                    v=version_id,
                )
            ]
            agencies = await _rows(
                conn,
                "SELECT id FROM org_unit WHERE parent_id = :u AND kind = 'PERANGKAT_DAERAH' ORDER BY id",
                u=root_id,
            )
            for number, (agency_id,) in enumerate(agencies):
                own = [
                    r.id
                    for r in await _rows(
                        conn, "SELECT id FROM indicator WHERE org_unit_id = :u ORDER BY id LIMIT 4", u=agency_id
                    )
                ]
                renstra = Draft(
                    "",
                    (),
                    (
                        DraftElement(
                            "GOAL",
                            "T1",
                            "Tujuan dinas",
                            "g",
                            children=(
                                _objective("S1", "Sasaran 1", own[:2], anchors[number % len(anchors)], "1.02"),
                                _objective("S2", "Sasaran 2", own[2:], anchors[(number + 1) % len(anchors)], "2.07"),
                            ),
                        ),
                    ),
                )
                await _publish(conn, NewPlan(agency_id, PlanKind.RENSTRA, f"Renstra {agency_id}", 2025, 2029), renstra)
    print(f"plans written through the actions in {time.perf_counter() - started:.0f} s", flush=True)


async def prepare_signing(engine: AsyncEngine) -> int:
    """A bench leader, and an agency with 50 indicators whose 2029 agreement waits to be signed."""
    async with engine.begin() as conn:
        found = await _rows(conn, "SELECT id FROM app_user WHERE username = :u", u=LEADER)
        if not found:
            insert_user = (
                "INSERT INTO app_user (username, display_name, password_hash) VALUES (:u, :u, :p) RETURNING id"
            )
            user_id = (await conn.execute(text(insert_user), {"u": LEADER, "p": hash_password(PASSWORD)})).scalar_one()
        else:
            user_id = found[0].id
        # Signs as pihak kedua (LEADER) and reopens the agreement for the next round (OPERATOR).
        await conn.execute(text("DELETE FROM casbin_rule WHERE v0 = :s"), {"s": f"user:{user_id}"})
        for role in ("LEADER", "OPERATOR"):
            await conn.execute(
                text("INSERT INTO casbin_rule (ptype, v0, v1, v2) VALUES ('g', :s, :r, '61/')"),
                {"s": f"user:{user_id}", "r": role},
            )
        existing = await _rows(conn, "SELECT id FROM performance_agreement WHERE year = 2029")
        if existing:
            return int(existing[-1].id)
        (root,) = await _rows(
            conn,
            "SELECT u.id FROM org_unit u JOIN government g ON g.id = u.government_id "
            "WHERE g.code = '61.71' AND u.kind = 'PEMDA'",
        )
        agency = await structure.create_org_unit(
            conn,
            caller=PLATFORM,
            parent_id=root.id,
            government_code=None,
            code="BENCH-PK",
            name="Dinas Uji Perjanjian Kinerja",
            kind=OrgUnitKind.PERANGKAT_DAERAH,
            valid_from=date(2025, 1, 1),
            valid_to=None,
        )
        indicators = [
            (
                await structure.create_indicator(
                    conn,
                    caller=PLATFORM,
                    window=PLAN_PERIOD,
                    new=NewIndicator(
                        agency.id,
                        f"PK-{n:02d}",
                        f"Indikator {n}",
                        "%",
                        Polarity.HIGHER_IS_BETTER,
                        IndicatorType.OUTPUT,
                        PeriodAggregation.LAST,
                        is_key=True,
                    ),
                )
            ).id
            for n in range(SIGNED_INDICATORS)
        ]
        official = PartyInput("Kepala", "Pembina (IV/a)", "Kepala Dinas", username=LEADER)
        await save_agreement(conn, caller=PLATFORM, window=PLAN_PERIOD, draft=AgreementDraft(root.id, 2029, official))
        saved = await save_agreement(
            conn,
            caller=PLATFORM,
            window=PLAN_PERIOD,
            draft=AgreementDraft(
                agency.id,
                2029,
                official,
                official,
                [ItemInput(i, Decimal(80)) for i in indicators],
                [LineInput(f"1.02.{n + 1:02d}", f"Program {n}", Decimal(1_000_000)) for n in range(3)],
            ),
        )
        return saved.id


async def measure(url: str, repeat: int) -> dict[str, Any]:
    engine = create_engine(url, pool_size=4)
    await load_plans(engine)
    agreement_id = await prepare_signing(engine)
    async with engine.connect() as conn:
        (province,) = await _rows(conn, "SELECT id FROM government WHERE code = '61'")
        plans = len(await _rows(conn, "SELECT id FROM strategic_plan WHERE province_code = '61'"))
    async with signed_in(engine, LEADER, SECRET) as bench:
        post = bench.post
        tree: list[tuple[float, float]] = []
        size = 0
        for _ in range(repeat):
            wall, sql, data = await post(PLAN_TREE, {"scope": encode_id("Government", province.id)})
            tree.append((wall, sql))
            size = len(data["strategicPlans"])
        assert size == plans, (size, plans)
        signing: list[tuple[float, float]] = []
        identity = {"agreementId": encode_id("PerformanceAgreement", agreement_id)}
        # A run stopped midway leaves the agreement signed, or signed by pihak kesatu only.
        _, _, left = await post(STATE, {"id": identity["agreementId"]})
        if left["node"]["state"] == "SIGNED":
            await post(REVISE, {"input": {**identity, "reason": "Bench", "ground": "PRIORITIES_CHANGED"}})
        elif left["node"]["firstSignedAt"]:
            await post(SIGN, {"input": {**identity, "party": "SECOND"}})
            await post(REVISE, {"input": {**identity, "reason": "Bench", "ground": "PRIORITIES_CHANGED"}})
        for _ in range(repeat):
            await post(SIGN, {"input": {**identity, "party": "FIRST"}})
            wall, sql, data = await post(SIGN, {"input": {**identity, "party": "SECOND"}})
            assert data["signPerformanceAgreement"]["agreement"]["state"] == "SIGNED", data
            signing.append((wall, sql))
            await post(REVISE, {"input": {**identity, "reason": "Bench", "ground": "PRIORITIES_CHANGED"}})
        async with engine.connect() as conn:
            forms = await _results_forms(post, conn, repeat)
    await engine.dispose()

    return {
        "plans_in_the_tree": plans,
        "province_plan_tree": summary(tree),
        "sign_agreement_50_indicators": summary(signing),
        **forms,
        "repeat": repeat,
    }


STATE = "query($id: ID!) { node(id: $id) { ... on PerformanceAgreement { state firstSignedAt } } }"
RESULTS_FORM = """
query ResultsForm($version: ID!, $year: Int!) {
  planResults(version: $version, year: $year) {
    form yearOfPlan
    rows { kind code budget { yearBudget yearSpending yearAbsorption spendingToDate endAbsorption }
           indicators { code yearTarget realisation achievement toDate endRatio } }
  }
}
"""


async def _results_forms(post: Any, conn: AsyncConnection, repeat: int) -> dict[str, Any]:
    """E.78 of Kota Pontianak's RPJMD and E.79 of one of its Renstra, for 2027."""
    measured = {}
    for kind in ("RPJMD", "RENSTRA"):
        (version,) = await _rows(
            conn,
            "SELECT v.id FROM plan_version v JOIN strategic_plan p ON p.id = v.plan_id "
            "JOIN org_unit u ON u.id = p.org_unit_id JOIN government g ON g.id = u.government_id "
            "WHERE g.code = '61.71' AND p.kind = :k ORDER BY v.id LIMIT 1",
            k=kind,
        )
        samples = []
        for _ in range(repeat):
            wall, sql, data = await post(RESULTS_FORM, {"version": encode_id("PlanVersion", version.id), "year": 2027})
            assert data["planResults"]["rows"], data
            samples.append((wall, sql))
        measured[f"results_form_{kind.lower()}_2027"] = summary(samples)
    return measured


def main() -> None:
    run(__doc__, measure, "planning")


if __name__ == "__main__":
    main()
