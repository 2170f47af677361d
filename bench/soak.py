"""`make soak`: a write soak with a PostgreSQL outage in the middle, against production gunicorn.

SOAK_CLIENTS clients (32) send requests for SOAK_SECONDS (300), one after another, each with
its own patient and API token. About one request in five is a journal entry written through
the API; the rest read the article page, /faq/, /api/v1/faqs/ and the patient's own entries.
Every request gives up after 5 seconds: an answer that slow counts as a hang. The database is
portal_soak on the bench's PostgreSQL, made afresh each run, or DATABASE_URL's (kept).

SOAK_OUTAGE_AT seconds (120) into the run PostgreSQL is stopped (SOAK_DB_STOP), left down for
10 seconds and started again (SOAK_DB_START); nothing restarts gunicorn. With DATABASE_URL set
and no such commands there is no outage. The outage window runs from the stop command until the
start command has returned and /healthz has answered 200 again, plus GRACE_SECONDS for answers
already under way. Within it every failure must be a clear 503 given in under 5 seconds; outside
it there must be no failure at all. Afterwards every write answered 201 must be stored, and
nothing else. The run prints one table and saves it as JSON; it exits 1 if any check fails.
PostgreSQL is always started again, even if the run fails.
"""

import collections
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field

from . import server

CLIENTS = int(os.environ.get("SOAK_CLIENTS", "32"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "300"))
OUTAGE_AT = float(os.environ.get("SOAK_OUTAGE_AT", "120"))
OUTAGE_SECONDS = 10
WRITE_SHARE = 0.2
WARM_UP_SECONDS = 5  # reads only, not counted: every worker loads the app before the count
TIMEOUT_SECONDS = 5  # an answer slower than this is a hang
HEALTH_INTERVAL = 0.5
GRACE_SECONDS = 1.0  # after the database is back, for requests that were already under way
PATIENT_PREFIX = "soak-patient-"
# Its own database next to the bench's, so that `make soak` never drops the one a bench is using.
DEFAULT_DATABASE_URL = server.DEFAULT_DATABASE_URL.rsplit("/", 1)[0] + "/portal_soak"


@dataclass(slots=True)
class Sample:
    """One request: when it started (seconds into the soak), how long it took, what came back."""

    kind: str
    started: float
    seconds: float
    status: int | None = None  # None: no answer (see error)
    error: str = ""  # "timeout" or "connection" when there was no answer
    clear: bool = True  # a 503 with Retry-After whose body says what is going on
    entry_id: int | None = None  # the id in a 201 answer

    @property
    def ended(self):
        return self.started + self.seconds


@dataclass
class Outage:
    """What the outage thread did, in seconds into the soak (None: not reached)."""

    skipped: str = ""  # why there was no outage
    stop_started: float | None = None
    stop_done: float | None = None
    start_started: float | None = None
    start_done: float | None = None
    healthy_again: float | None = None  # first /healthz 200 after start_started
    error: str = ""

    def window(self, soak_end):
        """(from, to): the time in which failures are expected, or None without an outage."""
        if self.stop_started is None:
            return None
        if self.start_done is None or self.healthy_again is None:
            return (self.stop_started, soak_end)
        return (self.stop_started, max(self.start_done, self.healthy_again) + GRACE_SECONDS)


@dataclass
class Server:
    """What gunicorn did during the soak."""

    master_pid: int
    master_alive_at_end: bool
    listening_pid: int | None  # the master pid gunicorn logged at start
    worker_boots_at_start: int
    worker_boots_at_end: int


