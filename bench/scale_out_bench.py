"""More than one server: nginx in front of two gunicorn app servers on one PostgreSQL, as deploy/
lays it out, under mixed load; one app server gets SIGKILL half way through and the load goes on.

It starts a throwaway PostgreSQL 15 (.ci/postgres), migrates and seeds it, starts two gunicorn app
servers on loopback ports with gunicorn.conf.py and the settings of deploy/gut-planner.env (a
proxy in front, trusted host names), and Debian's nginx, run as the current user, with a config
made from deploy/nginx/: the site's upstream block with the two ports, and a plain-HTTP loopback
server that includes deploy/nginx/gut-planner-proxy.conf as it is (only the static folder is this
checkout's). The two servers share this machine's cores, so each gets cores + 1 workers, as
deploy/README.md advises, unless `--workers` says otherwise. Fair use is off (FAIR_USE_OFF=1, as
in bench/load_mixed.py), since every client uses one account.

Through nginx, for `--seconds`:
- `--clients` threads send bench/load_mixed.py's mix (food checks and searches, shopping-list
  exports, plans: writes acknowledged with a 201), pausing `--think-ms` on average between requests;
- `--writers` people, as in bench/fault_kill.py, log in through the form, make a plan, then add
  extras and tick foods on its shopping list, without pausing (writes acknowledged with a redirect).
After `--kill-at` of the time, one app server (master and workers) gets SIGKILL, preferably while
the database shows a write transaction open. Printed: requests per second, errors and p50/p99
latency before and after the kill; which server nginx sent requests to and how many it passed on
after a failure; then every acknowledged write is looked for: plans and extras counted straight
from the database, ticks read back through nginx (fault_kill's checks). Last, from the measured
database connections, CPU per request and memory per worker, what a hundred times the load would
need.

Everything started is stopped however the run ends. Needs nginx (apt-get install nginx);
.ci/postgres installs postgresql-15 if it is missing.

Run: .venv/bin/python bench/scale_out_bench.py [--seconds 40] [--clients 16] [--think-ms 100]
     [--writers 2] [--workers N] [--kill-at 0.5] [--mix check=49,search=45,csv=3,pdf=2,plan=1]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import pwd
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))  # as when run as a script, also when tests import this module

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from _server import (  # noqa: E402
    HOST, ROOT, Client, Database, Gunicorn, Reply, app_session, cpu_seconds, free_port, scratch_database)
from fault_kill import Findings, Ledger, Writer, check_answers, check_database, slots_of, write_watch  # noqa: E402
from load_mixed import (  # noqa: E402
    DEFAULT_MIX, FAST_KINDS, KINDS, Tally, kind_of, machine_cpu_seconds, parse_mix, percentile, request_for, send,
    warm_up)
from planner.config import Config  # noqa: E402
from planner.fair_use import rules_from  # noqa: E402
from planner.models import Plan, ShoppingExtra  # noqa: E402

DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "gut-planner.conf"
PROXY_SNIPPET = DEPLOY / "nginx" / "gut-planner-proxy.conf"
SNIPPET_INCLUDE = "snippets/gut-planner-proxy.conf"  # as the site includes it, relative to nginx's conf folder
ENV_EXAMPLE = DEPLOY / "gut-planner.env"
STATIC = ROOT / "planner" / "static"
NGINX = Path(os.environ.get("NGINX", "/usr/sbin/nginx"))
MIME_TYPES = Path("/etc/nginx/mime.types")
UPSTREAM = re.compile(r"^upstream gut_planner \{.*?^\}", re.MULTILINE | re.DOTALL)
UPSTREAM_SERVER = re.compile(r"^(\s*server\s+)([\w.\[\]:-]+?):(\d+)\b", re.MULTILINE)
# Settings of the env example that name places on a production machine; the bench has its own.
PLACES = ("DATABASE_URL", "SECRET_KEY_FILE", "PLANNER_INSTANCE", "TRUSTED_HOSTS", "PUBLIC_URL")
BEFORE, AFTER = "before the kill", "after the kill"
# One line per request: when it ended, its status, its time in nginx, the server(s) it went to
# (comma-separated when passed on), their statuses and times, the method, path and query.
LOG_FORMAT = "\\t".join(["$msec", "$status", "$request_time", "$upstream_addr", "$upstream_status",
                         "$upstream_response_time", "$request_method", "$uri", "$args"])
CONNECTIONS = text(
    "SELECT count(*), count(*) FILTER (WHERE state = 'active'), "
    "count(*) FILTER (WHERE state LIKE 'idle in transaction%') "
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")


# -- the deploy files ----------------------------------------------------------------

def upstream_block(site: str) -> str:
    found = UPSTREAM.search(site)
    if not found:
        raise ValueError("no `upstream gut_planner { ... }` block in the nginx site")
    return found.group(0)


def upstream_ports(site: str) -> list[int]:
    """The ports of the app servers the site's upstream names, in order."""
    return [int(port) for _, _, port in UPSTREAM_SERVER.findall(upstream_block(site))]


