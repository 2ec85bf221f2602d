"""The demo's APBD 2026 (murni) of Kota Pontianak as SIPD would export it, imported through the
action as the Anggaran page does: each perangkat daerah's programs of its Renstra with a kegiatan
and a sub-kegiatan each, SIPD's unit codes and SKPD names. SIPD calls the education office
"Dinas Pendidikan", so the import maps it once (an alias later imports match by), and the Dinas
Kesehatan's second kegiatan leaves Rp 1.000.000 of its program unallocated (W5's selisih)."""

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from actions import apbd
from actions.agreements import LineInput
from actions.apbd import ApbdImport, ApbdLineInput
from actions.caller import PLATFORM
from domain.progress import BudgetKind

APBD_YEAR = 2026
SIPD_NAMES = {"DISDIK": "Dinas Pendidikan"}  # a name of SIPD's own, not the unit's
SHORT_OF_PROGRAM = Decimal(1_000_000)


def unit_code(program_code: str, number: int) -> str:
    """A SIPD SKPD code under the program's urusan and bidang: `1.02.0.00.0.00.01.0000`."""
    return f"{program_code.rsplit('.', 1)[0]}.0.00.0.00.{number:02d}.0000"


def _lines(code: str, programs: list[LineInput], short: Decimal) -> list[ApbdLineInput]:
    lines = []
    for program in programs:
        main = (program.amount * 3 / 5).quantize(Decimal(1))
        rest = program.amount - main - short
        lines += [
            ApbdLineInput(code, program.code, program.name, program.amount),
            ApbdLineInput(code, f"{program.code}.2.01", "Kegiatan utama", main),
            ApbdLineInput(code, f"{program.code}.2.01.0001", "Sub kegiatan utama", main),
            ApbdLineInput(code, f"{program.code}.2.02", "Kegiatan pendukung", rest),
            ApbdLineInput(code, f"{program.code}.2.02.0001", "Sub kegiatan pendukung", rest),
        ]
        short = Decimal(0)
    return lines


async def import_demo_apbd(
    conn: AsyncConnection,
    government_code: str,
    agencies: list[tuple[int, str, str]],
    programs: dict[int, list[LineInput]],
) -> None:
    """`agencies`: (id, code, name) of each perangkat daerah with programs."""
    lines: list[ApbdLineInput] = []
    names: dict[str, str] = {}
    mappings: dict[str, int] = {}
    for number, (agency_id, code, name) in enumerate(agencies, start=1):
        sipd = unit_code(programs[agency_id][0].code, number)
        names[sipd] = SIPD_NAMES.get(code, name).upper()
        if code in SIPD_NAMES:
            mappings[sipd] = agency_id
        lines += _lines(sipd, programs[agency_id], SHORT_OF_PROGRAM if code == "DINKES" else Decimal(0))
    request = ApbdImport(government_code, APBD_YEAR, BudgetKind.MURNI, lines, names, mappings)
    imported = await apbd.import_budget(conn, caller=PLATFORM, request=request)
    assert imported.written, imported.unmatched
