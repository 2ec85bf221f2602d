"""Strategic plans through the API: drafting, submitting, publishing, revising, comparing; bad
input typed and unwritten; published versions immutable in the database too."""

import asyncio
from typing import Any

import psycopg
import pytest

from store.roles import as_role
from tests.api.client import Api
from tests.api.factories import create_indicator, government_ids
from tests.api.planning_client import (
    CREATE_PLAN,
    NODE_VERSION,
    REVISE_PLAN,
    TRANSITIONS,
    UPDATE_DRAFT,
    Hierarchy,
    errors_of,
    mutate,
    ok,
    published_plan,
)


def rpjmd_draft(indicator_id: str) -> dict[str, Any]:
    return {
        "vision": "Singkawang Hebat",
        "missions": ["Misi SDM", "Misi ekonomi"],
        "goals": [
            {
                "code": "T1",
                "name": "Meningkatkan kualitas SDM",
                "missionNumber": 1,
                "objectives": [
                    {
                        "code": "T1.S1",
                        "name": "Meningkatnya derajat kesehatan",
                        "indicators": [
                            {
                                "indicatorId": indicator_id,
                                "baseline": "70",
                                "endTarget": "80",
                                "targets": [{"year": 2030, "value": "72"}, {"year": 2031, "value": "74"}],
                            }
                        ],
                    },
                    {"code": "T1.S2", "name": "Meningkatnya mutu pendidikan"},
                ],
            }
        ],
    }


async def rpjmd(api: Api, hierarchy: Hierarchy) -> dict[str, Any]:
    return await published_plan(
        api,
        {
            "orgUnitId": hierarchy.root,
            "kind": "RPJMD",
            "name": "RPJMD Singkawang 2030–2034",
            "startYear": 2030,
            "endYear": 2034,
        },
        rpjmd_draft(hierarchy.indicators["root"]),
    )


