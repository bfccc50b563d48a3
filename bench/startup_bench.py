"""Seconds from `make run` to the first served page, on an installed machine.

Goal: under 5 s. Uses a scratch database so the real one is untouched.
Run: .venv/bin/python bench/startup_bench.py
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_once(database: Path) -> float:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    start = time.perf_counter()
    process = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={port}"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while time.perf_counter() - start < 60:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/foods/?q=kefir", timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the server did not answer within 60 s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.db"
        first = serve_once(database)
        print(f"make run, fresh database (migrate + seed + serve): {first:.2f} s")
        again = [serve_once(database) for _ in range(3)]
        best, worst = min(again), max(again)
        print(f"make run, seeded database (x3): best {best:.2f} s, worst {worst:.2f} s "
              f"(goal < 5 s: {'met' if worst < 5 else 'MISSED'})")


if __name__ == "__main__":
    main()