def env_settings(example: str) -> dict[str, str]:
    """The KEY=value lines of an env file that are not commented out, quotes taken off."""
    settings = {}
    for line in example.splitlines():
        key, equals, value = line.strip().partition("=")
        if equals and not key.startswith("#"):
            settings[key] = value.strip().strip('"')
    return settings


def nginx_main(folder: Path, http: str) -> str:
    """A main nginx.conf that keeps everything in `folder` (pid, logs, buffers), stays in the
    foreground and holds `http` in its http block."""
    # Started by root, nginx would run its workers as nobody, who may not enter `folder`.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "".join(f"    {kind}_temp_path {folder / kind};\n" for kind in kinds)
    return (f"daemon off;\n{user}worker_processes auto;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\nevents {{\n    worker_connections 1024;\n}}\n"
            f"http {{\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n    sendfile on;\n"
            f"{temp}    log_format bench '{LOG_FORMAT}';\n    access_log {folder / 'access.log'} bench;\n\n"
            f"{http}\n}}\n")


def write_snippet(folder: Path, static: Path) -> None:
    """The deploy proxy snippet where the site's include finds it, serving `static`."""
    snippet = PROXY_SNIPPET.read_text()
    served = re.sub(r"^(\s*alias\s+)\S+;", lambda m: f"{m.group(1)}{static}/;", snippet, flags=re.MULTILINE)
    (folder / "snippets").mkdir(parents=True, exist_ok=True)
    (folder / "snippets" / Path(SNIPPET_INCLUDE).name).write_text(served)


def render_nginx(folder: Path, app_ports: list[int], listen_port: int, static: Path = STATIC) -> Path:
    """nginx.conf in `folder` for nginx in front of the app servers on `app_ports`: the site's
    upstream block (its balancing and health settings) with these ports, and one plain-HTTP
    server on loopback with the deploy proxy snippet."""
    block = upstream_block(SITE.read_text())
    if len(app_ports) != len(upstream_ports(block)):
        raise ValueError(f"the site's upstream names {len(upstream_ports(block))} servers, not {len(app_ports)}")
    ports = iter(app_ports)
    upstream = UPSTREAM_SERVER.sub(lambda m: f"{m.group(1)}{HOST}:{next(ports)}", block)
    write_snippet(folder, static)
    server = f"server {{\n    listen {HOST}:{listen_port};\n    server_name {HOST};\n    include {SNIPPET_INCLUDE};\n}}"
    path = folder / "nginx.conf"
    path.write_text(nginx_main(folder, f"{upstream}\n\n{server}"))
    return path


def nginx_command(config: Path, *extra: str) -> list[str]:
    folder = config.parent
    return [str(NGINX), "-c", str(config), "-p", f"{folder}/", "-e", str(folder / "error.log"), *extra]


# -- nginx ---------------------------------------------------------------------------

