"""Where the bytes of evidence files (bukti dukung) are kept: in their evidence row in PostgreSQL
(the default), or in a directory the deployment names (KINERJA_EVIDENCE_DIR, server.py), e.g. a
mounted volume or network share, so that a province's years of scanned documents do not grow the
database and its backups.

The directory is content-addressed: a file's name is its SHA-256, which the evidence row records,
so an object is written once, never overwritten while intact, and every read is checked against
the row before it is served. A file written for a transaction that then rolled back stays as an
unreferenced object; it is harmless (the same bytes uploaded again use it) and the row, not the
directory, says what exists.
"""

import asyncio
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol


class FileMissing(Exception):
    """The row names a file the configured store does not hold (or no store is configured)."""


class FileCorrupt(Exception):
    """The stored bytes no longer hash to the SHA-256 their row recorded."""


class FileStore(Protocol):
    async def keep(self, sha256: str, content: bytes) -> bool:
        """Keep `content` (whose SHA-256 is `sha256`); True when kept here, False when the
        caller keeps it in the row."""
        ...

    async def read(self, sha256: str) -> bytes:
        """The bytes kept under `sha256`, checked against it."""
        ...


class DatabaseFiles:
    """Bytes stay in their row: nothing is kept outside PostgreSQL."""

    async def keep(self, sha256: str, content: bytes) -> bool:
        return False

    async def read(self, sha256: str) -> bytes:
        raise FileMissing("Tidak ada direktori berkas yang dikonfigurasi (KINERJA_EVIDENCE_DIR).")


DATABASE_FILES = DatabaseFiles()


class DirectoryFiles:
    """Files under `root`, at `ab/abcdef…` for the SHA-256 `abcdef…` (256 subdirectories keep
    each directory small)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def check_writable(self) -> None:
        """At startup: the directory exists (made if missing) and this process may write in it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=self.root):
            pass

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    async def keep(self, sha256: str, content: bytes) -> bool:
        await asyncio.to_thread(self._write, sha256, content)
        return True

    async def read(self, sha256: str) -> bytes:
        return await asyncio.to_thread(self._read, sha256)

    def _write(self, sha256: str, content: bytes) -> None:
        if hashlib.sha256(content).hexdigest() != sha256:
            raise ValueError("content does not hash to its SHA-256")
        path = self.path_of(sha256)
        if _intact(path, sha256):
            return  # the same bytes, uploaded before
        path.parent.mkdir(exist_ok=True)
        # Written beside its place and renamed into it, so that a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _read(self, sha256: str) -> bytes:
        try:
            content = self.path_of(sha256).read_bytes()
        except FileNotFoundError:
            raise FileMissing(f"Berkas {sha256} tidak ada di {self.root}.") from None
        if hashlib.sha256(content).hexdigest() != sha256:
            raise FileCorrupt(f"Berkas {sha256} di {self.root} tidak lagi sesuai SHA-256-nya.")
        return content


def _intact(path: Path, sha256: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except FileNotFoundError:
        return False
