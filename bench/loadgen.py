"""Open-loop load at a fixed rate, in its own process: requests leave on schedule whether or not
earlier ones have returned, and latency is measured from the scheduled time, so a slow server
shows as latency rather than as a lower send rate (closed-loop tools understate tails).

    .venv/bin/python -m bench.loadgen URL TOKEN QUERY_JSON --rates 20,50,100 --seconds 5
prints one JSON object per rate: {rate, sent, errors, p50_ms, p95_ms, p99_ms, achieved_rps}.
"""

import argparse
import asyncio
import json
import statistics
import time

import httpx


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def step(
    client: httpx.AsyncClient, body: dict[str, object], headers: dict[str, str], rate: int, seconds: float
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0

    async def one(scheduled: float) -> None:
        nonlocal errors
        try:
            response = await client.post("/graphql", json=body, headers=headers)
            if response.status_code != 200 or "errors" in response.json():
                errors += 1
        except httpx.HTTPError:
            errors += 1
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
        "errors": errors,
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "achieved_rps": round(count / elapsed, 1),
    }


async def run(url: str, token: str, body: dict[str, object], rates: list[int], seconds: float, goal_ms: float) -> None:
    headers = {"authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        await step(client, body, headers, rate=10, seconds=1)  # warm up connections and caches
        for rate in rates:
            result = await step(client, body, headers, rate, seconds)
            print(json.dumps(result), flush=True)
            if result["p99_ms"] > goal_ms or result["errors"] > 0:
                break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("token")
    parser.add_argument("body", help="the GraphQL request as JSON")
    parser.add_argument("--rates", default="10,25,50,100,200,400")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--goal-ms", type=float, default=50, help="stop once p99 exceeds this")
    arguments = parser.parse_args()
    rates = [int(rate) for rate in arguments.rates.split(",")]
    asyncio.run(
        run(arguments.url, arguments.token, json.loads(arguments.body), rates, arguments.seconds, arguments.goal_ms)
    )


if __name__ == "__main__":
    main()