@dataclass
class Summary:
    requests: int = 0
    requests_per_second: float = 0.0
    answered_2xx: int = 0
    writes_201: int = 0
    stored_entries: int = 0
    missing_201_writes: int = 0  # answered 201 but not stored
    stored_without_201: int = 0  # stored, though no 201 came back
    unexpected_answers: dict = field(default_factory=dict)  # 3xx/4xx, by status
    server_errors_outside_outage: dict = field(default_factory=dict)  # 5xx by status
    failures_outside_outage: dict = field(default_factory=dict)  # timeouts, connection errors
    outage_window: list | None = None
    outage_503: int = 0
    outage_503_by_kind: dict = field(default_factory=dict)  # page or API route: how many
    outage_unclear_503: int = 0
    outage_other_errors: dict = field(default_factory=dict)  # 500s, timeouts, connection errors
    outage_slowest_seconds: float = 0.0
    answered_2xx_after_outage: int = 0
    health_sequence: list = field(default_factory=list)  # [seconds, status] at each change
    recovery_seconds: float | None = None  # start command began to /healthz 200
    master_pid_unchanged: bool = True
    worker_boots: int = 0
    worker_restarts: int = 0
    outage_skipped: str = ""
    outage_error: str = ""  # the stop or start command failed


def overlaps(sample, window):
    return window is not None and sample.started <= window[1] and sample.ended >= window[0]


def status_changes(health):
    """[(seconds, status)] reduced to the moments the status changed."""
    changes = []
    for seconds, status in health:
        if not changes or changes[-1][1] != status:
            changes.append((round(seconds, 1), status))
    return changes


def first_healthy_after(health, moment):
    return next(
        (seconds for seconds, status in health if seconds >= moment and status == 200), None
    )


def summarise(samples, stored_ids, health, outage, soak_seconds, gunicorn):
    """Everything the table shows, from the raw records of the run."""
    window = outage.window(soak_seconds)
    ids_201 = {sample.entry_id for sample in samples if sample.status == 201}
    summary = Summary(
        requests=len(samples),
        requests_per_second=len(samples) / soak_seconds,
        answered_2xx=sum(1 for sample in samples if sample.status and sample.status < 300),
        writes_201=sum(1 for sample in samples if sample.status == 201),
        stored_entries=len(stored_ids),
        missing_201_writes=len(ids_201 - stored_ids),
        stored_without_201=len(stored_ids - ids_201),
        outage_window=[round(moment, 1) for moment in window] if window else None,
        health_sequence=[list(change) for change in status_changes(health)],
        master_pid_unchanged=gunicorn.master_alive_at_end
        and gunicorn.listening_pid in (None, gunicorn.master_pid),
        worker_boots=gunicorn.worker_boots_at_end,
        worker_restarts=gunicorn.worker_boots_at_end - gunicorn.worker_boots_at_start,
        outage_skipped=outage.skipped,
        outage_error=outage.error.strip(),
    )
    unexpected = collections.Counter()
    outside_5xx = collections.Counter()
    outside_failures = collections.Counter()
    outage_other = collections.Counter()
    outage_503_by_kind = collections.Counter()
    for sample in samples:
        during = overlaps(sample, window)
        if sample.status is not None and 300 <= sample.status < 500:
            unexpected[str(sample.status)] += 1
        if during:
            summary.outage_slowest_seconds = max(summary.outage_slowest_seconds, sample.seconds)
            if sample.status == 503:
                summary.outage_503 += 1
                outage_503_by_kind[sample.kind] += 1
                summary.outage_unclear_503 += not sample.clear
            elif sample.status is None:
                outage_other[sample.error] += 1
            elif sample.status >= 500:
                outage_other[str(sample.status)] += 1
        elif sample.status is None:
            outside_failures[sample.error] += 1
        elif sample.status >= 500:
            outside_5xx[str(sample.status)] += 1
        elif window and sample.started > window[1] and sample.status < 300:
            summary.answered_2xx_after_outage += 1
    summary.unexpected_answers = dict(unexpected)
    summary.server_errors_outside_outage = dict(outside_5xx)
    summary.failures_outside_outage = dict(outside_failures)
    summary.outage_other_errors = dict(outage_other)
    summary.outage_503_by_kind = dict(outage_503_by_kind)
    summary.outage_slowest_seconds = round(summary.outage_slowest_seconds, 3)
    if outage.start_started is not None and outage.healthy_again is not None:
        summary.recovery_seconds = round(outage.healthy_again - outage.start_started, 2)
    return summary


