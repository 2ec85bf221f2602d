"""Document benchmarks (issue 18's quality bars): an agency's LKjIP of 50 indicators over 10
sasaran and 20 budget items rendered as PDF (goal ≤ 3 s), Word (≤ 1 s) and workbook, medians of
`--repeat` renders after one warm-up, with the peak Python memory of one render (tracemalloc).
The figures are built in memory: this measures layout, not the database (gathering is a fixed
number of statements, store/lkjip.py).

    .venv/bin/python -m bench.documents [--repeat 5]

Results: bench/results/documents.json.
"""

import argparse
import json
import statistics
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

from documents.lkjip.render import render_one
from domain.efficiency import EfficiencyMethod
from domain.enums import AchievementCategory
from domain.lkjip import (
    Analysis,
    Benchmark,
    DocumentFormat,
    IndicatorAccount,
    LkjipFigures,
    Paper,
    Party,
    PlanContext,
    YearFigure,
    budget_account,
    deadline,
    objective_account,
    summary,
)

RESULTS = Path(__file__).resolve().parent / "results"
GOALS_SECONDS = {DocumentFormat.PDF: 3.0, DocumentFormat.DOCX: 1.0}


def agency_figures(indicators: int = 50, objectives: int = 10, lines: int = 20) -> LkjipFigures:
    method = EfficiencyMethod.ABSORPTION
    budget = [
        budget_account(
            code=f"1.02.{n + 1:02d}",
            name=f"Program {n + 1} urusan kesehatan",
            level="PROGRAM",
            budget=Decimal(855_830_897_000 + n),
            by_quarter=[Decimal(150_000_000_000), Decimal(183_720_366_083), None, Decimal(401_161_098_250)],
            method=method,
            achievement=Decimal(95),
        )
        for n in range(lines)
    ]
    sasaran = []
    per = indicators // objectives
    for o in range(objectives):
        accounts = []
        for i in range(per):
            number = o * per + i
            this = YearFigure(
                2025, Decimal(80 + i), None, Decimal("76.5") + i, Decimal("95.63"), AchievementCategory.SANGAT_TINGGI
            )
            earlier = tuple(
                YearFigure(2025 - k, Decimal(78), None, Decimal(70 + k), Decimal("89.74"), None) for k in (1, 2)
            )
            accounts.append(
                IndicatorAccount(
                    number,
                    f"IKU-{number:02d}",
                    f"Persentase capaian layanan kesehatan dasar nomor {number} di seluruh puskesmas",
                    "%",
                    this,
                    earlier,
                    2029,
                    Decimal(90),
                    Decimal("85.00"),
                    Benchmark(Decimal("81.2"), None, "BPS Provinsi", ""),
                    Analysis("Dukungan kader dan anggaran. " * 4, "Data terlambat. " * 4, "Pendampingan bulanan. " * 4),
                )
            )
        sasaran.append(objective_account(f"Sasaran strategis {o + 1}", accounts, budget[o * 2 : o * 2 + 2]))
    return LkjipFigures(
        org_unit_id=1,
        unit_name="Dinas Kesehatan",
        government_name="Kota Pontianak",
        government_code="61.71",
        year=2025,
        head=Party("Pejabat DINKES", "Kepala Dinas Kesehatan", None),
        agreement_version=1,
        structure=("Dinas Kesehatan", *(f"  Bidang {n}" for n in range(6))),
        plan=PlanContext("Renstra Dinas Kesehatan 2025–2029", 1, "Pontianak sehat", ("Misi satu",), ("Tujuan satu",)),
        objectives=tuple(sasaran),
        budget_lines=tuple(budget),
        efficiency_method=method,
        summary=summary(sasaran, budget, method),
        sections={"FOREWORD": "Kata pengantar. " * 40, "CONCLUSION": "Kesimpulan. " * 40},
        due_on=deadline(2025),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    figures = agency_figures()
    results: dict[str, dict[str, float | int | bool]] = {}
    for format in (DocumentFormat.PDF, DocumentFormat.DOCX, DocumentFormat.XLSX):
        render_one(figures, Paper.F4, format)  # warm-up: templates, fonts
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            size = len(render_one(figures, Paper.F4, format))
            times.append(time.perf_counter() - started)
        tracemalloc.start()
        render_one(figures, Paper.F4, format)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        median = statistics.median(times)
        goal = GOALS_SECONDS.get(format)
        results[format.value] = {
            "median_s": round(median, 3),
            "min_s": round(min(times), 3),
            "bytes": size,
            "peak_python_mb": round(peak / 2**20, 1),
            **({"goal_s": goal, "within_goal": median <= goal} if goal else {}),
        }
        print(f"LKjIP 50 indicators {format.value}: median {median:.3f} s, {size:,} bytes, peak {peak / 2**20:.1f} MB")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "documents.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