class Nginx:
    """Debian's nginx in the foreground, in a process group of its own."""

    def __init__(self, config: Path, port: int) -> None:
        self.config, self.port = config, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> None:
        checked = subprocess.run(nginx_command(self.config, "-t", "-q"), capture_output=True, text=True)
        if checked.returncode:
            raise RuntimeError(f"nginx refused its config:\n{checked.stderr}")
        with (self.config.parent / "nginx.out").open("ab") as out:
            self.process = subprocess.Popen(nginx_command(self.config), stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.config.parent / 'error.log').read_text()[-2000:]}")
            client = Client(self.port, timeout=5)
            try:
                if client.get("/api/v1/foods?per_page=1").status == 200:
                    return
            except OSError:
                pass
            finally:
                client.close()
            time.sleep(0.1)
        raise RuntimeError("nginx did not answer in time")

    def cpu_seconds(self) -> float:
        if self.process is None:
            return 0.0
        master = self.process.pid
        return cpu_seconds(lambda _pid, _parent, group: group == master)

    def stop(self) -> None:
        """SIGQUIT (finish what is in hand, then exit); SIGKILL to the group if that takes over 10 s."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # workers left behind, if any
        except ProcessLookupError:
            pass
        self.process.wait()
        self.process = None


# -- the load ------------------------------------------------------------------------

@dataclass
class Phases:
    """What the mixed clients saw, split at the kill by when each answer came."""
    killed_at: float | None = None  # time.time() of the kill
    tallies: dict[str, dict[str, Tally]] = field(
        default_factory=lambda: {phase: {kind: Tally() for kind in KINDS} for phase in (BEFORE, AFTER)})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> str:
        return AFTER if self.killed_at is not None else BEFORE

    def add(self, kind: str, seen: Tally) -> None:
        with self.lock:
            tally = self.tallies[self.now()][kind]
            tally.latencies += seen.latencies
            tally.errors.update(seen.errors)


def acknowledging(action: Callable[[Client], Reply], ledger: Ledger) -> Callable[[Client], Reply]:
    """A plan request whose 201 answer is recorded as an acknowledged write."""
    def act(client: Client) -> Reply:
        reply = action(client)
        if reply.status == 201:
            plan = json.loads(reply.body)
            with ledger.lock:
                ledger.plans[plan["id"]] = slots_of(plan)
        return reply
    return act


def mixed_client(port: int, token: str, mix: dict[str, int], think_s: float, plans: list[str], stop_at: float,
                 seed: int, phases: Phases, ledger: Ledger) -> None:
    """load_mixed's client, its answers told apart by phase and its plans kept in the ledger."""
    rng, client = random.Random(seed), Client(port, token)
    kinds, weights = list(mix), list(mix.values())
    while time.perf_counter() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        action = request_for(kind, rng, plans)
        seen = Tally()
        send(client, acknowledging(action, ledger) if kind == "plan" else action, seen)
        phases.add(kind, seen)
        if think_s:
            time.sleep(rng.expovariate(1 / think_s))
    client.close()


class ListWriter(Writer):
    """fault_kill's writer changing its shopping lists: it makes a plan only when it has none, so the
    plans of the run come from the mixed clients' share and do not crowd out everything else."""

    def step(self) -> None:
        if not self.plans:
            return self.make_plan()
        plan = self.rng.choice(self.plans)
        return (self.add_extra if self.rng.random() < 0.5 else self.tick)(plan)


@dataclass
class ConnectionSamples:
    """pg_stat_activity of the app's database, sampled a few times a second, by phase."""
    total: dict[str, list[int]] = field(default_factory=lambda: {BEFORE: [], AFTER: []})
    active: dict[str, list[int]] = field(default_factory=lambda: {BEFORE: [], AFTER: []})
    idle_in_transaction: dict[str, list[int]] = field(default_factory=lambda: {BEFORE: [], AFTER: []})


@contextmanager
def watching_connections(url: str, phases: Phases, every_s: float = 0.2) -> Iterator[ConnectionSamples]:
    samples, done = ConnectionSamples(), threading.Event()
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")

    def sample() -> None:
        with engine.connect() as connection:
            while not done.wait(every_s):
                total, active, idle = connection.execute(CONNECTIONS).one()
                phase = phases.now()
                samples.total[phase].append(total)
                samples.active[phase].append(active)
                samples.idle_in_transaction[phase].append(idle)

    thread = threading.Thread(target=sample, name="connections", daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        done.set()
        thread.join()
        engine.dispose()


def pss_mb(group: int) -> float:
    """Memory of the processes in a process group, each shared page divided among its sharers
    (proportional set size, Linux /proc)."""
    total_kb = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rpartition(")")[2].split()[2]) != group:
                continue
            rollup = (stat.parent / "smaps_rollup").read_text()
        except (OSError, ValueError):
            continue  # ended meanwhile, or not ours to read
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total_kb += int(found.group(1)) if found else 0
    return total_kb / 1024


