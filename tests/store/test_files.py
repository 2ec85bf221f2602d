"""The evidence file directory (store/files.py) on a real filesystem: content-addressed, written
whole or not at all, never overwritten while intact, and checked against its SHA-256 on read."""

import hashlib
from pathlib import Path

import pytest

from server import evidence_files
from store.files import DATABASE_FILES, DirectoryFiles, FileCorrupt, FileMissing

CONTENT = b"%PDF-1.4\nRenstra Dinas Kesehatan 2025-2029\n%%EOF\n"
SHA = hashlib.sha256(CONTENT).hexdigest()


def _listing(root: Path) -> list[str]:
    """Every file under `root`, as paths relative to it."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


async def test_a_file_is_kept_under_its_sha256_and_read_back_checked(tmp_path: Path) -> None:
    files = DirectoryFiles(tmp_path)
    assert await files.keep(SHA, CONTENT) is True
    path = tmp_path / SHA[:2] / SHA
    assert path.read_bytes() == CONTENT
    assert await files.read(SHA) == CONTENT
    # The same bytes again are the same file, and nothing half-written is left beside it.
    before = path.stat().st_mtime_ns
    assert await files.keep(SHA, CONTENT) is True
    assert path.stat().st_mtime_ns == before
    assert _listing(tmp_path) == [f"{SHA[:2]}/{SHA}"]


async def test_a_changed_or_missing_file_is_never_served(tmp_path: Path) -> None:
    files = DirectoryFiles(tmp_path)
    await files.keep(SHA, CONTENT)
    path = files.path_of(SHA)
    path.write_bytes(CONTENT.replace(b"2029", b"2030"))
    with pytest.raises(FileCorrupt):
        await files.read(SHA)
    # Keeping the true bytes again repairs it: an object is only replaced when it is not intact.
    await files.keep(SHA, CONTENT)
    assert await files.read(SHA) == CONTENT
    path.unlink()
    with pytest.raises(FileMissing):
        await files.read(SHA)


async def test_bytes_that_do_not_hash_to_their_name_are_refused(tmp_path: Path) -> None:
    files = DirectoryFiles(tmp_path)
    with pytest.raises(ValueError, match="does not hash"):
        await files.keep(hashlib.sha256(b"other").hexdigest(), CONTENT)
    with pytest.raises(ValueError, match="not a SHA-256"):
        files.path_of("../../etc/passwd")
    assert _listing(tmp_path) == []


async def test_without_a_directory_the_row_keeps_the_bytes() -> None:
    assert await DATABASE_FILES.keep(SHA, CONTENT) is False
    with pytest.raises(FileMissing):
        await DATABASE_FILES.read(SHA)


def test_the_setting_is_checked_at_startup(tmp_path: Path) -> None:
    assert evidence_files(None) is DATABASE_FILES
    made = evidence_files(tmp_path / "bukti")
    assert isinstance(made, DirectoryFiles) and (tmp_path / "bukti").is_dir()
    (tmp_path / "berkas").write_text("bukan direktori")
    with pytest.raises(SystemExit, match="KINERJA_EVIDENCE_DIR"):
        evidence_files(tmp_path / "berkas")
