"""Evidence (bukti dukung) of an evaluation criterion: a file checked by its content, never by
its name, or a link (sakip-wave2.md §3.4)."""

import hashlib
import io
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.errors import DomainError

# A file base64-encoded in a GraphQL request (body limit 4 MB, server.py): 2 MiB of bytes fit.
# Sent as a file of a multipart request (GraphQL's, or the evaluation page's form) or as the body of
# its own request (POST /dokumen/bukti, api/evidence_upload.py) a file may be larger, as scanned
# regulations and reports are; a larger document still is linked.
MIB = 1024 * 1024
MAX_EVIDENCE_BYTES = 2 * MIB
MAX_UPLOADED_EVIDENCE_BYTES = 20 * MIB
MAX_NAME = 200
MAX_URL = 2000
# The Office Open XML part that tells a Word, Excel or PowerPoint package from any zip.
OFFICE_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ALLOWED = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) atau PowerPoint (.pptx)"


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    content: bytes
    limit: int = MAX_EVIDENCE_BYTES  # by how it was sent: in GraphQL, or uploaded alone


@dataclass(frozen=True)
class CheckedFile:
    name: str
    media_type: str
    content: bytes
    sha256: str


def media_type_of(content: bytes) -> str | None:
    """The type the bytes are, by their signature; None for anything not accepted."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            return next((kind for part, kind in OFFICE_PARTS.items() if part in names), None)
    return None


def too_large(limit: int) -> str:
    """Why a file was refused for its size, and what to do instead."""
    if limit < MAX_UPLOADED_EVIDENCE_BYTES:
        return (
            f"Berkas paling besar {limit // MIB} MB sebagai base64; berkas sampai "
            f"{MAX_UPLOADED_EVIDENCE_BYTES // MIB} MB dikirim sebagai unggahan multipart (file.upload) atau "
            "tersendiri (POST /dokumen/bukti), dokumen yang lebih besar ditautkan."
        )
    return f"Berkas paling besar {limit // MIB} MB; dokumen yang lebih besar ditautkan."


def check_file(file: EvidenceFile, field: str) -> CheckedFile:
    name = file.name.strip().replace("/", "_").replace("\\", "_")
    if not name or len(name) > MAX_NAME:
        raise DomainError("INVALID_FILE_NAME", f"Nama berkas 1 sampai {MAX_NAME} karakter.", f"{field}.name")
    if not file.content:
        raise DomainError("EMPTY_FILE", "Berkas kosong.", f"{field}.content")
    if len(file.content) > file.limit:
        raise DomainError("FILE_TOO_LARGE", too_large(file.limit), f"{field}.content")
    media_type = media_type_of(file.content)
    if media_type is None:
        raise DomainError("UNSUPPORTED_FILE_TYPE", f"Jenis berkas harus {ALLOWED}.", f"{field}.content")
    return CheckedFile(name, media_type, file.content, hashlib.sha256(file.content).hexdigest())


def check_link(url: str, field: str) -> str:
    cleaned = url.strip()
    parts = urlsplit(cleaned)
    if len(cleaned) > MAX_URL or parts.scheme not in ("http", "https") or not parts.netloc:
        raise DomainError("INVALID_URL", "Tautan harus alamat http(s) yang lengkap.", field)
    return cleaned
