"""The README's example queries run against the demo as written."""

import re
from pathlib import Path

from tests.api.client import Api

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.DOTALL)


async def test_every_readme_example_runs(demo_api: Api) -> None:
    assert len(EXAMPLES) >= 4
    reviewer = await demo_api.as_user("reviewer.61")
    results = [await reviewer.execute(example) for example in EXAMPLES]
    province, pontianak, key_indicators, submitted, planning, lkjip, compliance, evaluation, monev = results[:9]
    (rpjmd,) = planning["strategicPlans"]
    assert [version["state"] for version in rpjmd["versions"]] == ["PUBLISHED", "PUBLISHED"]
    assert {agreement["level"] for agreement in planning["performanceAgreements"]} == {
        "KEPALA_DAERAH",
        "JPT",
        "ADMINISTRATOR",
        "PENGAWAS",
    }
    (signed,) = lkjip["performanceReport"]["versions"]
    assert signed["state"] == "SIGNED" and {d["format"] for d in signed["documents"]} == {"PDF", "DOCX", "XLSX"}
    assert compliance["government"]["id"] == "R292ZXJubWVudDoyMA=="  # the id written in the README
    assert {row["status"] for row in compliance["reportingCompliance"]} >= {"ON_TIME", "LATE", "MISSING"}
    (pontianak_2025,) = evaluation["evaluations"]
    assert (pontianak_2025["state"], pontianak_2025["total"], pontianak_2025["grade"]) == ("FINAL", "65.68", "B")
    assert monev["ranking"]["state"] == "PUBLISHED" and len(monev["ranking"]["rows"]) == 10
    assert {row["zone"]["code"] for row in monev["ranking"]["rows"]} == {"HIJAU", "KUNING", "MERAH"}
    assert monev["rewardList"]["state"] == "CONFIRMED"
    assert [item["category"] for item in monev["rewardList"]["items"]].count("TEGURAN") == 1
    assert len(province["government"]["children"]) == 14
    assert len(pontianak["government"]["rollup"]["children"]) == 10
    assert key_indicators["indicators"]["edges"][0]["node"]["achievement"]["percent"] is not None
    payload = submitted["submitRealisations"]
    # A reviewer may not enter values: the batch is refused whole, nothing written.
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("FORBIDDEN", "realisations.0.indicatorId")]