def renstra_draft(
    anchor: str | None, indicator_id: str, programs: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    objective: dict[str, Any] = {
        "code": "S1",
        "name": "Meningkatnya pelayanan kesehatan",
        "indicators": [{"indicatorId": indicator_id, "targets": [{"year": 2030, "value": "90"}]}],
        "programs": programs or [],
    }
    if anchor is not None:
        objective["alignedObjectiveId"] = anchor
    return {"goals": [{"code": "T1", "name": "Tujuan dinas", "objectives": [objective]}]}


async def renstra(api: Api, hierarchy: Hierarchy) -> dict[str, Any]:
    payload = await ok(
        api,
        CREATE_PLAN,
        "createStrategicPlan",
        {
            "orgUnitId": hierarchy.agency,
            "kind": "RENSTRA",
            "name": "Renstra 2030–2034",
            "startYear": 2030,
            "endYear": 2034,
        },
    )
    version: dict[str, Any] = payload["version"]
    return version


async def test_an_rpjmd_is_drafted_submitted_and_published_with_its_tree(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    version = await rpjmd(fresh_api, hierarchy)
    read = (await fresh_api.execute(NODE_VERSION, {"id": version["id"]}))["node"]
    assert (read["state"], read["number"], read["effectiveFrom"], read["missions"]) == (
        "PUBLISHED",
        1,
        "2030-01-01",
        ["Misi SDM", "Misi ekonomi"],
    )
    objective = read["goals"][0]["objectives"][0]
    assert objective["code"] == "T1.S1"
    placed = objective["indicators"][0]
    assert (placed["baseline"], placed["endTarget"], placed["targets"]) == (
        "70",
        "80",
        [{"year": 2030, "value": "72"}, {"year": 2031, "value": "74"}],
    )
    # One indicator master: the indicator names the objective it measures.
    measured = await fresh_api.execute(
        "query($id: ID!) { node(id: $id) { ... on Indicator { objective { code name } } } }",
        {"id": hierarchy.indicators["root"]},
    )
    assert measured["node"]["objective"] == {"code": "T1.S1", "name": "Meningkatnya derajat kesehatan"}


async def test_a_renstra_objective_needs_a_published_rpjmd_anchor(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    published = await rpjmd(fresh_api, hierarchy)
    anchor = published["goals"][0]["objectives"][0]["id"]
    version = await renstra(fresh_api, hierarchy)
    unanchored = await mutate(
        fresh_api,
        UPDATE_DRAFT,
        "updatePlanDraft",
        {"versionId": version["id"], **renstra_draft(None, hierarchy.indicators["agency"])},
    )
    assert errors_of(unanchored) == {("ALIGNMENT_REQUIRED", "goals.0.objectives.0.alignedObjectiveId")}
    assert unanchored["version"] is None
    foreign = await mutate(
        fresh_api,
        UPDATE_DRAFT,
        "updatePlanDraft",
        {"versionId": version["id"], **renstra_draft(anchor, hierarchy.indicators["root"].replace("x", "x"))},
    )
    # The pemda's own indicator is not the agency's: a Renstra places its unit's indicators.
    assert ("INDICATOR_OUTSIDE_PLAN", "goals.0.objectives.0.indicators.0.indicatorId") in errors_of(foreign)
    read = (await fresh_api.execute(NODE_VERSION, {"id": version["id"]}))["node"]
    assert read["goals"] == [] and read["revision"] == 1  # nothing written
    anchored = await ok(
        fresh_api,
        UPDATE_DRAFT,
        "updatePlanDraft",
        {"versionId": version["id"], **renstra_draft(anchor, hierarchy.indicators["agency"])},
    )
    aligned = anchored["version"]["goals"][0]["objectives"][0]["alignedTo"]
    assert aligned == {"id": anchor, "code": "T1.S1"}


def programs(sub_code: str = "1.1.1.2.1.1", budget: str = "1250000000", **overrides: Any) -> list[dict[str, Any]]:
    program = {
        "code": "1.02.1",
        "name": "Program Pemenuhan Upaya Kesehatan",
        "budget": budget,
        "items": [
            {
                "code": "1.02.01.2.01",
                "name": "Kegiatan Penyediaan Fasilitas Pelayanan Kesehatan",
                "budget": "750500000",
                "items": [{"code": sub_code, "name": "Sub kegiatan", "budget": "99000000.50"}],
            }
        ],
    }
    return [{**program, **overrides}]


async def test_sipd_codes_are_normalised_and_budgets_kept_exactly(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    anchor = (await rpjmd(fresh_api, hierarchy))["goals"][0]["objectives"][0]["id"]
    version = await renstra(fresh_api, hierarchy)
    draft = renstra_draft(anchor, hierarchy.indicators["agency"], programs(sub_code="1.2.1.2.1.1"))
    saved = await ok(fresh_api, UPDATE_DRAFT, "updatePlanDraft", {"versionId": version["id"], **draft})
    program = saved["version"]["goals"][0]["objectives"][0]["programs"][0]
    assert (program["code"], program["budget"], program["unallocatedBudget"]) == ("1.02.01", "1250000000", "499500000")
    activity = program["activities"][0]
    assert (activity["code"], activity["unallocatedBudget"]) == ("1.02.01.2.01", "651499999.5")
    assert activity["subActivities"][0] == {
        "id": activity["subActivities"][0]["id"],
        "code": "1.02.01.2.01.0001",
        "name": "Sub kegiatan",
        "budget": "99000000.5",
    }
    # The same codes written with and without leading zeros are one code: no duplicate.
    again = renstra_draft(anchor, hierarchy.indicators["agency"], programs(sub_code="01.02.01.2.01.0001", code="1.2.1"))
    resaved = await ok(fresh_api, UPDATE_DRAFT, "updatePlanDraft", {"versionId": version["id"], **again})
    codes = [p["code"] for p in resaved["version"]["goals"][0]["objectives"][0]["programs"]]
    assert codes == ["1.02.01"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"code": "1.02.x"}, ("INVALID_SIPD_CODE", "goals.0.objectives.0.programs.0.code")),
        ({"code": "1.02.01.2.01"}, ("WRONG_BUDGET_LEVEL", "goals.0.objectives.0.programs.0.code")),
        ({"budget": "-1"}, ("NEGATIVE_BUDGET", "goals.0.objectives.0.programs.0.budget")),
        ({"budget": "1.005"}, ("TOO_MANY_DECIMALS", "goals.0.objectives.0.programs.0.budget")),
        ({"code": "1.03.01"}, ("CODE_OUTSIDE_PARENT", "goals.0.objectives.0.programs.0.items.0.code")),
    ],
)
async def test_bad_budget_items_are_refused_and_nothing_is_written(
    fresh_api: Api, change: dict[str, Any], expected: tuple[str, str]
) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    anchor = (await rpjmd(fresh_api, hierarchy))["goals"][0]["objectives"][0]["id"]
    version = await renstra(fresh_api, hierarchy)
    draft = renstra_draft(anchor, hierarchy.indicators["agency"], programs(**change))
    payload = await mutate(fresh_api, UPDATE_DRAFT, "updatePlanDraft", {"versionId": version["id"], **draft})
    assert expected in errors_of(payload)
    read = (await fresh_api.execute(NODE_VERSION, {"id": version["id"]}))["node"]
    assert (read["goals"], read["revision"]) == ([], 1)


async def test_published_versions_are_immutable_through_the_api_and_in_the_database(
    fresh_api: Api, fresh_url: str
) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    published = await rpjmd(fresh_api, hierarchy)
    edit = await mutate(
        fresh_api,
        UPDATE_DRAFT,
        "updatePlanDraft",
        {"versionId": published["id"], **rpjmd_draft(hierarchy.indicators["root"])},
    )
    assert errors_of(edit) == {("VERSION_FROZEN", "versionId")}
    again = await mutate(fresh_api, TRANSITIONS["submit"], "submitPlanVersion", {"versionId": published["id"]})
    assert errors_of(again) == {("INVALID_TRANSITION", "versionId")}
    plain = as_role(fresh_url).replace("postgresql+psycopg", "postgresql")
    statements = [
        "UPDATE plan_version SET vision = 'diubah' WHERE state = 'PUBLISHED'",
        "DELETE FROM plan_version WHERE state = 'PUBLISHED'",
        "UPDATE plan_element SET name = 'diubah'",
        "UPDATE plan_target SET value = value + 1",
        "DELETE FROM plan_indicator",
        "INSERT INTO plan_element (province_code, version_id, kind, code, name, position) "
        "SELECT province_code, id, 'GOAL', 'T9', 'Tujuan sisipan', 9 FROM plan_version "
        "WHERE state = 'PUBLISHED' LIMIT 1",
    ]
    for statement in statements:
        with psycopg.connect(plain) as conn, pytest.raises(psycopg.errors.IntegrityConstraintViolation):
            conn.execute(statement)


async def test_a_perubahan_copies_the_published_version_and_compares_with_it(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    first = await rpjmd(fresh_api, hierarchy)
    revise = {
        "versionId": first["id"],
        "reason": "Penyesuaian target setelah evaluasi paruh waktu",
        "legalBasis": {"kind": "Peraturan Daerah", "number": "5 Tahun 2032", "date": "2032-06-30"},
        "effectiveFrom": "2032-07-01",
    }
    refusals: list[tuple[dict[str, Any], tuple[str, str]]] = [
        ({"reason": " "}, ("REASON_REQUIRED", "reason")),
        ({"effectiveFrom": "2030-01-01"}, ("OVERLAPPING_EFFECTIVE_DATE", "effectiveFrom")),
        ({"effectiveFrom": "2035-01-01"}, ("OUTSIDE_PERIOD", "effectiveFrom")),
        ({"legalBasis": {"kind": "", "number": "1", "date": "2032-06-30"}}, ("REQUIRED", "legalBasis.kind")),
    ]
    for change, expected in refusals:
        refused = await mutate(fresh_api, REVISE_PLAN, "revisePlan", {**revise, **change})
        assert errors_of(refused) == {expected}
    copy = (await ok(fresh_api, REVISE_PLAN, "revisePlan", revise))["version"]
    assert (copy["number"], copy["state"], copy["copiedFrom"], copy["effectiveFrom"]) == (
        2,
        "DRAFT",
        {"id": first["id"]},
        "2032-07-01",
    )
    assert copy["legalBasis"] == {"kind": "Peraturan Daerah", "number": "5 Tahun 2032", "date": "2032-06-30"}
    assert copy["goals"][0]["objectives"][0]["code"] == "T1.S1"
    changed = rpjmd_draft(hierarchy.indicators["root"])
    changed["goals"][0]["objectives"][0]["indicators"][0]["targets"][1]["value"] = "75"
    changed["goals"][0]["objectives"].pop(1)
    await ok(fresh_api, UPDATE_DRAFT, "updatePlanDraft", {"versionId": copy["id"], **changed})
    compared = await fresh_api.execute(
        "query($id: ID!, $to: ID!) { node(id: $id) { ... on PlanVersion { compare(to: $to) "
        "{ kind subject key field before after } } } }",
        {"id": copy["id"], "to": first["id"]},
    )
    assert compared["node"]["compare"] == [
        {
            "kind": "REMOVED",
            "subject": "OBJECTIVE",
            "key": "T1.S2",
            "field": None,
            "before": "Meningkatnya mutu pendidikan",
            "after": None,
        },
        {
            "kind": "CHANGED",
            "subject": "TARGET",
            "key": "T1.S1/PLAN-IKU/2031",
            "field": "value",
            "before": "74",
            "after": "75",
        },
    ]
    await ok(fresh_api, TRANSITIONS["submit"], "submitPlanVersion", {"versionId": copy["id"]})
    await ok(fresh_api, TRANSITIONS["publish"], "publishPlanVersion", {"versionId": copy["id"]})
    current = await fresh_api.execute(
        "query($id: ID!) { node(id: $id) { ... on StrategicPlan { "
        'before: currentVersion(on: "2032-06-30") { number } after: currentVersion(on: "2032-07-01") { number } '
        "versions { number state } } } }",
        {"id": first["plan"]["id"]},
    )
    assert current["node"] == {
        "before": {"number": 1},
        "after": {"number": 2},
        "versions": [{"number": 1, "state": "PUBLISHED"}, {"number": 2, "state": "PUBLISHED"}],
    }


async def test_two_planners_revising_at_once_get_one_draft_and_one_conflict(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    first = await rpjmd(fresh_api, hierarchy)
    revise = {
        "versionId": first["id"],
        "reason": "Perubahan",
        "legalBasis": {"kind": "Peraturan Daerah", "number": "1", "date": "2031-01-02"},
        "effectiveFrom": "2031-02-01",
    }
    payloads = await asyncio.gather(*(mutate(fresh_api, REVISE_PLAN, "revisePlan", revise) for _ in range(2)))
    outcomes = sorted("ok" if p["version"] else p["userErrors"][0]["code"] for p in payloads)
    assert outcomes == ["CONFLICT", "ok"]


async def test_a_returned_version_goes_back_to_draft_with_a_reason(fresh_api: Api) -> None:
    hierarchy = await Hierarchy.build(fresh_api)
    created = await ok(
        fresh_api,
        CREATE_PLAN,
        "createStrategicPlan",
        {"orgUnitId": hierarchy.root, "kind": "RPJMD", "name": "RPJMD", "startYear": 2030, "endYear": 2034},
    )
    version_id = created["version"]["id"]
    await ok(fresh_api, TRANSITIONS["submit"], "submitPlanVersion", {"versionId": version_id})
    unreasoned = await mutate(fresh_api, TRANSITIONS["return"], "returnPlanVersion", {"versionId": version_id})
    assert errors_of(unreasoned) == {("REASON_REQUIRED", "reason")}
    returned = await ok(
        fresh_api, TRANSITIONS["return"], "returnPlanVersion", {"versionId": version_id, "reason": "Lengkapi sasaran"}
    )
    assert returned["version"]["state"] == "DRAFT"
    stale = await mutate(
        fresh_api, TRANSITIONS["submit"], "submitPlanVersion", {"versionId": version_id, "expectedRevision": 1}
    )
    assert errors_of(stale) == {("CONFLICT", "expectedRevision")}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"kind": "RENSTRA"}, ("INVALID_PLAN_UNIT", "orgUnitId")),
        ({"endYear": 2036}, ("INVALID_PERIOD", "endYear")),
        ({"name": " "}, ("REQUIRED", "name")),
        ({"orgUnitId": "T3JnVW5pdDo5OTk5OTk="}, ("NOT_FOUND", "orgUnitId")),
        ({"startYear": 2025, "endYear": 2029}, ("DUPLICATE_PLAN", "startYear")),
    ],
)
async def test_create_strategic_plan_refuses_bad_input(
    fresh_api: Api, change: dict[str, Any], expected: tuple[str, str]
) -> None:
    ids = await government_ids(fresh_api, "61.72")
    values = {"orgUnitId": ids.root_unit, "kind": "RPJMD", "name": "RPJMD", "startYear": 2030, "endYear": 2034}
    payload = await mutate(fresh_api, CREATE_PLAN, "createStrategicPlan", {**values, **change})
    assert errors_of(payload) == {expected}


