"""The reviewers' live queue over a real socket: server-sent events for transitions in scope,
and the stream ends once the session that opened it is signed out, event or not."""

import asyncio
import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.served import Served, serving

CSRF = re.compile(r'name="csrf" value="([^"]*)"')


@pytest.fixture
def quick_rechecks(fresh_url: str) -> Iterator[Served]:
    with serving(fresh_url, KINERJA_SUBSCRIPTION_RECHECK="1") as served:
        yield served


async def signed_in(client: httpx.AsyncClient, username: str) -> None:
    token = CSRF.search((await client.get("/masuk")).text)
    assert token
    answer = await client.post(
        "/masuk", data={"csrf": token.group(1), "username": username, "password": "kinerja-demo"}
    )
    assert answer.status_code == 303


async def test_the_stream_announces_a_submission_and_ends_after_sign_out(quick_rechecks: Served) -> None:
    base = quick_rechecks.base
    async with httpx.AsyncClient(base_url=base, timeout=10) as reviewer, httpx.AsyncClient(base_url=base) as other:
        await signed_in(reviewer, "reviewer.61.71")
        await signed_in(other, "operator.61.71.dinkes")
        async with reviewer.stream("GET", "/asistensi/peristiwa") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.aiter_lines()
            assert await anext(lines) == "retry: 5000"
            form = (await other.get("/isian?tahun=2026&triwulan=3")).text
            token = CSRF.search(form)
            unit = re.search(r'name="unit" value="([^"]+)"', form)
            assert token and unit
            submitted = await other.post(
                "/isian",
                data={
                    "csrf": token.group(1),
                    "unit": unit.group(1),
                    "tahun": "2026",
                    "triwulan": "3",
                    "aksi": "ajukan",
                },
            )
            assert submitted.status_code == 303
            received = [line async for line in _until(lines, "data: ")]
            assert "event: laporan" in received and '"state": "SUBMITTED"' in received[-1]

            page = (await reviewer.get("/dasbor")).text
            signed_out = CSRF.search(page)
            assert signed_out
            await reviewer.post("/keluar", data={"csrf": signed_out.group(1)})
            # No report moves now; the stream's next re-check finds the session ended.
            rest = await asyncio.wait_for(_drain(lines), 10)
            assert all(not line.startswith("data: ") for line in rest)


async def _until(lines: AsyncIterator[str], prefix: str) -> AsyncIterator[str]:
    async for line in lines:
        yield line
        if line.startswith(prefix):
            return


async def _drain(lines: AsyncIterator[str]) -> list[str]:
    return [line async for line in lines]
