"""A signed Perjanjian Kinerja downloads as the Word document officials sign and as PDF: FOLIO,
the statement of the parties, the annex with its sasaran, targets in Indonesian notation, the
budget lines and their TOTAL, and the signatures (read back with python-docx and pypdf)."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.shared import Mm
from pypdf import PdfReader

from domain.notation import indonesian_date, indonesian_number
from tests.api.client import Api
from tests.api.factories import government_ids

SIGNED = """
query($scope: ID!) {
  performanceAgreements(scope: $scope, year: 2026) {
    level orgUnit { code name }
    versions { number documentUrl pdfUrl title budgetTotalText items { indicator target } firstParty { title nip } }
  }
}
"""


def test_indonesian_notation() -> None:
    assert indonesian_number(Decimal("1234.50")) == "1.234,5"
    assert indonesian_number(Decimal("80.000000")) == "80"
    assert indonesian_number(Decimal("-0.25")) == "-0,25"
    assert indonesian_date(date(2026, 9, 30)) == "30 September 2026"


async def test_a_signed_jpt_agreement_downloads_as_its_word_document(demo_api: Api) -> None:
    ids = await government_ids(demo_api, "61.71")
    agreements = (await demo_api.anonymous().execute(SIGNED, {"scope": ids.government}))["performanceAgreements"]
    dinkes = next(a for a in agreements if a["level"] == "JPT" and a["orgUnit"]["code"] == "DINKES")
    (version,) = dinkes["versions"]
    response = await demo_api.anonymous().client.get(version["documentUrl"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    width, height = document.sections[0].page_width, document.sections[0].page_height
    assert width is not None and height is not None
    assert (round(width / Mm(1)), round(height / Mm(1))) == (215, 330)
    text = "\n".join(p.text for p in document.paragraphs)
    assert version["title"] in text and "Pihak kesatu berjanji" in text and "Pihak kedua akan memberikan" in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert version["firstParty"]["title"].startswith("Plt. ") and version["firstParty"]["title"] in cells
    assert "PIHAK KEDUA" in cells and "PIHAK KESATU" in cells
    first_item = version["items"][0]
    assert first_item["indicator"] in cells
    assert indonesian_number(Decimal(first_item["target"])) in cells
    assert "TOTAL" in cells and version["budgetTotalText"] in cells
    assert not any(cell.startswith("NIP.") for cell in cells)  # JPT and Wali Kota: no NIP printed


ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
POINTS_PER_MM = 72 / 25.4


async def test_a_signed_agreement_prints_as_pdf_with_the_same_pages(demo_api: Api) -> None:
    ids = await government_ids(demo_api, "61.71")
    agreements = (await demo_api.anonymous().execute(SIGNED, {"scope": ids.government}))["performanceAgreements"]
    dinkes = next(a for a in agreements if a["level"] == "JPT" and a["orgUnit"]["code"] == "DINKES")
    (version,) = dinkes["versions"]
    assert version["pdfUrl"] == version["documentUrl"].removesuffix(".docx") + ".pdf"
    response = await demo_api.anonymous().client.get(version["pdfUrl"])  # public, as the Word file
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    statement, annex = (" ".join(page.extract_text().split()) for page in reader.pages)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / POINTS_PER_MM), round(float(box.height) / POINTS_PER_MM)) == (215, 330)
    assert version["title"] in statement and "Pihak kesatu berjanji" in statement
    assert "Pihak kedua akan memberikan" in statement and version["firstParty"]["title"] in statement
    assert "PIHAK KEDUA" in statement and "PIHAK KESATU" in statement and "NIP." not in statement
    first_item = version["items"][0]
    assert f"LAMPIRAN {version['title']}" in annex and " ".join(first_item["indicator"].split()) in annex
    assert indonesian_number(Decimal(first_item["target"])) in annex
    assert "TOTAL" in annex and version["budgetTotalText"] in annex and "NIP." not in annex
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "perjanjian-kinerja-dinkes.pdf").write_bytes(response.content)  # for a person to look at


async def test_an_unknown_version_is_not_found(demo_api: Api) -> None:
    for path in (
        "/dokumen/perjanjian-kinerja/bogus/1.docx",
        "/dokumen/perjanjian-kinerja/UGVyZm9ybWFuY2VBZ3JlZW1lbnQ6OTk5OTk=/1.docx",
        "/dokumen/perjanjian-kinerja/UGVyZm9ybWFuY2VBZ3JlZW1lbnQ6OTk5OTk=/1.pdf",
    ):
        response = await demo_api.anonymous().client.get(path)
        assert response.status_code == 404


async def test_the_kepala_daerah_signs_alone_and_eselon_officials_show_their_nip(demo_api: Api) -> None:
    ids = await government_ids(demo_api, "61.71")
    agreements = (await demo_api.anonymous().execute(SIGNED, {"scope": ids.government}))["performanceAgreements"]
    documents = {}
    for level in ("KEPALA_DAERAH", "ADMINISTRATOR"):
        version = next(a for a in agreements if a["level"] == level)["versions"][0]
        document = Document(io.BytesIO((await demo_api.anonymous().client.get(version["documentUrl"])).content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        documents[level] = ("\n".join(p.text for p in document.paragraphs), cells, version)
    text, cells, _ = documents["KEPALA_DAERAH"]
    assert "Berjanji akan mewujudkan" in text and "PIHAK KEDUA" not in cells
    _, cells, version = documents["ADMINISTRATOR"]
    assert f"NIP. {version['firstParty']['nip']}" in cells
    assert "KEGIATAN" in cells
    for level, (_, _, version) in documents.items():  # the PDF prints the same rules
        pdf = PdfReader(io.BytesIO((await demo_api.anonymous().client.get(version["pdfUrl"])).content))
        printed = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
        if level == "KEPALA_DAERAH":
            assert "Berjanji akan mewujudkan" in printed and "PIHAK KEDUA" not in printed
        else:
            assert f"NIP. {version['firstParty']['nip']}" in printed and "KEGIATAN" in printed
