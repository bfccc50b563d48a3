"""Mixed load under gunicorn on loopback, on SQLite and on PostgreSQL.

For each database: a scratch seeded database with one account and an API token, gunicorn with
sync workers, then `--clients` threads, each with a connection of its own (gunicorn's sync workers
close it after every answer, so it is opened again for the next request), send requests one after
another for `--seconds` with the account's token (checks and searches without it with --visitors):
mostly food checks and searches, some plan generation and some shopping-list exports (CSV and PDF).
Each kind is reported with its count, p50 and p99 latency as the client saw it and as the server
took to answer (gunicorn's access log), its share of the workers' time, and its errors (any answer
other than 2xx, or no answer). So is the CPU used by the server, the database server, the clients
and anything else: they all share the cores.

Goal: no errors, and checks and searches answered with a p99 under 50 ms at 32 clients.

Each database is driven at two paces, one after the other on the same server (--think-ms):
- 250 ms: each client pauses a random while, 250 ms on average, between an answer and its next
  request, as a person or a script working through a list would; 32 of them send about 120
  requests a second, ten times what 32 people clicking through pages do. The goal is judged here.
- 0: no pause, so the clients saturate the server and the figures are its capacity. With no pause
  every client always has a request in the server, so the average answer takes clients / rate
  (Little's law): on 2 cores, 32 clients and about 300 requests a second put the average near
  100 ms. Checks could only stay under 50 ms if the server served them ahead of everything else
  and let the 6 % of plans and exports take over a second each; sync workers serve in the order
  requests come.

Workers: 2 * cores + 1 by default. A sync worker serves one request at a time, and making a plan
holds one for about 200 ms: with one worker per core, two of them stall every check queued behind
them even on a server with CPU to spare. The spare workers let the kernel share the cores between
long requests and short ones instead. Their price shows only when the cores are saturated:
processes taking turns cost more CPU per request, so --workers set to the cores serves somewhat
more requests then.

Run: .venv/bin/python bench/load_mixed.py [--database sqlite|postgres|both] [--seconds 30]
     [--clients 32] [--workers N] [--mix check=49,search=45,csv=3,pdf=2,plan=1] [--think-ms 250,0]
     [--visitors]
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from _server import PROFILE, WEEK_START, Client, Database, Gunicorn, Reply, databases, scratch_database

GOAL_MS = 50.0
FAST_KINDS = ("check", "search")
KINDS = ("check", "search", "plan", "csv", "pdf")
DEFAULT_MIX = "check=49,search=45,csv=3,pdf=2,plan=1"
CHECKS = ["kefir", "white bread", "chikpeas", "ibuprofen", "sauerkraut", "cola", "bone broth", "crisps", "oats",
          "qwxzv", "kombucha", "ice cream"]
SEARCHES = ["q=garbanzo%20beans", "q=yoghurt", "q=yogurt", "q=onion", "q=kimchi", "q=sourdoh", "q=apple",
            "tag=fermented", "tag=prebiotic&page=2", "q=beans&category=legumes", "q=tofu", "nova=1&page=3"]
# Lines of the server's log that name a known cause of errors or stalls.
TROUBLE = re.compile(r"Traceback|WORKER TIMEOUT|database is locked|QueuePool limit|OperationalError|"
                     r"Error handling request|Worker .* was sent", re.IGNORECASE)
ACCESS_FORMAT = "\t".join(["%(m)s", "%(U)s", "%(q)s", "%(s)s", "%(D)s"])  # method, path, query, status, µs


@dataclass
class Tally:
    """What the clients saw of one kind of request."""
    latencies: list[float] = field(default_factory=list)  # ms, answered with 2xx
    errors: Counter[str] = field(default_factory=Counter)  # "HTTP 500", "TimeoutError" ...


@dataclass(frozen=True)
class Load:
    seconds: float
    clients: int
    mix: dict[str, int]
    think_s: float
    visitors: bool  # checks and searches sent without the token


def parse_mix(text: str) -> dict[str, int]:
    mix = {name: int(weight) for name, _, weight in (part.partition("=") for part in text.split(","))}
    unknown = set(mix) - set(KINDS)
    if unknown or not any(mix.values()):
        raise argparse.ArgumentTypeError(f"weights for {', '.join(KINDS)}, such as {DEFAULT_MIX}")
    return mix


def machine_cpu_seconds() -> float:
    """CPU time every process on the machine has used since boot (Linux /proc/stat; 0 elsewhere)."""
    try:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    except OSError:
        return 0.0
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))] if ordered else float("nan")


# -- the requests --------------------------------------------------------------------

def request_for(kind: str, rng: random.Random, plans: list[str]) -> Callable[[Client], Reply]:
    """One request of `kind`, with its parameters drawn from `rng`."""
    if kind == "check":
        path = f"/api/v1/check?q={quote(rng.choice(CHECKS))}"
        return lambda client: client.get(path)
    if kind == "search":
        path = f"/api/v1/foods?{rng.choice(SEARCHES)}"
        return lambda client: client.get(path)
    if kind == "plan":
        return lambda client: client.post_json("/api/v1/plans", {"profile": PROFILE, "week_start": WEEK_START})
    path = f"{rng.choice(plans)}/shopping-list?format={kind}"
    return lambda client: client.get(path)


def send(client: Client, action: Callable[[Client], Reply], tally: Tally) -> None:
    start = time.perf_counter()
    try:
        reply = action(client)
    except (OSError, http.client.HTTPException) as exc:
        tally.errors[type(exc).__name__] += 1
        return
    if 200 <= reply.status < 300:
        tally.latencies.append((time.perf_counter() - start) * 1000)
    else:
        tally.errors[f"HTTP {reply.status}: {reply.body[:120].decode(errors='replace')}"] += 1


def client_loop(port: int, token: str, load: Load, plans: list[str], stop_at: float, seed: int,
                tallies: dict[str, Tally]) -> None:
    """One client: a request, its answer, (a pause), the next request, until the time is up."""
    rng = random.Random(seed)
    signed_in = Client(port, token)
    visitor = Client(port) if load.visitors else signed_in
    kinds, weights = list(load.mix), list(load.mix.values())
    while time.perf_counter() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        client = visitor if kind in FAST_KINDS else signed_in
        send(client, request_for(kind, rng, plans), tallies[kind])
        if load.think_s:
            time.sleep(rng.expovariate(1 / load.think_s))
    signed_in.close()
    visitor.close()


def warm_up(port: int, token: str, workers: int) -> list[str]:
    """Plans to export (their making also loads the solver), then a few of every request, so each
    worker has built its search index and read the recipes before the clock starts."""
    client = Client(port, token)
    plans = []
    for _ in range(max(4, workers)):
        reply = client.post_json("/api/v1/plans", {"profile": PROFILE, "week_start": WEEK_START})
        if reply.status != 201:
            raise RuntimeError(f"could not make a plan: {reply.status} {reply.body[:300]!r}")
        plans.append(reply.headers["Location"])
    rng = random.Random(0)
    for kind in ("check", "search", "csv", "pdf"):
        for _ in range(4 * workers):
            request_for(kind, rng, plans)(client)
    client.close()
    return plans


# -- one database --------------------------------------------------------------------

def kind_of(method: str, path: str, query: str) -> str | None:
    """The kind of request an access-log line records."""
    if path == "/api/v1/check":
        return "check"
    if path == "/api/v1/foods":
        return "search"
    if method == "POST" and path == "/api/v1/plans":
        return "plan"
    found = re.search(r"format=(csv|pdf)", query) if path.endswith("/shopping-list") else None
    return found.group(1) if found else None


def server_times(access_log: Path, offset: int) -> dict[str, list[float]]:
    """Milliseconds the server spent on each kind of request, logged after `offset`."""
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with access_log.open() as lines:
        lines.seek(offset)
        for line in lines:
            method, path, query, status, micros = line.rstrip("\n").split("\t")
            kind = kind_of(method, path, query)
            if kind and status.startswith("2"):
                times[kind].append(int(micros) / 1000)
    return times


def trouble(server_log: Path, offset: int) -> Counter[str]:
    """Lines of the server's log after `offset` that name a known cause of errors, counted."""
    with server_log.open(errors="replace") as lines:
        lines.seek(offset)
        return Counter(match.group(0) for line in lines if (match := TROUBLE.search(line)))


