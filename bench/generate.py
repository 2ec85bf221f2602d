"""Deterministic generator at province scale, loaded through COPY.

Per province: 15 governments (the province and 14 kabupaten/kota) x 40 agencies x 25 units
(the agency, 4 bidang, 20 seksi) x 5 indicators = 75,000 indicators; annual targets for
2025-2029 (375,000) and quarterly realisations for 2025-2028 (1.5 M). 2029 is left empty for
the submission benchmarks. `--provinces N` repeats it with other province codes.

    .venv/bin/python -m bench.generate DATABASE_URL [--provinces N]
"""

import argparse
import asyncio
import random
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import psycopg
from sqlalchemy.engine import make_url
from tqdm import tqdm

from demo.load import build_aggregates
from identity.passwords import hash_password
from store import migrate

GOVERNMENTS, AGENCIES, BIDANG, SEKSI_PER_BIDANG, INDICATORS_PER_UNIT = 15, 40, 4, 5, 5
TARGET_YEARS, REALISED_YEARS = range(2025, 2030), range(2025, 2029)
VALID_FROM = date(2021, 1, 1)
PASSWORD = "kinerja-demo"


def plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Ids:
    def __init__(self) -> None:
        self.next = {"government": 1, "org_unit": 1, "indicator": 1}

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] += 1
        return value


Row = tuple[object, ...]


def structure(provinces: int, ids: Ids) -> tuple[list[Row], list[Row], list[Row]]:
    governments: list[Row] = []
    units: list[Row] = []
    indicators: list[Row] = []
    for p in range(provinces):
        province_code = str(61 + p)
        for g in range(GOVERNMENTS):
            code = province_code if g == 0 else f"{province_code}.{g:02d}" if g < 13 else f"{province_code}.{58 + g}"
            kind = "PROVINSI" if g == 0 else "KOTA" if g >= 13 else "KABUPATEN"
            gov_id = ids.take("government")
            gov_path = f"{province_code}/" if g == 0 else f"{province_code}/{code}/"
            parent = None if g == 0 else next(x[0] for x in governments if x[1] == province_code)
            governments.append((gov_id, code, f"Pemerintah {code}", kind, parent, gov_path))
            root = ids.take("org_unit")
            root_path = f"{gov_path}{root}/"
            units.append((root, gov_id, None, code, f"Pemerintah {code}", "PEMDA", root_path, VALID_FROM, root,
                          province_code))  # fmt: skip
            for a in range(AGENCIES):
                agency = ids.take("org_unit")
                agency_path = f"{root_path}{agency}/"
                units.append((agency, gov_id, root, f"OPD{a:02d}", f"Perangkat Daerah {a:02d}", "PERANGKAT_DAERAH",
                              agency_path, VALID_FROM, agency, province_code))  # fmt: skip
                members = [agency]
                for b in range(BIDANG):
                    bidang = ids.take("org_unit")
                    bidang_path = f"{agency_path}{bidang}/"
                    units.append((bidang, gov_id, agency, f"OPD{a:02d}.{b}", f"Bidang {b}", "ESELON_III", bidang_path,
                                  VALID_FROM, agency, province_code))  # fmt: skip
                    members.append(bidang)
                    for s in range(SEKSI_PER_BIDANG):
                        seksi = ids.take("org_unit")
                        units.append((seksi, gov_id, bidang, f"OPD{a:02d}.{b}.{s}", f"Seksi {s}", "ESELON_IV",
                                      f"{bidang_path}{seksi}/", VALID_FROM, agency, province_code))  # fmt: skip
                        members.append(seksi)
                for unit in members:
                    for i in range(INDICATORS_PER_UNIT):
                        lower = i == 4
                        indicators.append((ids.take("indicator"), unit, f"IND-{unit}-{i}", f"Indikator {i} unit {unit}",
                                           "%", "LOWER_IS_BETTER" if lower else "HIGHER_IS_BETTER",
                                           "MIRROR" if lower else "RATIO", "OUTPUT", i == 0,
                                           "SUM" if i == 1 else "LAST", province_code))  # fmt: skip
    return governments, units, indicators