# -- one run -------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    seconds: float
    clients: int
    think_s: float
    writers: int
    workers: int
    kill_at: float
    mix: dict[str, int]


@dataclass
class Run:
    """What one run measured."""
    phases: Phases
    started: float  # time.time()
    ended: float
    connections: ConnectionSamples
    cpu_before: dict[str, float]  # CPU seconds from the start to the kill: app, database, nginx, clients, machine
    memory_mb: float  # PSS of one app server, master and workers, just before the kill
    writes_in_flight: dict[str, int]  # the writers' requests unanswered at the kill
    caught_writing: bool
    writer_refused: dict[str, int]  # answers other than 2xx/3xx to the writers, by phase
    writer_failures: Counter[str]
    victim: int  # the port of the server killed
    survivor: int
    ledger: Ledger  # every write acknowledged


def deploy_environment(nginx_port: int, folder: Path) -> dict[str, str]:
    """The env example's app settings, with the places that belong to the bench: its loopback
    host name and address, and an instance folder of its own. The database and key come from
    the scratch database (Database.env)."""
    settings = {k: v for k, v in env_settings(ENV_EXAMPLE.read_text()).items() if k not in PLACES}
    return {**settings, "TRUSTED_HOSTS": HOST, "PUBLIC_URL": f"http://{HOST}:{nginx_port}",
            "PLANNER_INSTANCE": str(folder / "instance")}


def load_and_kill(settings: Settings, database: Database, servers: list[Gunicorn], nginx: Nginx) -> Run:
    token = database.account.token
    plans = warm_up(nginx.port, token, settings.workers)  # gunicorn.conf.py has warmed each worker's caches
    phases, ledger, stop = Phases(), Ledger(), threading.Event()
    started = time.time()
    stop_at = time.perf_counter() + settings.seconds
    clients = [threading.Thread(target=mixed_client, name=f"client-{n}", args=(
        nginx.port, token, settings.mix, settings.think_s, plans, stop_at, n, phases, ledger))
        for n in range(settings.clients)]
    writers = [ListWriter(n, nginx.port, database.account, ledger, stop, []) for n in range(settings.writers)]
    victim, survivor = servers
    clocks: dict[str, Callable[[], float]] = {
        "app servers": lambda: sum(server.cpu_seconds() for server in servers),
        "database": database.server_cpu_seconds, "nginx": nginx.cpu_seconds, "clients": time.process_time,
        "machine": machine_cpu_seconds}
    with watching_connections(database.url, phases) as connections:
        before = {name: clock() for name, clock in clocks.items()}
        for thread in [*clients, *writers]:
            thread.daemon = True  # an interrupted run exits without waiting for them
            thread.start()
        time.sleep(settings.seconds * settings.kill_at)
        cpu_before = {name: clock() - before[name] for name, clock in clocks.items()}
        memory = pss_mb(victim.process.pid) if victim.process else 0.0
        victim_port = victim.port
        caught, in_flight, refused_before = kill_while_writing(victim, database, phases, ledger)
        for thread in clients:
            thread.join()
        ended = time.time()
        stop.set()
        for writer in writers:
            writer.join()
    refused = {BEFORE: refused_before, AFTER: sum(ledger.refused.values()) - refused_before}
    failures = sum((writer.failures for writer in writers), Counter())
    return Run(phases, started, ended, connections, cpu_before, memory, in_flight, caught, refused, failures,
               victim_port, survivor.port, ledger)


def kill_while_writing(victim: Gunicorn, database: Database, phases: Phases, ledger: Ledger,
                       wait_s: float = 3) -> tuple[bool, dict[str, int], int]:
    """SIGKILL to one app server's master and workers together, as soon as the database shows a
    write transaction open (on either server; within `wait_s`). Returns whether one was, the
    writers' requests then unanswered by kind, and the writers' refusals so far."""
    with write_watch(database) as writing:
        deadline = time.monotonic() + wait_s
        while not (caught := writing()) and time.monotonic() < deadline:
            time.sleep(0.0005)
        with ledger.lock:
            phases.killed_at = time.time()
            victim.kill()
            in_flight = {kind: n for kind, n in ledger.in_flight.items() if n}
            refused = sum(ledger.refused.values())
    return caught, in_flight, refused


