"""Requests per second for /api/v1/check under gunicorn on loopback.

Starts gunicorn (one worker per core) on a scratch copy of the seeded database, then
drives it from threads with keep-alive connections for a bounded time.
Run: .venv/bin/python bench/check_load.py [--seconds 10] [--clients 8]
"""
from __future__ import annotations

import argparse
import secrets
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUERIES = ["kefir", "white bread", "chikpeas", "ibuprofen", "sauerkraut", "cola", "bone broth", "crisps", "oats", "qwxzv"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("gunicorn did not start")


def client(port: int, stop_at: float, latencies: list[float], errors: list[int], offset: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = offset
    while time.perf_counter() < stop_at:
        path = f"/api/v1/check?q={quote(QUERIES[n % len(QUERIES)])}"
        n += 1
        start = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except OSError:
            errors.append(0)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        latencies.append((time.perf_counter() - start) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/load.db", "SECRET_KEY": secrets.token_hex(32)}
        subprocess.run([BIN / "planner", "db", "upgrade"], env=env, check=True, capture_output=True, cwd=ROOT)
        subprocess.run([BIN / "planner", "seed"], env=env, check=True, capture_output=True, cwd=ROOT)
        port = free_port()
        workers = str(os.cpu_count() or 2)
        server = subprocess.Popen([BIN / "gunicorn", "-w", workers, "-b", f"127.0.0.1:{port}", "planner:create_app()"],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_up(port, time.time() + 20)
            for q in QUERIES:  # warm each worker's search index
                http.client.HTTPConnection("127.0.0.1", port).request("GET", f"/api/v1/check?q={quote(q)}")
            time.sleep(0.5)
            latencies: list[float] = []
            errors: list[int] = []
            stop_at = time.perf_counter() + args.seconds
            threads = [threading.Thread(target=client, args=(port, stop_at, latencies, errors, i))
                       for i in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    print(f"gunicorn {workers} workers, {args.clients} clients, {args.seconds:g} s: "
          f"{len(latencies) / args.seconds:.0f} requests/s, p50 {statistics.median(latencies):.1f} ms, "
          f"p99 {p99:.1f} ms, errors {len(errors)}")


if __name__ == "__main__":
    main()
