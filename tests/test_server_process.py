"""`python server.py` serves over a real socket against an external DATABASE_URL and stops on Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_server_serves_graphql_and_stops_on_interrupt(fresh_url: str) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": fresh_url, "HOST": "127.0.0.1", "PORT": str(port), "KINERJA_SECRET": "s" * 40}
    process = subprocess.Popen(
        [sys.executable, "server.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not become healthy"
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.2)
        response = httpx.post(f"{base}/graphql", json={"query": '{ government(code: "61") { name } }'})
        assert response.json() == {"data": {"government": {"name": "Kalimantan Barat"}}}
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/graphql" in output