async def test_drafts_are_read_in_scope_and_published_versions_by_everyone(fresh_api: Api) -> None:
    ids = await government_ids(fresh_api, "61.72")
    indicator = await create_indicator(fresh_api, ids.root_unit, "VIS-1")
    draft = (
        await ok(
            fresh_api,
            CREATE_PLAN,
            "createStrategicPlan",
            {"orgUnitId": ids.root_unit, "kind": "RPJMD", "name": "RPJMD", "startYear": 2030, "endYear": 2034},
        )
    )["version"]
    await ok(fresh_api, UPDATE_DRAFT, "updatePlanDraft", {"versionId": draft["id"], **rpjmd_draft(indicator)})
    query = "query($id: ID!) { node(id: $id) { ... on PlanVersion { state } } }"
    anonymous = fresh_api.anonymous()
    outsider = await fresh_api.as_user("operator.61.71")
    insider = await fresh_api.as_user("operator.61.72")
    assert (await anonymous.execute(query, {"id": draft["id"]}))["node"] is None
    assert (await outsider.execute(query, {"id": draft["id"]}))["node"] is None
    assert (await insider.execute(query, {"id": draft["id"]}))["node"] == {"state": "DRAFT"}
    plans = await anonymous.execute(
        "query($scope: ID!) { strategicPlans(scope: $scope, kind: RPJMD) { startYear government { code } "
        "versions { number state } } }",
        {"scope": ids.government},
    )
    assert plans["strategicPlans"] == [
        {"startYear": 2025, "government": {"code": "61.72"}, "versions": [{"number": 1, "state": "PUBLISHED"}]},
        {"startYear": 2030, "government": {"code": "61.72"}, "versions": []},
    ]