def failed_checks(summary):
    """The checks the run failed, in words; empty when it passed."""
    failed = []
    if summary.stored_entries != summary.writes_201:
        failed.append(
            f"{summary.stored_entries} entries stored for {summary.writes_201} writes answered 201"
        )
    if summary.missing_201_writes:
        failed.append(f"{summary.missing_201_writes} writes answered 201 are not stored")
    if summary.stored_without_201:
        failed.append(f"{summary.stored_without_201} entries stored without a 201 answer")
    if summary.unexpected_answers:
        failed.append(f"unexpected 3xx/4xx answers: {summary.unexpected_answers}")
    if summary.server_errors_outside_outage:
        failed.append(f"5xx outside the outage: {summary.server_errors_outside_outage}")
    if summary.failures_outside_outage:
        failed.append(f"no answer outside the outage: {summary.failures_outside_outage}")
    if not summary.master_pid_unchanged:
        failed.append("the gunicorn master did not run through the whole soak")
    if summary.worker_restarts:
        failed.append(f"{summary.worker_restarts} gunicorn workers were booted again")
    if summary.outage_error:
        failed.append(summary.outage_error)
    if summary.outage_skipped:
        return failed
    statuses = [status for _, status in summary.health_sequence]
    if not summary.outage_503:
        failed.append("no request was answered 503 during the outage")
    if summary.outage_unclear_503:
        failed.append(f"{summary.outage_unclear_503} answers 503 without a clear message")
    if summary.outage_other_errors:
        failed.append(f"failures other than 503 during the outage: {summary.outage_other_errors}")
    if summary.outage_slowest_seconds >= TIMEOUT_SECONDS:
        failed.append(
            f"slowest answer during the outage took {summary.outage_slowest_seconds:.1f} s"
        )
    if 503 not in statuses or statuses[statuses.index(503) :].count(200) == 0:
        failed.append(f"/healthz did not go 503 then 200: {summary.health_sequence}")
    if summary.recovery_seconds is None:
        failed.append("/healthz never answered 200 again after the database started")
    if not summary.answered_2xx_after_outage:
        failed.append("no request succeeded after the outage")
    return failed


def format_health(sequence):
    return " → ".join(f"{status} at {seconds:g} s" for seconds, status in sequence)


def counted(counts):
    return sum(counts.values()) if counts else 0


def table(summary, failed):
    def row(what, value, target=""):
        return f"| {what} | {value} | {target} |"

    skipped = summary.outage_skipped
    lines = [
        "| What | Count | Target |",
        "|---|---:|---|",
        row("requests", f"{summary.requests:,}"),
        row("requests/s", f"{summary.requests_per_second:,.0f}"),
        row("answered 2xx", f"{summary.answered_2xx:,}"),
        row("writes answered 201", f"{summary.writes_201:,}"),
        row("entries stored", f"{summary.stored_entries:,}", "= writes answered 201"),
        row("201 writes missing", summary.missing_201_writes, "0"),
        row("entries stored without a 201", summary.stored_without_201, "0"),
        row("3xx/4xx answers", counted(summary.unexpected_answers), "0"),
        row("5xx outside the outage", counted(summary.server_errors_outside_outage), "0"),
        row("no answer outside the outage", counted(summary.failures_outside_outage), "0"),
    ]
    if skipped:
        lines.append(row("outage", f"skipped: {skipped}"))
    else:
        window = summary.outage_window or ["-", "-"]
        recovery = summary.recovery_seconds
        lines += [
            row("outage window (s into the soak)", f"{window[0]}–{window[1]}"),
            row("503 during the outage", f"{summary.outage_503:,}", "> 0"),
            row("503 without a clear message", summary.outage_unclear_503, "0"),
            row(
                "other failures during the outage (500, timeout, connection)",
                counted(summary.outage_other_errors),
                "0",
            ),
            row(
                "slowest answer during the outage",
                f"{summary.outage_slowest_seconds:.2f} s",
                f"< {TIMEOUT_SECONDS} s",
            ),
            row("/healthz", format_health(summary.health_sequence), "200 → 503 → 200"),
            row(
                "database start command → /healthz 200",
                "never" if recovery is None else f"{recovery:.1f} s",
            ),
            row("answered 2xx after the outage", f"{summary.answered_2xx_after_outage:,}", "> 0"),
        ]
    lines += [
        row(
            "gunicorn master pid unchanged", "yes" if summary.master_pid_unchanged else "no", "yes"
        ),
        row("worker boots (restarts)", f"{summary.worker_boots} ({summary.worker_restarts})", "0"),
        row("failed checks", len(failed), "0"),
    ]
    return "\n".join(lines)


