"""Evidence files kept in the deployment's file directory (KINERJA_EVIDENCE_DIR, store/files.py)
instead of PostgreSQL: the row records the SHA-256 only, the download serves the file checked
against it, and a file that changed or went missing is refused with a clear message, not served."""

import base64
import hashlib
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from store.files import DirectoryFiles
from tests.api.client import Api
from tests.api.test_sakip_evaluation import EVIDENCE, PDF, SCHEDULE, START, _ok, _root
from tests.store.test_files import _listing

EVIDENCE_FIELDS = "evidence { id kind sha256 url }"
CORRECTED = f"query($scope: ID!) {{ evaluations(scope: $scope, year: 2025) {{ id {EVIDENCE_FIELDS} }} }}"
CORRECT = f"""mutation($input: CorrectEvaluationInput!) {{ correctEvaluation(input: $input) {{
  userErrors {{ code field message }} evaluation {{ id {EVIDENCE_FIELDS} }} }} }}"""


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def test_evidence_files_live_in_the_directory_and_are_checked_on_download(fresh_url: str, tmp_path: Path) -> None:
    files = DirectoryFiles(tmp_path)
    async with Api.serving(fresh_url, files=files) as api:
        evaluator = await api.as_user("evaluator.61")
        operator = await api.as_user("operator.61.72")
        _, root, _ = await _root(api, "61.72")
        started = await evaluator.execute(START, {"input": {"orgUnitId": root, "year": 2025, **SCHEDULE}})
        evaluation = _ok(started["startEvaluation"])["id"]

        def upload(criterion: str) -> dict[str, object]:
            file = {"name": "renstra.pdf", "contentBase64": base64.b64encode(PDF).decode()}
            return {"input": {"evaluationId": evaluation, "criterionCode": criterion, "title": "Renstra", "file": file}}

        first = (await operator.execute(EVIDENCE, upload("1.a.1")))["addEvaluationEvidence"]
        second = (await operator.execute(EVIDENCE, upload("1.a.2")))["addEvaluationEvidence"]
        assert first["userErrors"] == second["userErrors"] == []
        sha = hashlib.sha256(PDF).hexdigest()
        assert first["evidence"]["sha256"] == second["evidence"]["sha256"] == sha
        # Two uploads of the same bytes are one file; the rows hold none of them.
        assert _listing(tmp_path) == [f"{sha[:2]}/{sha}"]
        with psycopg.connect(_plain(fresh_url)) as conn:
            rows = conn.execute(
                "SELECT content IS NULL, in_file_store FROM evaluation_evidence WHERE sha256 = %s", [sha]
            ).fetchall()
            assert rows == [(True, True), (True, True)]
            # Bytes in neither place, or in both, are refused by the database itself.
            for change in ("in_file_store = false", "content = '\\x00'::bytea"):
                with pytest.raises(psycopg.errors.CheckViolation):
                    conn.execute(f"UPDATE evaluation_evidence SET {change} WHERE sha256 = %s", [sha])
                conn.rollback()

        bearer = {"authorization": f"Bearer {operator.token}"}
        download = await operator.client.get(first["evidence"]["url"], headers=bearer)
        assert download.status_code == 200 and download.content == PDF
        assert download.headers["x-content-sha256"] == sha
        # Who may not read the evaluation learns nothing of the file, wherever it is kept.
        stranger = await api.as_user("operator.61.71")
        not_theirs = {"authorization": f"Bearer {stranger.token}"}
        hidden = await stranger.client.get(first["evidence"]["url"], headers=not_theirs)
        assert hidden.status_code == 404

        stored = files.path_of(sha)
        stored.write_bytes(PDF.replace(b"1.4", b"1.7"))
        changed = await operator.client.get(first["evidence"]["url"], headers=bearer)
        assert changed.status_code == 500 and "tidak lagi sesuai SHA-256" in changed.text
        stored.unlink()
        missing = await operator.client.get(first["evidence"]["url"], headers=bearer)
        assert missing.status_code == 503 and "hubungi administrator" in missing.text

    # A server without the directory configured says so instead of serving nothing.
    async with Api.serving(fresh_url, username="operator.61.72") as unconfigured:
        bearer = {"authorization": f"Bearer {unconfigured.token}"}
        answer = await unconfigured.client.get(first["evidence"]["url"], headers=bearer)
        assert answer.status_code == 503


async def test_a_correction_carries_evidence_kept_in_the_directory(fresh_url: str, tmp_path: Path) -> None:
    files = DirectoryFiles(tmp_path)
    sha = hashlib.sha256(PDF).hexdigest()
    await files.keep(sha, PDF)
    # The demo's FINAL 2025 evaluation of Kota Pontianak, as if its evidence had been uploaded to a
    # server with the directory: the row is put in past the FINAL freeze (triggers off for this session).
    with psycopg.connect(_plain(fresh_url)) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "INSERT INTO evaluation_evidence (evaluation_id, province_code, criterion_code, kind, title, file_name, "
            "media_type, in_file_store, size, sha256, verifier, state, added_by) "
            "SELECT e.id, e.province_code, '3.a.1', 'FILE', 'LKjIP 2025', 'lkjip.pdf', 'application/pdf', true, "
            "%s, %s, 'ORGANISASI', 'ACCEPTED', 'operator.61.71' FROM sakip_evaluation e "
            "JOIN org_unit u ON u.id = e.org_unit_id WHERE u.code = '61.71' AND u.kind = 'PEMDA' AND e.year = 2025",
            [len(PDF), sha],
        )
    async with Api.serving(fresh_url, username="evaluator.61", files=files) as evaluator:
        pontianak, _, _ = await _root(evaluator, "61.71")
        (final,) = (await evaluator.execute(CORRECTED, {"scope": pontianak}))["evaluations"]
        started = await evaluator.execute(CORRECT, {"input": {"evaluationId": final["id"], "reason": "Koreksi."}})
        assert started["correctEvaluation"]["userErrors"] == []
        (copied,) = [e for e in started["correctEvaluation"]["evaluation"]["evidence"] if e["kind"] == "FILE"]
        assert copied["sha256"] == sha
        bearer = {"authorization": f"Bearer {evaluator.token}"}
        download = await evaluator.client.get(copied["url"], headers=bearer)
        assert download.status_code == 200 and download.content == PDF
    with psycopg.connect(_plain(fresh_url)) as conn:
        rows = conn.execute(
            "SELECT content IS NULL, in_file_store FROM evaluation_evidence WHERE sha256 = %s ORDER BY id", [sha]
        ).fetchall()
        assert rows == [(True, True), (True, True)]  # the version corrected and its correction, one file
