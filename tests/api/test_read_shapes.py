"""No N+1 in the read shapes third-party tools use (issue 15): an indicator page with its
totalCount, targets, realisations, achievement, unit and parent, and `nodes(ids:)` of indicators
and units together, each a fixed number of statements however many rows it answers."""

from tests.api.client import Api

PAGE = """query($first: Int!) { indicators(first: $first) { totalCount edges { node { id code name unitOfMeasure
  orgUnit { code government { code } } targets(year: 2026) { quarter value } realisations(year: 2026) { quarter value }
  achievement(year: 2026) { percent } parent { code } } } } }"""
NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { id
  ... on Indicator { code targets(year: 2026) { value } realisations(year: 2026) { value } achievement(year: 2026) {
    percent } orgUnit { code government { code } } }
  ... on OrgUnit { code name parent { code } } } }"""


async def test_an_indicator_page_costs_the_same_statements_for_5_rows_or_100(demo_api: Api) -> None:
    admin = await demo_api.as_user("admin.61")
    await admin.count_statements(PAGE, {"first": 1})  # the session's first touch
    small, few = await admin.count_statements(PAGE, {"first": 5})
    large, many = await admin.count_statements(PAGE, {"first": 100})
    assert len(small["indicators"]["edges"]) == 5 and len(large["indicators"]["edges"]) == 100
    assert large["indicators"]["totalCount"] > 1000
    assert sum(len(e["node"]["realisations"]) for e in large["indicators"]["edges"]) > 100
    # One more at most: the larger page reaches indicators with a parent, the smaller none.
    assert many - few <= 1 and many <= 11


async def test_nodes_of_indicators_and_units_cost_the_same_statements_for_4_ids_or_100(demo_api: Api) -> None:
    admin = await demo_api.as_user("admin.61")
    ids = """{ indicators(first: 50) { edges { node { id orgUnit { id } } } } }"""
    edges = (await admin.execute(ids))["indicators"]["edges"]
    indicators = [e["node"]["id"] for e in edges]
    units = list(dict.fromkeys(e["node"]["orgUnit"]["id"] for e in edges))
    await admin.count_statements(NODES, {"ids": indicators[:1]})
    few_answer, few = await admin.count_statements(NODES, {"ids": indicators[:2] + units[:2]})
    many_answer, many = await admin.count_statements(NODES, {"ids": indicators + units})
    assert all(few_answer["nodes"]) and all(many_answer["nodes"]) and len(many_answer["nodes"]) > 50
    assert many == few


REPORTS = """query($scope: ID!) { reportingCompliance(scope: $scope, year: 2026, quarter: 3) { state
  orgUnit { code } report { id state history { action state actor at reason } comments { body author resolved } } } }"""
AUDIT = """query($first: Int!) { auditLog(first: $first) { pageInfo { hasNextPage endCursor }
  edges { node { id at actor action entityType entityId old new reason } } } }"""


SUBMIT = """mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id } userErrors { code } } }"""
COMMENT = """mutation($i: AddCommentInput!) { addComment(input: $i) { userErrors { code } } }"""


async def test_reports_with_their_history_and_comments_cost_the_same_statements_for_one_unit_or_a_pemda(
    fresh_api: Api,
) -> None:
    """Issue 15's "a report with its history and comments", as a list: every reporting unit of
    Kota Pontianak for a quarter with each report's transitions and comments (each submitted and
    commented on here), against one agency's."""
    admin, reviewer = await fresh_api.as_user("admin.61.71"), await fresh_api.as_user("reviewer.61.71")
    units = """query { government(code: "61.71") { id rootUnit { id children { id code } } } }"""
    found = (await admin.execute(units))["government"]
    for unit in [found["rootUnit"], *found["rootUnit"]["children"]]:
        submitted = await admin.execute(SUBMIT, {"i": {"orgUnitId": unit["id"], "year": 2026, "quarter": 3}})
        report = submitted["submitReport"]["report"]
        if report is not None:
            for body in ("Mohon lengkapi bukti.", "Sudah sesuai."):
                added = await reviewer.execute(COMMENT, {"i": {"reportId": report["id"], "body": body}})
                assert added["addComment"]["userErrors"] == []
    dinkes = next(c["id"] for c in found["rootUnit"]["children"] if c["code"] == "DINKES")
    await admin.count_statements(REPORTS, {"scope": dinkes})  # the session's first touch
    one, few = await admin.count_statements(REPORTS, {"scope": dinkes})
    every, many = await admin.count_statements(REPORTS, {"scope": found["id"]})
    rows = every["reportingCompliance"]
    assert len(one["reportingCompliance"]) == 1 and len(rows) > 10
    assert sum(len(r["report"]["history"]) for r in rows) >= 5  # transitions to read
    assert sum(len(r["report"]["comments"]) for r in rows) >= 10  # and comments
    assert many == few, (few, many)


async def test_an_audit_page_costs_the_same_statements_for_5_entries_or_100(demo_api: Api) -> None:
    admin = await demo_api.as_user("admin.61")
    await admin.count_statements(AUDIT, {"first": 1})
    small, few = await admin.count_statements(AUDIT, {"first": 5})
    large, many = await admin.count_statements(AUDIT, {"first": 100})
    assert len(small["auditLog"]["edges"]) == 5 and len(large["auditLog"]["edges"]) == 100
    assert many == few, (few, many)


async def test_an_audit_page_counts_its_entries_only_when_asked(demo_api: Api) -> None:
    """Counting the whole log in scope was most of a page's time: one statement more, when asked."""
    reviewer = await demo_api.as_user("reviewer.61.71")
    counted_page = AUDIT.replace("auditLog(first: $first) {", "auditLog(first: $first) { totalCount")
    await reviewer.count_statements(AUDIT, {"first": 1})
    page, plain = await reviewer.count_statements(AUDIT, {"first": 5})
    with_count, counted = await reviewer.count_statements(counted_page, {"first": 5})
    assert counted == plain + 1 and with_count["auditLog"]["edges"] == page["auditLog"]["edges"]
    every = await reviewer.execute(counted_page, {"first": 100})
    total = with_count["auditLog"]["totalCount"]
    assert total == every["auditLog"]["totalCount"] >= len(every["auditLog"]["edges"])
    assert (total > 100) == every["auditLog"]["pageInfo"]["hasNextPage"]
