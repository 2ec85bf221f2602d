"""Open-loop load at a fixed rate, in its own process: requests leave on schedule whether or not
earlier ones have returned, and latency is measured from the scheduled time, so a slow server
shows as latency rather than as a lower send rate (closed-loop tools understate tails).

    .venv/bin/python -m bench.loadgen URL TOKEN QUERY_JSON --rates 20,50,100 --seconds 5
prints one JSON object per rate: {rate, sent, errors, p50_ms, p95_ms, p99_ms, achieved_rps}, and
first_p99_ms for a rate run twice because its first p99 broke the goal.
"""

import argparse
import asyncio
import gc
import json
import statistics
import time
from typing import NotRequired, TypedDict
from urllib.parse import urlsplit


class Step(TypedDict):
    rate: int
    sent: int
    errors: int
    first_error: str | None
    p50_ms: float
    p95_ms: float
    p99_ms: float
    achieved_rps: float
    first_p99_ms: NotRequired[float]  # a step run twice: the first run's p99, which broke the goal


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Connections:
    """Keep-alive HTTP/1.1 connections, opened as needed so that no request waits for another.

    Plain asyncio streams rather than an HTTP client library: httpx spends about a millisecond
    of CPU per request, which on a two-core machine is taken from the server being measured."""

    def __init__(self, url: str, path: str, body: bytes, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        lines = [f"POST {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Content-Type: application/json",
                 f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
        self.request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def send(self) -> str | None:
        """One request; None when it answered 200 without GraphQL errors, else what went wrong."""
        if self.idle:
            reader, writer = self.idle.pop()
            writer.write(self.request)
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionResetError) as error:
                if isinstance(error, asyncio.IncompleteReadError) and error.partial:
                    raise
                # The server closed the idle connection (uvicorn's keep-alive timeout) before this
                # request reached it: send it again on a new connection, as HTTP clients do.
                writer.close()
                reader, writer, head = await self._on_new_connection()
        else:
            reader, writer, head = await self._on_new_connection()
        status = int(head.split(b" ", 2)[1])
        length = next(
            int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
        )
        answer = await reader.readexactly(length)
        self.idle.append((reader, writer))
        if status == 200 and b'"errors"' not in answer:
            return None
        return f"{status}: {answer[:300].decode(errors='replace')}"

    async def _on_new_connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bytes]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        writer.write(self.request)
        return reader, writer, await reader.readuntil(b"\r\n\r\n")

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()


async def step(connections: Connections, rate: int, seconds: float) -> Step:
    latencies: list[float] = []
    failures: list[str] = []

    async def one(scheduled: float) -> None:
        try:
            if (failure := await connections.send()) is not None:
                failures.append(failure)
        except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration) as error:
            failures.append(repr(error))
        latencies.append((time.perf_counter() - scheduled) * 1000)

    count = int(rate * seconds)
    start = time.perf_counter() + 0.05
    tasks = []
    for i in range(count):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    return {
        "rate": rate,
        "sent": count,
        "errors": len(failures),
        "first_error": failures[0] if failures else None,
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "achieved_rps": round(count / elapsed, 1),
    }


async def run(url: str, token: str, body: dict[str, object], rates: list[int], seconds: float, goal_ms: float) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}  # an empty token reads as the public
    connections = Connections(url, "/graphql", json.dumps(body).encode(), headers)
    try:
        await step(connections, rate=10, seconds=1)  # warm up connections and caches
        for rate in rates:
            result = await step(connections, rate, seconds)
            if result["p99_ms"] > goal_ms and not result["errors"]:
                # On a shared 2-core machine one stall of another process can break a step's p99
                # (a capacity of 0 at 10 rps once): a rate fails only if a second run fails too.
                first_p99_ms = result["p99_ms"]
                result = await step(connections, rate, seconds)
                result["first_p99_ms"] = first_p99_ms
            print(json.dumps(result), flush=True)
            if result["p99_ms"] > goal_ms or result["errors"] > 0:
                break
    finally:
        connections.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("token", help='a bearer token; "" for the anonymous public')
    parser.add_argument("body", help="the GraphQL request as JSON")
    parser.add_argument("--rates", default="10,25,50,100,200,400")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--goal-ms", type=float, default=50, help="stop once p99 exceeds this")
    arguments = parser.parse_args()
    rates = [int(rate) for rate in arguments.rates.split(",")]
    # A collection pausing this process would show as server latency: a run allocates little.
    gc.disable()
    asyncio.run(
        run(arguments.url, arguments.token, json.loads(arguments.body), rates, arguments.seconds, arguments.goal_ms)
    )


if __name__ == "__main__":
    main()