@dataclass(frozen=True)
class Result:
    tallies: dict[str, Tally]
    seconds: float  # from the first client's start to the last one's end
    server_ms: dict[str, list[float]]
    trouble: Counter[str]
    cpu: dict[str, float]  # CPU seconds used during the load: "server", "database", "clients", "machine"

    @property
    def errors(self) -> int:
        return sum(sum(t.errors.values()) for t in self.tallies.values())

    @property
    def rate(self) -> float:
        return (sum(len(t.latencies) for t in self.tallies.values()) + self.errors) / self.seconds


def run(database: Database, loads: list[Load], workers: int) -> list[Result]:
    """One server, warmed up, then each load in turn."""
    access_log, server_log = database.folder / "access.log", database.folder / "gunicorn.log"
    options = ("--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT)
    with Gunicorn(database, workers, server_log, options) as server:
        plans = warm_up(server.port, database.account.token, workers)
        return [measure(server, database, load, plans, access_log, server_log) for load in loads]


def measure(server: Gunicorn, database: Database, load: Load, plans: list[str], access_log: Path,
            server_log: Path) -> Result:
    offsets = access_log.stat().st_size, server_log.stat().st_size
    tallies = {kind: Tally() for kind in KINDS}
    stop_at = time.perf_counter() + load.seconds
    threads = [threading.Thread(target=client_loop,
                                args=(server.port, database.account.token, load, plans, stop_at, n, tallies))
               for n in range(load.clients)]
    clocks = {"server": server.cpu_seconds, "database": database.server_cpu_seconds,
              "clients": time.process_time, "machine": machine_cpu_seconds}
    before = {name: clock() for name, clock in clocks.items()}
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    cpu = {name: clock() - before[name] for name, clock in clocks.items()}
    return Result(tallies, seconds, server_times(access_log, offsets[0]), trouble(server_log, offsets[1]), cpu)


def report(kind: str, workers: int, load: Load, result: Result) -> bool:
    """Print one database's figures, what may explain them, and the goals; True when all are met."""
    pace = f"pausing {1000 * load.think_s:g} ms on average" if load.think_s else "no pause (capacity)"
    print(f"\n{kind}: gunicorn {workers} sync workers on {os.cpu_count()} cores, {load.clients} clients, {pace}, "
          f"{load.seconds:g} s: {result.rate:.0f} requests/s, {result.errors} errors")
    print_kinds(result)
    print_load(kind, load, result)
    return print_goals(result)


def print_kinds(result: Result) -> None:
    # The share of the workers' time each kind took: where the capacity went.
    busy = sum(sum(spent) for spent in result.server_ms.values()) or 1.0
    print(f"  {'kind':7} {'count':>7} {'p50 ms':>8} {'p99 ms':>8} {'server p50':>11} {'server p99':>11} "
          f"{'worker time':>12} {'errors':>7}")
    for name in KINDS:
        tally, spent = result.tallies[name], result.server_ms[name]
        if tally.latencies or tally.errors:
            print(f"  {name:7} {len(tally.latencies):>7} {percentile(tally.latencies, .5):>8.1f} "
                  f"{percentile(tally.latencies, .99):>8.1f} {percentile(spent, .5):>11.1f} "
                  f"{percentile(spent, .99):>11.1f} {100 * sum(spent) / busy:>11.0f}% {sum(tally.errors.values()):>7}")
    for name in KINDS:
        for what, count in result.tallies[name].errors.most_common(3):
            print(f"  error {name}: {count} x {what}")
    for line, count in result.trouble.most_common(5):
        print(f"  server log: {count} x {line}")


def print_load(kind: str, load: Load, result: Result) -> None:
    if not load.think_s:
        # Little's law: with no pause, each client always has one request waiting or being served.
        print(f"  closed loop: {load.clients} clients / {result.rate:.0f} requests/s = "
              f"{1000 * load.clients / result.rate:.0f} ms on average from request to answer")
    # Server, clients and anything else running share the cores: a busy machine slows every answer.
    cpu = dict(result.cpu)
    cpu["other processes"] = max(0.0, cpu.pop("machine") - sum(cpu.values()))
    if kind == "sqlite":
        del cpu["database"]  # SQLite works inside the server's processes
    print(f"  CPU in use, of {os.cpu_count()} cores: "
          + ", ".join(f"{name} {used / result.seconds:.2f}" for name, used in cpu.items()))


def print_goals(result: Result) -> bool:
    goals = [("zero errors", result.errors == 0, f"{result.errors} errors")]
    for name in FAST_KINDS:
        p99 = percentile(result.tallies[name].latencies, .99)
        goals.append((f"{name} p99 under {GOAL_MS:g} ms", p99 < GOAL_MS, f"p99 {p99:.1f} ms"))
    for goal, met, actual in goals:
        print(f"  goal: {goal}: {'met' if met else 'MISSED'} ({actual})")
    return all(met for _, met, _ in goals)


def parse_paces(text: str) -> list[float]:
    try:
        paces = [float(part) for part in text.split(",")]
    except ValueError:
        paces = []
    if not paces or any(pace < 0 for pace in paces):
        raise argparse.ArgumentTypeError("pauses in ms, such as 250,0")
    return paces


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--mix", type=parse_mix, default=parse_mix(DEFAULT_MIX),
                        help=f"relative weights of the kinds of request (default {DEFAULT_MIX})")
    parser.add_argument("--think-ms", type=parse_paces, default=parse_paces("250,0"),
                        help="mean pause of a client between answer and next request; one run for each (default 250,0)")
    parser.add_argument("--visitors", action="store_true",
                        help="send checks and searches without the token, as a visitor's browser would")
    args = parser.parse_args()
    loads = [Load(args.seconds, args.clients, args.mix, pace / 1000, args.visitors) for pace in args.think_ms]
    started, verdicts = time.perf_counter(), []
    for kind in databases(args.database):
        with tempfile.TemporaryDirectory() as folder, scratch_database(kind, Path(folder)) as database:
            for load, result in zip(loads, run(database, loads, args.workers)):
                met = report(kind, args.workers, load, result)
                verdicts.append(f"{kind} {1000 * load.think_s:g} ms pauses {'met' if met else 'MISSED'}")
    print(f"\nall goals: {', '.join(verdicts)} ({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
