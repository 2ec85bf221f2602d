"""`make audit`: the GraphQL-over-HTTP audit of the `graphql-http` npm package against a real
server (`python server.py` on an embedded database of its own under .data/audit).

It needs Node.js and npm (and says so when they are missing); the package is installed under
.data/audit/node_modules. It exits 1 on any audit that is not ok, notices included.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".data" / "audit"
PORT = 8791
PACKAGES = ("graphql-http@1.23.1", "graphql@16.15.0")  # the versions the audit passed with


def main() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise SystemExit("make audit needs Node.js and npm (Debian: apt-get install nodejs npm).")
    WORK.mkdir(parents=True, exist_ok=True)
    if not (WORK / "node_modules" / "graphql-http").exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(WORK), *PACKAGES], check=True)
    env = {**os.environ, "KINERJA_DATA_DIR": str(WORK / "data"), "PORT": str(PORT), "HOST": "127.0.0.1"}
    env.pop("DATABASE_URL", None)
    log = (WORK / "server.log").open("w")  # the audit sends bad requests on purpose: their log is kept apart
    server = subprocess.Popen([sys.executable, "server.py"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{PORT}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.5)
        # An ES module finds its packages from where it lies: run a copy beside node_modules.
        script = WORK / "audit.mjs"
        shutil.copyfile(ROOT / "bench" / "graphql_http_audit.mjs", script)
        audit = subprocess.run(["node", str(script), f"http://127.0.0.1:{PORT}/graphql"], cwd=WORK)
    finally:
        server.send_signal(2)
        server.wait(timeout=30)
        log.close()
    sys.exit(audit.returncode)


if __name__ == "__main__":
    main()