async def test_planners_draft_reviewers_return_and_leaders_publish(fresh_api: Api) -> None:
    pontianak = await government_ids(fresh_api, "61.71")
    singkawang = await government_ids(fresh_api, "61.72")
    planner = await fresh_api.as_user("planner.61.71")
    reviewer = await fresh_api.as_user("reviewer.61.71")
    leader = await fresh_api.as_user("leader.61.71")
    operator = await fresh_api.as_user("operator.61.71")
    values = {"kind": "RPJMD", "name": "RPJMD Pontianak 2030–2034", "startYear": 2030, "endYear": 2034}
    for api, unit in [
        (operator, pontianak.root_unit),
        (planner, singkawang.root_unit),
        (fresh_api.anonymous(), pontianak.root_unit),
    ]:
        refused = await mutate(api, CREATE_PLAN, "createStrategicPlan", {**values, "orgUnitId": unit})
        assert errors_of(refused) == {("FORBIDDEN", "orgUnitId")}
    created = await ok(planner, CREATE_PLAN, "createStrategicPlan", {**values, "orgUnitId": pontianak.root_unit})
    version = {"versionId": created["version"]["id"]}
    await ok(planner, TRANSITIONS["submit"], "submitPlanVersion", version)
    for api, name in [(planner, "publish"), (leader, "return")]:
        refused = await mutate(api, TRANSITIONS[name], f"{name}PlanVersion", {**version, "reason": "x"})
        assert errors_of(refused) == {("FORBIDDEN", "versionId")}
    await ok(reviewer, TRANSITIONS["return"], "returnPlanVersion", {**version, "reason": "Lengkapi misi"})
    await ok(planner, TRANSITIONS["submit"], "submitPlanVersion", version)
    published = await ok(leader, TRANSITIONS["publish"], "publishPlanVersion", version)
    assert published["version"]["state"] == "PUBLISHED"
    log = await fresh_api.execute("query { auditLog(first: 10) { edges { node { action actor reason } } } }")
    actions = [edge["node"]["action"] for edge in log["auditLog"]["edges"]][:5]
    assert actions == [
        "plan_version.publish",
        "plan_version.submit",
        "plan_version.return",
        "plan_version.submit",
        "plan.create",
    ]
