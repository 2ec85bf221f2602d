"""Run `python server.py` as a real process on a free port, against a given database."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s" * 40


@dataclass
class Served:
    base: str
    process: subprocess.Popen[str]
    output: str = ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(database_url: str, **settings: str) -> Iterator[Served]:
    """`settings`: more environment for the server (KINERJA_SUBSCRIPTION_RECHECK="1", …)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(port), "KINERJA_SECRET": SECRET,
           **settings}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "server.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    served = Served(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{served.base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not become healthy"
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.2)
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        served.output, _ = process.communicate(timeout=20)
