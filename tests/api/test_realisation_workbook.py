"""The realisation workbook for API clients (issue 18: "uploads go through a plain HTTP upload that
answers with the dry-run report"): the unit's template with a bearer token, a filled one checked
as the page checks it and answered as JSON (the batch to submit, every problem by row and column),
nothing written until the client submits the batch."""

import io
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.api.client import Api
from tests.api.factories import SUBMIT_REALISATIONS
from tests.web.facts import quarter_values, unit_id

CHECK = "/dokumen/isian/periksa"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def with_token(api: Api) -> dict[str, str]:
    return {"authorization": f"Bearer {api.token}"}


def filled(data: bytes, code: str, value: object) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book["Realisasi"]
    line = next(row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == code)
    sheet[f"E{line}"] = value
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


async def checked(api: Api, data: bytes, **headers: str) -> httpx.Response:
    return await api.client.post(CHECK, content=data, headers={"content-type": XLSX, **headers})


async def test_a_client_gets_the_template_checks_it_and_submits_the_batch(fresh_api: Api) -> None:
    operator = await fresh_api.as_user("operator.61.71.dinkes")
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    template = await operator.client.get(f"/dokumen/isian/{dinkes}/2026/tw3.xlsx", headers=with_token(operator))
    assert template.status_code == 200 and template.headers["content-type"] == XLSX
    assert 'filename="realisasi-dinkes-2026-tw3.xlsx"' in template.headers["content-disposition"]
    before = await quarter_values(fresh_api, dinkes, 2026, 3)

    wrong = await checked(operator, filled(template.content, "DINKES-02", "sembilan puluh"), **with_token(operator))
    assert wrong.status_code == 422
    (problem,) = wrong.json()["problems"]
    assert problem["column"] == "E" and "angka" in problem["message"]

    good = await checked(operator, filled(template.content, "DINKES-01", 19.5), **with_token(operator))
    assert good.status_code == 200, good.text
    report: dict[str, Any] = good.json()
    assert (report["unit"], report["year"], report["quarter"], report["problems"]) == (dinkes, 2026, 3, [])
    (row,) = report["realisations"]
    assert row["value"] == "19.5" and row["expectedVersion"] == before["DINKES-01"]["version"]  # type: ignore[index]
    assert await quarter_values(fresh_api, dinkes, 2026, 3) == before  # checked, not written
    variables = {"input": {"idempotencyKey": "workbook-1", "realisations": report["realisations"],
                           "months": report["months"]}}  # fmt: skip
    written = (await operator.execute(SUBMIT_REALISATIONS, variables))["submitRealisations"]
    assert written["userErrors"] == []
    assert (await quarter_values(fresh_api, dinkes, 2026, 3))["DINKES-01"]["value"] == "19.5"  # type: ignore[index]


async def test_files_and_callers_that_do_not_fit_are_refused(fresh_api: Api) -> None:
    operator = await fresh_api.as_user("operator.61.71.dinkes")
    dinkes = await unit_id(fresh_api, "61.71", "DINKES")
    template = await operator.client.get(f"/dokumen/isian/{dinkes}/2026/tw3.xlsx", headers=with_token(operator))
    assert (await checked(fresh_api.anonymous(), template.content)).status_code == 401
    not_xlsx = await checked(operator, b"kode,nilai\n1,2\n", **with_token(operator))
    assert not_xlsx.status_code == 400 and "bukan buku kerja Excel" in not_xlsx.json()["error"]
    too_big = await checked(operator, b"0" * (2 * 1024 * 1024 + 1), **with_token(operator))
    assert too_big.status_code == 413
    other = await fresh_api.as_user("operator.61.72")
    assert (await checked(other, template.content, **with_token(other))).status_code == 404
    assert (
        await other.client.get(f"/dokumen/isian/{dinkes}/2026/tw3.xlsx", headers=with_token(other))
    ).status_code == 404
    assert (await fresh_api.anonymous().client.get(f"/dokumen/isian/{dinkes}/2026/tw3.xlsx")).status_code == 401
    assert (
        await operator.client.get(f"/dokumen/isian/{dinkes}/2026/tw7.xlsx", headers=with_token(operator))
    ).status_code == 404