# -- what nginx saw ------------------------------------------------------------------

@dataclass
class Passed:
    """nginx's access log over one phase."""
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    servers: Counter[str] = field(default_factory=Counter)  # the port that gave the answer
    passed_on: Counter[str] = field(default_factory=Counter)  # by method: sent to a second server after a failure
    reads: int = 0  # GET and HEAD
    request_ms: list[float] = field(default_factory=list)
    upstream_ms: list[float] = field(default_factory=list)  # the app servers' part of a request's time
    own_ms: list[float] = field(default_factory=list)  # nginx's part: the request's time less the app servers'
    plan_ms: list[float] = field(default_factory=list)  # the app servers' time for each plan made


def nginx_log(log: Path, run: Run) -> dict[str, Passed]:
    phases = {BEFORE: Passed(), AFTER: Passed()}
    killed = run.phases.killed_at or run.ended
    for line in log.read_text().splitlines():
        ended, status, request_s, servers, _statuses, upstream_s, method, path, query = line.split("\t")
        if not run.started <= float(ended) <= run.ended:
            continue  # the warm-up, or the read-back afterwards
        passed = phases[BEFORE if float(ended) < killed else AFTER]
        passed.requests += 1
        passed.statuses[int(status)] += 1
        passed.servers[servers.rpartition(":")[2]] += 1
        if "," in servers:
            passed.passed_on[method] += 1
        passed.reads += method in ("GET", "HEAD")
        passed.request_ms.append(1000 * float(request_s))
        if upstream_s != "-":
            upstream_ms = 1000 * sum(float(t) for t in upstream_s.split(",") if t.strip() != "-")
            passed.upstream_ms.append(upstream_ms)
            passed.own_ms.append(1000 * float(request_s) - upstream_ms)
            if status == "201" and kind_of(method, path, query) == "plan":
                passed.plan_ms.append(upstream_ms)
    return phases


# -- were the acknowledged writes kept? -------------------------------------------------

@dataclass(frozen=True)
class Kept:
    plans: int  # acknowledged plans found in the plan table
    extras: int  # acknowledged extras found in the shopping_extra table
    findings: Findings  # fault_kill's read-back of plans, extras and ticks, and its table checks


def look_for_writes(database: Database, port: int, ledger: Ledger) -> Kept:
    """Every acknowledged write, looked for. A list keeps the same words once (adding them again
    gives the extra already there: planner/shopping/store.py), so each acknowledged extra is one row."""
    findings = Findings()
    check_answers(port, database.account.token, replace(ledger, extras=Counter(dict.fromkeys(ledger.extras, 1))),
                  findings)
    check_database(database, findings)
    with app_session(database.url, database.secret_key) as session:
        plans = session.scalar(select(func.count()).select_from(Plan).where(Plan.id.in_(list(ledger.plans)))) or 0
        stored = {(plan, words) for plan, words in session.execute(select(ShoppingExtra.plan_id, ShoppingExtra.text))}
    return Kept(plans, sum(key in stored for key in ledger.extras), findings)


# -- the report ----------------------------------------------------------------------

def phase_seconds(run: Run) -> dict[str, float]:
    killed = run.phases.killed_at or run.ended
    return {BEFORE: killed - run.started, AFTER: run.ended - killed}


