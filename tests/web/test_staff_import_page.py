"""Impor data pegawai over HTTP: a SIMPEG staff file (CSV with semicolons, or XLSX with its
columns in another order) is checked whole, every bad row named by its line in the file and
nothing written; a clean file is checked, then written, matching employees by NIP."""

import io

import httpx
import openpyxl

from tests.api.client import Api
from tests.web.pages import Pages, text_of

HEADER = "NIP;Nama;Golongan;Kode Jabatan;Nama Jabatan;Jenis Jabatan;Kelas Jabatan;Kode Unit;Kode Atasan;Akun"
NEW = "199001012015031002;Rina Marlina;III/a;STAF-3.1-11;Pengelola Data;Pelaksana;7;DINKES.3.1;KASI-3.1;"
ORPHAN = "199102022016041001;Andi Wijaya;III/a;STAF-3.1-12;Pengelola Data;Pelaksana;7;DINKES.3.1;KASI-9.9;"
BAD_NIP = "12345;Sari Dewi;III/a;STAF-3.1-13;Pengelola Data;Pelaksana;7;DINKES.3.1;KASI-3.1;"
COUNT = """query($scope: ID!) { employees(scope: $scope, first: 500) { nip } }"""


async def upload(pages: Pages, name: str, data: bytes, *, write: bool = False) -> httpx.Response:
    form = {"csrf": await pages.csrf_of("/pegawai/impor"), "pemda": "61.71", **({"tulis": "ya"} if write else {})}
    return await pages.client.post("/pegawai/impor", data=form, files={"berkas": (name, data)})


async def test_a_staff_file_is_checked_by_line_then_written_whole(pages: Pages, fresh_url: str) -> None:
    await pages.sign_in("admin.61.71")
    opened = await pages.get("/pegawai/impor")
    assert opened.status_code == 200 and 'href="/pegawai/impor" aria-current="page"' in opened.text
    bad = "\n".join([HEADER, NEW, "", ORPHAN, BAD_NIP]).encode()
    refused = await upload(pages, "simpeg.csv", bad, write=True)
    assert refused.status_code == 400
    shown = text_of(refused)
    assert "Tidak ada yang ditulis." in shown
    assert "Baris 4: Jabatan atasan KASI-9.9 tidak ditemukan." in shown  # the blank line 3 is skipped
    assert "Baris 5: NIP harus 18 angka." in shown

    async with Api.serving(fresh_url) as api:
        admin = await api.as_user("admin.61.71")
        scope = (await admin.execute('{ governments(kind: KOTA, parentCode: "61") { id code } }'))["governments"]
        pontianak = next(g["id"] for g in scope if g["code"] == "61.71")
        assert len((await admin.execute(COUNT, {"scope": pontianak}))["employees"]) == 60

        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        columns = HEADER.split(";")
        order = [7, 3, 0, 1, 2, 4, 5, 6, 8, 9]  # the unit first: any order of columns is read
        sheet.append([columns[i] for i in order])
        values = NEW.split(";")
        sheet.append([int(values[i]) if i == 6 else values[i] for i in order])
        buffer = io.BytesIO()
        book.save(buffer)
        checked = await upload(pages, "simpeg.xlsx", buffer.getvalue())
        assert checked.status_code == 200, text_of(checked)
        assert "Pemeriksaan berhasil: 1 baris, 1 jabatan, 1 pegawai (1 baru)." in text_of(checked)
        assert len((await admin.execute(COUNT, {"scope": pontianak}))["employees"]) == 60  # a dry run
        written = await upload(pages, "simpeg.xlsx", buffer.getvalue(), write=True)
        assert "Tersimpan: 1 baris" in text_of(written)
        found = (await admin.execute(COUNT, {"scope": pontianak}))["employees"]
        assert len(found) == 61 and {"nip": "199001012015031002"} in found


async def test_only_the_personnel_admin_imports_and_a_file_that_is_no_table_is_refused(pages: Pages) -> None:
    await pages.sign_in("operator.61.71")
    assert (await pages.get("/pegawai/impor")).status_code == 403
    admin = pages.another_browser()
    await admin.sign_in("admin.61.71")
    not_a_book = await upload(admin, "simpeg.xlsx", b"not a workbook")
    assert not_a_book.status_code == 400 and "bukan buku kerja Excel" in text_of(not_a_book)
    headless = await upload(admin, "simpeg.csv", b"a;b\n1;2\n")
    assert "Baris pertama harus memuat judul kolom: NIP, Nama, Kode Jabatan, Kode Unit." in text_of(headless)
