"""Fairness: one account floods the server with plans and label checks while other people, each
from their own address, check foods. Prints the others' latency (p50, p99) with no flood, with the
flood and no limits, and with the flood and the fair-use limits on, and how the flood was answered.

    .venv/bin/python bench/fairness.py [--seconds 20] [--database sqlite|postgres]

Gunicorn serves with 5 sync workers (2 per core + 1 on this 2-core machine). Each light client
binds its own loopback address (127.0.0.10, .11 ...), as separate homes would arrive from separate
addresses; the flood comes from 127.0.0.2 with the account's API token.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from _server import HOST, PROFILE, WEEK_START, Gunicorn, scratch_database

FOODS = ["oats", "kimchi", "apple", "lentils", "kefir", "broccoli", "sourdough bread", "yoghurt"]
LABEL = ", ".join(["wheat flour (wheat, calcium carbonate, iron, niacin)", "sugar", "palm oil", "emulsifier (e471)",
                   "salt", "raising agents (e450, e500)", "flavouring", "colour (e150d)"] * 6)
LIGHT_CLIENTS = 8
LIGHT_PACE_S = 0.7  # each light client asks about once every 0.7 s: under any per-address limit
FLOODERS = 6


def _connection(port: int, source: str) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(HOST, port, timeout=60, source_address=(source, 0))


def _ask(connection: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> int:
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        connection.close()
        return 0


def light(port: int, number: int, stop: float, times: list[float], lock: threading.Lock) -> None:
    connection = _connection(port, f"127.0.0.{10 + number}")
    turn = number
    while time.monotonic() < stop:
        started = time.monotonic()
        status = _ask(connection, "GET", f"/api/v1/check?q={FOODS[turn % len(FOODS)].replace(' ', '+')}")
        took = time.monotonic() - started
        with lock:
            times.append(took if status == 200 else float("inf"))
        turn += 1
        time.sleep(max(LIGHT_PACE_S - took, 0))


def flood(port: int, token: str, number: int, stop: float, answers: Counter[str], lock: threading.Lock) -> None:
    connection = _connection(port, "127.0.0.2")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    plan = json.dumps({"profile": PROFILE, "week_start": WEEK_START}).encode()
    label = json.dumps({"ingredients": LABEL}).encode()
    turn = number
    while time.monotonic() < stop:
        kind, path, body = ("plan", "/api/v1/plans", plan) if turn % 2 else ("label", "/api/v1/check/label", label)
        status = _ask(connection, "POST", path, body, headers)
        with lock:
            answers[f"{kind} {status}"] += 1
        turn += 1


def phase(database, seconds: float, flooding: bool, limits: bool, log: Path) -> tuple[list[float], Counter[str]]:
    os.environ["FAIR_USE_OFF"] = "0" if limits else "1"
    times: list[float] = []
    answers: Counter[str] = Counter()
    lock = threading.Lock()
    with Gunicorn(database, workers=5, log=log) as server:
        stop = time.monotonic() + seconds
        threads = [threading.Thread(target=light, args=(server.port, n, stop, times, lock))
                   for n in range(LIGHT_CLIENTS)]
        if flooding:
            threads += [threading.Thread(target=flood, args=(server.port, database.account.token, n, stop, answers,
                                                             lock)) for n in range(FLOODERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return times, answers


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, scratch_database(options.database, Path(folder)) as database:
        log = Path(folder) / "gunicorn.log"
        print(f"{LIGHT_CLIENTS} people checking foods (one every {LIGHT_PACE_S} s each), {FLOODERS} flood threads "
              f"from one account; {options.seconds:g} s each; {options.database}")
        print(f"  {'phase':<28} {'checks':>7} {'failed':>7} {'p50 ms':>8} {'p99 ms':>8}   flood answers")
        for title, flooding, limits in (("no flood", False, True), ("flood, no limits", True, False),
                                        ("flood, fair-use limits on", True, True)):
            times, answers = phase(database, options.seconds, flooding, limits, log)
            done = [t for t in times if t != float("inf")]
            shown = ", ".join(f"{k}: {v}" for k, v in sorted(answers.items())) or "-"
            print(f"  {title:<28} {len(times):>7} {len(times) - len(done):>7} {percentile(done, 0.5) * 1000:>8.1f} "
                  f"{percentile(done, 0.99) * 1000:>8.1f}   {shown}")


if __name__ == "__main__":
    main()