def report(settings: Settings, run: Run, passed: dict[str, Passed], kept: Kept) -> bool:
    """Print the run's figures; True when nothing acknowledged was lost."""
    seconds = phase_seconds(run)
    when = "in the middle of a write transaction" if run.caught_writing else "with no write transaction seen"
    print(f"\nnginx -> 2 gunicorn app servers x {settings.workers} sync workers -> PostgreSQL 15, all on "
          f"{os.cpu_count()} cores; {settings.clients} clients pausing {1000 * settings.think_s:g} ms on average "
          f"+ {settings.writers} writers, {settings.seconds:g} s; the server on :{run.victim} got SIGKILL after "
          f"{seconds[BEFORE]:.1f} s, {when}")
    print(f"\n  {'mixed clients':16} {'requests/s':>10} {'errors':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'check+search p99':>17}   {'all via nginx/s':>15} {'5xx':>4}")
    for phase in (BEFORE, AFTER):
        tallies = run.phases.tallies[phase].values()
        latencies = [ms for tally in tallies for ms in tally.latencies]
        errors = sum(sum(tally.errors.values()) for tally in tallies)
        fast = [ms for kind in FAST_KINDS for ms in run.phases.tallies[phase][kind].latencies]
        logged = passed[phase]
        fives = sum(n for status, n in logged.statuses.items() if status >= 500)
        print(f"  {phase:16} {(len(latencies) + errors) / seconds[phase]:>10.0f} {errors:>7} "
              f"{percentile(latencies, .5):>7.1f} {percentile(latencies, .99):>7.1f} {percentile(fast, .99):>17.1f}   "
              f"{logged.requests / seconds[phase]:>15.0f} {fives:>4}")
    for kind in KINDS:
        for what, count in run.phases.tallies[AFTER][kind].errors.most_common(3):
            print(f"    error after the kill, {kind}: {count} x {' '.join(what.split())[:90]}")
    for phase in (BEFORE, AFTER):
        logged = passed[phase]
        shares = ", ".join(f":{port} {n}" for port, n in sorted(logged.servers.items()))
        passed_on = ", ".join(f"{method} {n}" for method, n in sorted(logged.passed_on.items())) or "none"
        print(f"  nginx {phase}: answered by {shares}; passed on to the other server after a failure: {passed_on}")
    flying = ", ".join(f"{kind} {n}" for kind, n in sorted(run.writes_in_flight.items())) or "none"
    print(f"  writers: {flying} in flight at the kill; refused (not acknowledged) before/after the kill: "
          f"{run.writer_refused[BEFORE]}/{run.writer_refused[AFTER]}; no answer: {sum(run.writer_failures.values())}")
    for what, count in list(run.ledger.refused.items())[:3] + list(run.writer_failures.items())[:3]:
        print(f"    {count} x {' '.join(what.split())[:90]}")
    return report_writes(run.ledger, kept)


def report_writes(ledger: Ledger, kept: Kept) -> bool:
    findings = kept.findings
    extras, ticks = len(ledger.extras), len(ledger.ticks) - len(ledger.unsure & set(ledger.ticks))
    lost = len(ledger.plans) - kept.plans + extras - kept.extras + len(findings.lost)
    print(f"\n  acknowledged writes: {len(ledger.plans)} plans (201), {extras} shopping-list extras "
          f"({sum(ledger.extras.values())} adds) and {ticks} ticks (a redirect back to the list)")
    print(f"  found in the database: {kept.plans} of {len(ledger.plans)} plans, {kept.extras} of {extras} extras; "
          f"read back through nginx not as acknowledged (plans, extras, ticks): {len(findings.lost)}; "
          f"half-written plans: {len(findings.half_written)}; orphan rows: {sum(findings.orphans.values())}")
    for problem in (findings.lost + findings.half_written)[:10]:
        print(f"    {problem}")
    ok = lost == 0 and findings.ok
    print(f"  acknowledged writes lost: {lost} {'(PASS)' if ok else '(FAIL)'}")
    return ok


# -- a hundred times the load ---------------------------------------------------------

@dataclass(frozen=True)
class Measured:
    """The figures, before the kill with both servers up, that the estimate starts from."""
    rate: float  # requests/s through nginx
    workers: int  # app workers in all
    cpu_ms: dict[str, float]  # CPU per request: app servers, database, nginx, clients
    other_cores: float  # cores used meanwhile by other processes on the machine
    connections_max: int
    connections_mean: float
    active_mean: float  # connections running a query, on average
    idle_in_transaction_mean: float
    max_connections: int
    worker_mb: float  # an app server's PSS (master and workers) over its workers
    reads: float  # share of requests that are GET/HEAD
    nginx_ms: float  # nginx's own part of a request on average: request time less the app server's
    upstream_p50: float
    plan_rate: float  # plans made per second
    plan_s: float  # the app server's median time to make a plan