# The run


def clear_503(path, response, body):
    """A 503 that says what is going on: Retry-After, and the JSON detail or the page's words."""
    if not response.getheader("Retry-After"):
        return False
    if path.startswith("/api/"):
        try:
            return "unavailable" in json.loads(body)["detail"]
        except (ValueError, KeyError, TypeError):
            return False
    return b"briefly unavailable" in body


class SoakClient(threading.Thread):
    """One client: a patient with a token, one request at a time, until the soak ends (http.client
    opens a new connection whenever gunicorn's sync workers have closed the last one)."""

    def __init__(self, index, token, reads, t0, deadline, write_share=WRITE_SHARE):
        super().__init__(name=f"soak-client-{index}", daemon=True)
        self.random = random.Random(index)
        self.token = token
        self.reads = reads
        self.t0 = t0
        self.deadline = deadline
        self.write_share = write_share
        self.samples = []
        self.connection = None

    def run(self):
        writes = 0
        while time.monotonic() < self.deadline:
            if self.random.random() < self.write_share:
                writes += 1
                self.send("write", "POST", "/api/v1/journal/entries/", self.entry(writes))
            else:
                kind, path, private = self.random.choice(self.reads)
                self.send(kind, "GET", path, None, private)
        if self.connection:
            self.connection.close()

    def entry(self, number):
        # Yesterday (UTC) is never in the future, whatever the clock says when it arrives.
        day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
        return json.dumps(
            {
                "date": day,
                "focus": self.random.randint(0, 10),
                "mood": self.random.randint(0, 10),
                "notes": f"{self.name} write {number}",
            }
        )

    def send(self, kind, method, path, body, private=True):
        headers = dict(server.PROXY_HEADERS)
        if private or body is not None:
            headers["Authorization"] = f"Token {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                server.HOST, server.PORT, timeout=TIMEOUT_SECONDS
            )
        started = time.monotonic()
        sample = Sample(kind, started - self.t0, 0.0)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except TimeoutError:
            sample.error = "timeout"
        except (OSError, http.client.HTTPException):
            sample.error = "connection"
        else:
            sample.status = response.status
            if response.status == 503:
                sample.clear = clear_503(path, response, content)
            elif response.status == 201:
                try:
                    sample.entry_id = json.loads(content)["id"]
                except (ValueError, KeyError, TypeError):
                    sample.error = "201 without an id"
        sample.seconds = time.monotonic() - started
        if sample.error:
            self.connection.close()
            self.connection = None
        self.samples.append(sample)


class HealthMonitor(threading.Thread):
    """/healthz every HEALTH_INTERVAL seconds, on a new connection each time."""

    def __init__(self, t0, stop):
        super().__init__(name="soak-health", daemon=True)
        self.t0 = t0
        self.stop = stop
        self.health = []  # (seconds, status or "no answer")

    def run(self):
        while not self.stop.is_set():
            moment = time.monotonic() - self.t0
            try:
                status = server.request("GET", "/healthz", timeout=TIMEOUT_SECONDS)[0]
            except (OSError, http.client.HTTPException):
                status = "no answer"
            self.health.append((moment, status))
            self.stop.wait(HEALTH_INTERVAL)


