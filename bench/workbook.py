"""The realisation workbook at 5,000 rows (issue 18's quality bar: "a 5,000-row XLSX dry run ≤ 2 s
and its write within 1.5 × the same submitRealisations batch"), on the province-scale bench
database, in process: the template of a kabupaten/kota's 5,000 indicators written and filled
(openpyxl), the upload read back (documents.realisation_workbook.read_upload: the checks of the
file and of every cell), the batch checked by `submitRealisations(dryRun: true)` (every rule, rolled
back) and then written by the same mutation, as the upload's confirmation does.

    .venv/bin/python -m bench.workbook [--repeat 5]

Not included: the page's own look-up of the unit's indicators (`load_entry`), since no bench unit
reports 5,000 indicators in one report (a perangkat daerah reports its subtree, ~125).
Results: bench/results/workbook.json.
"""

import io
import statistics
import time
import uuid
from typing import Any

from openpyxl import load_workbook

from bench.cases import SUBMIT, ids, reset_submissions, rows
from bench.clocked import run, signed_in, summary
from documents.realisation_workbook import Period, TemplateRow, read_upload, template
from store.database import create_engine

SECRET = "bench-workbook-" + "x" * 40
GOVERNMENT = "61.09"
YEAR, QUARTER = 2029, 3
DRY_RUN = """mutation($input: SubmitRealisationsInput!) {
  submitRealisations(input: $input) { replayed userErrors { code field } } }"""


def filled_template(codes: list[str]) -> bytes:
    """The unit's template as the operator fills it: a value in every Realisasi cell."""
    lines = [TemplateRow(code, f"Indikator {code}", "%", "80", "", "", f"Triwulan {QUARTER}") for code in codes]
    book = load_workbook(io.BytesIO(template(Period("bench", "Bench", YEAR, QUARTER), lines)))
    sheet = book["Realisasi"]
    for line in range(2, len(codes) + 2):
        sheet[f"E{line}"] = 77.5
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


async def measure(url: str, repeat: int) -> dict[str, Any]:
    engine = create_engine(url, pool_size=4)
    async with engine.connect() as conn:
        found = await ids(conn)
    indicators: list[str] = found["indicators"][GOVERNMENT]
    data = filled_template([f"IND-{n:05d}" for n in range(len(indicators))])
    parse: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        uploaded = read_upload(data)
        parse.append((time.perf_counter() - started) * 1000)
    assert len(uploaded.rows) == len(indicators) and all(row.value == "77.5" for row in uploaded.rows)
    batch = rows(indicators, QUARTER)
    dry: list[tuple[float, float]] = []
    write: list[tuple[float, float]] = []
    async with signed_in(engine, "operator.61", SECRET) as bench:
        for _ in range(repeat):
            await reset_submissions(url)
            variables = {"input": {"idempotencyKey": uuid.uuid4().hex, "realisations": batch, "dryRun": True}}
            wall, sql, _ = await bench.post(DRY_RUN, variables)
            dry.append((wall, sql))
            variables = {"input": {"idempotencyKey": uuid.uuid4().hex, "realisations": batch}}
            wall, sql, _ = await bench.post(SUBMIT, variables)
            write.append((wall, sql))
    await reset_submissions(url)
    await engine.dispose()
    read_ms = statistics.median(parse)
    checked, written = summary(dry), summary(write)
    return {
        "rows": len(indicators),
        "workbook_bytes": len(data),
        "read_upload_p50_ms": round(read_ms, 1),
        "dry_run": checked,
        "write": written,
        "upload_check_p50_ms": round(read_ms + checked["p50_ms"], 1),
        "write_over_dry_run": round(written["p50_ms"] / checked["p50_ms"], 2),
        "repeat": repeat,
    }


def main() -> None:
    run(__doc__, measure, "workbook")


if __name__ == "__main__":
    main()