def measured(settings: Settings, run: Run, passed: dict[str, Passed], max_connections: int) -> Measured:
    logged, samples = passed[BEFORE], run.connections
    requests = max(logged.requests, 1)
    total = samples.total[BEFORE] or [0]
    cpu = dict(run.cpu_before)
    other = max(0.0, cpu.pop("machine") - sum(cpu.values()))
    seconds = phase_seconds(run)[BEFORE]
    return Measured(
        rate=logged.requests / seconds, workers=2 * settings.workers,
        cpu_ms={name: 1000 * used / requests for name, used in cpu.items()}, other_cores=other / seconds,
        connections_max=max(total), connections_mean=sum(total) / len(total),
        active_mean=mean(samples.active[BEFORE]), idle_in_transaction_mean=mean(samples.idle_in_transaction[BEFORE]),
        max_connections=max_connections, worker_mb=run.memory_mb / settings.workers,
        reads=logged.reads / requests, nginx_ms=mean(logged.own_ms),
        upstream_p50=percentile(logged.upstream_ms, .5),
        plan_rate=len(run.ledger.plans) / (run.ended - run.started), plan_s=percentile(logged.plan_ms, .5) / 1000)


def mean(values: list[int] | list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def hundred_times(m: Measured) -> list[str]:
    """What serving 100 times the measured rate would take, worked out from the figures."""
    target = 100 * m.rate
    cores = {name: target * ms / 1000 for name, ms in m.cpu_ms.items()}
    workers = math.ceil(2 * cores["app servers"]) + 1  # gunicorn.conf.py: two per core, plus one
    per_worker = m.connections_max / m.workers
    # A request holds its transaction, and so its connection, from its first query to its answer (idle in
    # transaction while the app works between queries): a transaction pool needs one per busy worker.
    in_transaction = m.active_mean + m.idle_in_transaction_mean
    pool = min(workers, math.ceil(100 * in_transaction))
    lines = [
        f"measured with both servers up: {m.rate:.0f} requests/s; CPU per request: "
        + ", ".join(f"{name} {ms:.2f} ms" for name, ms in m.cpu_ms.items())
        + f"; meanwhile other processes on the machine used {m.other_cores:.1f} of its {os.cpu_count()} cores",
        f"time: the app server's answer takes {m.upstream_p50:.1f} ms (p50), nginx adds {m.nginx_ms:.2f} ms "
        f"on average (its log counts whole ms), a plan {1000 * m.plan_s:.0f} ms (p50)",
        f"database connections: {m.connections_max} open at most for {m.workers} workers ({per_worker:.1f} each, "
        f"held while idle); on average {in_transaction:.1f} in a transaction: {m.active_mean:.1f} running a query, "
        f"{m.idle_in_transaction_mean:.1f} idle while the app works; PostgreSQL allows {m.max_connections}",
        f"app memory: {m.worker_mb:.0f} MB per worker (PSS)",
        f"at 100 x = {target:,.0f} requests/s (everything here shares {os.cpu_count()} cores, which inflates CPU "
        f"per request: read these as upper bounds):",
        f"- app servers: {cores['app servers']:.0f} cores, about {workers} workers, "
        f"{workers * m.worker_mb / 1024:.0f} GB; "
        f"e.g. {math.ceil(cores['app servers'] / 8 / 0.7)} machines of 8 cores at 70 %, each one more name in the "
        f"nginx upstream",
        f"- connections: {workers * per_worker:,.0f} held by the workers against PostgreSQL's {m.max_connections}: "
        f"pgbouncer (transaction pooling) between them. A request keeps its transaction open until it answers, "
        f"so the pool saves only the idle workers' connections: a server pool near {pool} (100 x the "
        f"{in_transaction:.1f} in a transaction now, at most one per worker) plus headroom, and max_connections "
        f"above it. psycopg prepares statements it runs often: prepare_threshold=None, or pgbouncer 1.21+ "
        f"(Debian 12 has 1.18) with max_prepared_statements",
        f"- database: {cores['database']:.0f} cores of PostgreSQL; {100 * m.reads:.0f} % of requests are reads, "
        f"which read replicas could take once one primary is not enough (writes, {100 * (1 - m.reads):.0f} %, "
        f"stay on the primary; with fair use on, every counted request also writes its count there)",
        f"- nginx: {cores['nginx']:.1f} cores; one nginx does, a second only for redundancy (a shared address or "
        f"DNS in front)",
    ]
    plan_rule = rules_from(cast(dict[str, dict[str, Any]], Config.FAIR_USE)).get("plan")
    at_once = plan_rule.at_once if plan_rule else None
    if at_once and m.plan_s:
        lines.append(f"- plans: {100 * m.plan_rate:.0f}/s wanted, while fair use lets {at_once} run at once in the "
                     f"whole service, about {at_once / m.plan_s:.1f}/s at the {1000 * m.plan_s:.0f} ms each measured "
                     f"here: raise "
                     f"FAIR_USE's plan at_once with the workers")
    return lines


def max_connections(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text("SHOW max_connections")) or 0)
    finally:
        engine.dispose()