def database_commands(external_database):
    """(stop, start) shell commands for the outage, or None with the reason there is none."""
    stop, start = os.environ.get("SOAK_DB_STOP"), os.environ.get("SOAK_DB_START")
    if stop and start:
        return (stop, start), ""
    if external_database:
        return None, "DATABASE_URL is set; give SOAK_DB_STOP and SOAK_DB_START to stop it"
    try:
        version = sorted(os.listdir("/etc/postgresql"))[-1]
    except (FileNotFoundError, IndexError):
        return None, "no local PostgreSQL cluster; give SOAK_DB_STOP and SOAK_DB_START"
    command = f"pg_ctlcluster --skip-systemctl-redirect {version} main"
    return (f"{command} stop", f"{command} start"), ""


class OutageThread(threading.Thread):
    """Stops the database at OUTAGE_AT, starts it OUTAGE_SECONDS later."""

    def __init__(self, commands, t0, stop, outage):
        super().__init__(name="soak-outage", daemon=True)
        self.stop_command, self.start_command = commands
        self.t0 = t0
        self.stop = stop
        self.outage = outage
        self.lock = threading.Lock()

    def now(self):
        return time.monotonic() - self.t0

    def run(self):
        if self.stop.wait(max(0.0, OUTAGE_AT - self.now())):
            return
        try:
            self.outage.stop_started = self.now()
            run_shell(self.stop_command)
            self.outage.stop_done = self.now()
            self.stop.wait(OUTAGE_SECONDS)
        except subprocess.CalledProcessError as error:
            self.outage.error = f"stop command failed: {error}"
        finally:
            self.start_database()

    def start_database(self):
        """Starts the database if this thread stopped it and nobody started it yet (idempotent)."""
        with self.lock:
            if self.outage.stop_started is None or self.outage.start_started is not None:
                return
            self.outage.start_started = self.now()
            try:
                run_shell(self.start_command)
            except subprocess.CalledProcessError as error:
                self.outage.error += f" start command failed: {error}"
            self.outage.start_done = self.now()


def run_shell(command):
    subprocess.run(command, shell=True, check=True, capture_output=True, text=True, timeout=120)


def create_patients(count):
    """count patients, each with an API token, in the database prepare() set up: their tokens."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from rest_framework.authtoken.models import Token

    users = get_user_model().objects
    users.filter(username__startswith=PATIENT_PREFIX).delete()
    tokens = [
        Token.objects.create(user=users.create_user(f"{PATIENT_PREFIX}{index:02d}")).key
        for index in range(count)
    ]
    connections.close_all()
    return tokens


def stored_entry_ids(seconds=60):
    """Ids of the soak patients' journal entries, once the database answers again."""
    from django.db import OperationalError, connections

    from journal.models import JournalEntry

    deadline = time.monotonic() + seconds
    while True:
        connections.close_all()
        try:
            return set(
                JournalEntry.objects.filter(user__username__startswith=PATIENT_PREFIX).values_list(
                    "id", flat=True
                )
            )
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def worker_boots(log_path):
    return len(re.findall(r"Booting worker with pid", log_path.read_text(errors="replace")))


def listening_pid(log_path):
    match = re.search(r"Listening at: \S+ \((\d+)\)", log_path.read_text(errors="replace"))
    return int(match.group(1)) if match else None


def expected_workers(env):
    return int(env.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))