def values(
    indicators: list[tuple[object, ...]], rng: random.Random
) -> tuple[Iterator[tuple[object, ...]], Iterator[tuple[object, ...]]]:
    def targets() -> Iterator[tuple[object, ...]]:
        for row in indicators:
            for year in TARGET_YEARS:
                yield (row[0], year, 0, Decimal(100 if row[9] == "SUM" else 80), row[10])

    def realisations() -> Iterator[tuple[object, ...]]:
        for row in indicators:
            for year in REALISED_YEARS:
                for quarter in (1, 2, 3, 4):
                    if rng.random() < 0.02:
                        continue  # some missing, as in life
                    base = 25 if row[9] == "SUM" else 80
                    yield (row[0], year, quarter, Decimal(round(base * rng.uniform(0.7, 1.25), 2)), row[10])

    return targets(), realisations()


def copy(conn: psycopg.Connection, table: str, columns: str, rows: Iterator[tuple[object, ...]], total: int) -> None:
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as writer:
        for row in tqdm(rows, total=total, desc=table, unit="rows", mininterval=1):
            writer.write_row(row)


def generate(url: str, provinces: int = 1) -> dict[str, int]:
    migrate.upgrade(url)
    rng = random.Random(61)
    ids = Ids()
    governments, units, indicators = structure(provinces, ids)
    targets, realisations = values(indicators, rng)
    counts = {"governments": len(governments), "org_units": len(units), "indicators": len(indicators)}
    started = time.perf_counter()
    with psycopg.connect(plain(url)) as conn:
        copy(conn, "government", "id, code, name, kind, parent_id, path", iter(governments), len(governments))
        copy(conn, "org_unit", "id, government_id, parent_id, code, name, kind, path, valid_from, report_unit_id, "
             "province_code", iter(units), len(units))  # fmt: skip
        copy(conn, "indicator", "id, org_unit_id, code, name, unit_of_measure, polarity, achievement_method, type, "
             "is_key, period_aggregation, province_code", iter(indicators), len(indicators))  # fmt: skip
        values_columns = "indicator_id, year, quarter, value, province_code"
        copy(conn, "target", values_columns, targets, len(indicators) * len(TARGET_YEARS))
        realised = len(indicators) * len(REALISED_YEARS) * 4
        copy(conn, "realisation", values_columns, realisations, realised)
        secret = hash_password(PASSWORD)
        with conn.cursor() as cursor:
            for user_id, (username, role, path) in enumerate(
                [
                    ("reviewer.61", "REVIEWER", "61/"),
                    ("operator.61.71", "OPERATOR", "61/61.71/"),
                    ("operator.61", "OPERATOR", "61/"),
                ],
                1,
            ):
                cursor.execute(
                    "INSERT INTO app_user (id, username, display_name, password_hash) VALUES (%s, %s, %s, %s)",
                    (user_id, username, username, secret),
                )
                cursor.execute(
                    "INSERT INTO casbin_rule (ptype, v0, v1, v2) VALUES ('g', %s, %s, %s)",
                    (f"user:{user_id}", role, path),
                )
            for table in ("government", "org_unit", "indicator", "app_user"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cursor.execute("ANALYZE")
    counts["realisation_slots"] = realised  # about 2 % are left missing on purpose
    print(f"loaded in {time.perf_counter() - started:.1f} s; building aggregates …", flush=True)
    started = time.perf_counter()
    asyncio.run(build_aggregates(url))
    print(f"aggregates built in {time.perf_counter() - started:.1f} s", flush=True)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url")
    parser.add_argument("--provinces", type=int, default=1)
    arguments = parser.parse_args()
    print(generate(arguments.database_url, arguments.provinces))


if __name__ == "__main__":
    main()