# -- main ----------------------------------------------------------------------------

def progress(started: float, what: str) -> None:
    print(f"[{time.perf_counter() - started:5.0f} s] {what}", flush=True)


def run_bench(settings: Settings, folder: Path) -> bool:
    started = time.perf_counter()
    nginx_port = free_port()
    os.environ.update(deploy_environment(nginx_port, folder))  # read by the app servers (Database.env)
    with scratch_database("postgres", folder) as database:
        progress(started, "PostgreSQL 15 started, migrated and seeded")
        options = ("--config", str(ROOT / "gunicorn.conf.py"))
        servers = [Gunicorn(database, settings.workers, folder / f"gunicorn-{n}.log", options) for n in (1, 2)]
        nginx: Nginx | None = None
        try:
            for server in servers:
                server.start()
            (folder / "nginx").mkdir()
            nginx = Nginx(render_nginx(folder / "nginx", [server.port for server in servers], nginx_port), nginx_port)
            nginx.start()
            progress(started, f"app servers on :{servers[0].port} and :{servers[1].port}, nginx on :{nginx_port}")
            run = load_and_kill(settings, database, servers, nginx)
            progress(started, "load done; looking for every acknowledged write")
            kept = look_for_writes(database, nginx_port, run.ledger)
            passed = nginx_log(folder / "nginx" / "access.log", run)
            ok = report(settings, run, passed, kept)
            print()
            for line in hundred_times(measured(settings, run, passed, max_connections(database.url))):
                print(f"  {line}")
            return ok
        finally:
            if nginx is not None:
                nginx.stop()
            for server in servers:
                server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--think-ms", type=float, default=100,
                        help="mean pause of a mixed client between an answer and its next request (default 100)")
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                        help="gunicorn workers per app server (default cores + 1: about half of gunicorn.conf.py's "
                             "2 per core + 1, as deploy/README.md says for two servers on one machine)")
    parser.add_argument("--kill-at", type=float, default=0.5, help="share of --seconds before the kill (default 0.5)")
    parser.add_argument("--mix", type=parse_mix, default=parse_mix(DEFAULT_MIX),
                        help=f"relative weights of the mixed clients' requests (default {DEFAULT_MIX})")
    args = parser.parse_args()
    if not 0 < args.kill_at < 1:
        parser.error("--kill-at is a share of the run: between 0 and 1")
    if not os.access(NGINX, os.X_OK):
        sys.exit(f"scale_out_bench: nginx is not installed ({NGINX} is missing): apt-get install nginx")
    # SIGTERM ends the run as Ctrl-C does: through the finally blocks that stop what was started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings = Settings(args.seconds, args.clients, args.think_ms / 1000, args.writers, args.workers, args.kill_at,
                        args.mix)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="scale-out-") as folder:
        ok = run_bench(settings, Path(folder))
    print(f"\n{'PASS' if ok else 'FAIL'}: nothing acknowledged lost ({time.perf_counter() - started:.0f} s in all)"
          if ok else f"\nFAIL: acknowledged writes lost ({time.perf_counter() - started:.0f} s in all)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