def soak(env, fixture, tokens, commands):
    """Runs the load (and the outage); returns (samples, health, outage, seconds, Server)."""
    log_path = server.RESULTS / "soak-gunicorn.log"
    reads = [
        ("article page", fixture.article_path, False),
        ("/faq/", "/faq/", False),
        ("/api/v1/faqs/", "/api/v1/faqs/", False),
        ("own entries (API)", "/api/v1/journal/entries/", True),
    ]
    outage = Outage()
    outage_thread = None
    stop = threading.Event()
    with server.gunicorn(env, log_path.name) as process:
        settle = time.monotonic() + 15
        while worker_boots(log_path) < expected_workers(env) and time.monotonic() < settle:
            time.sleep(0.2)
        boots_at_start = worker_boots(log_path)
        warm_up(tokens, reads)
        t0 = time.monotonic()
        deadline = t0 + SECONDS
        clients = [
            SoakClient(index, token, reads, t0, deadline) for index, token in enumerate(tokens)
        ]
        monitor = HealthMonitor(t0, stop)
        monitor.start()
        if commands:
            outage_thread = OutageThread(commands, t0, stop, outage)
            outage_thread.start()
        try:
            for client in clients:
                client.start()
            for client in clients:
                client.join()
        finally:
            stop.set()
            if outage_thread:
                outage_thread.join(timeout=150)
                outage_thread.start_database()
        monitor.join()
        seconds = time.monotonic() - t0
        gunicorn = Server(
            master_pid=process.pid,
            master_alive_at_end=process.poll() is None,
            listening_pid=listening_pid(log_path),
            worker_boots_at_start=boots_at_start,
            worker_boots_at_end=worker_boots(log_path),
        )
    if outage.start_started is not None:
        outage.healthy_again = first_healthy_after(monitor.health, outage.start_started)
    samples = [sample for client in clients for sample in client.samples]
    return samples, monitor.health, outage, seconds, gunicorn


def warm_up(tokens, reads):
    """The clients' reads for WARM_UP_SECONDS, not counted, so no worker starts the soak cold."""
    t0 = time.monotonic()
    clients = [
        SoakClient(index, token, reads, t0, t0 + WARM_UP_SECONDS, write_share=0)
        for index, token in enumerate(tokens)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join()


def ensure_database_running(commands, database_url):
    """Starts PostgreSQL again if it does not answer (the run may have died mid-outage)."""
    import psycopg

    if commands is None:
        return
    try:
        psycopg.connect(database_url, connect_timeout=3).close()
    except psycopg.OperationalError:
        subprocess.run(commands[1], shell=True, check=False, timeout=120)


def main():
    # A plain kill (or `timeout`) ends the run through the finally blocks that restart PostgreSQL.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    external = bool(os.environ.get("DATABASE_URL"))
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    commands, skipped = database_commands(external)
    if commands and OUTAGE_AT + OUTAGE_SECONDS + 5 > SECONDS:
        raise SystemExit(
            f"SOAK_OUTAGE_AT={OUTAGE_AT:g} leaves no time to recover in SOAK_SECONDS={SECONDS:g}."
        )
    if not external:
        server.recreate_database(database_url)
    env = server.production_env(database_url)
    fixture = server.prepare(env)
    tokens = create_patients(CLIENTS)
    try:
        samples, health, outage, seconds, gunicorn = soak(env, fixture, tokens, commands)
    finally:
        ensure_database_running(commands, database_url)
    outage.skipped = skipped
    stored_ids = stored_entry_ids()
    summary = summarise(samples, stored_ids, health, outage, seconds, gunicorn)
    failed = failed_checks(summary)
    about = f"{CLIENTS} clients for {seconds:.0f} s, about {WRITE_SHARE:.0%} journal writes"
    if not skipped:
        about += (
            f"; PostgreSQL stopped at {OUTAGE_AT:g} s for {OUTAGE_SECONDS} s; outage window: from "
            f"the stop command until the start command is done and /healthz is 200 again, plus "
            f"{GRACE_SECONDS:g} s"
        )
    print(f"\nmake soak: {about}")
    print(table(summary, failed))
    server.save_and_exit(
        "soak",
        {
            "clients": CLIENTS,
            "seconds": round(seconds, 1),
            "outage": asdict(outage),
            "summary": asdict(summary),
            "failed": failed,
        },
        failed,
        "Failed checks",
        "Every check passed.",
    )


if __name__ == "__main__":
    main()
