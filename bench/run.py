"""`make bench`: requests/s and latency of the main pages under load, each against a static file.

The static file (served by WhiteNoise inside the same gunicorn) is the ceiling: a page can't be
cheaper than a file. Every endpoint is loaded with wrk from a second process on loopback, with
BENCH_CONNECTIONS concurrent clients for BENCH_SECONDS, after a short warm-up.
"""

import json
import os
import platform
import runpy
import shutil
import statistics
import subprocess
from dataclasses import asdict, dataclass, field

from . import server

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
ROUNDS = 5
WARM_UP_SECONDS = 2
P99_LIMIT_MS = 50
WRK_SCRIPT = server.ROOT / "bench" / "wrk_report.lua"


@dataclass
class Endpoint:
    name: str
    path: str
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    body: str | None = None
    min_ratio: float | None = None  # of the static file's requests/s
    p99_target: bool = False  # p99 under P99_LIMIT_MS


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    worst_round_p99_ms: float = 0.0
    ratio: float = 0.0
    min_ratio: float | None = None
    p99_target: bool = False

    @classmethod
    def from_reports(cls, endpoint, reports):
        """One result from several wrk runs: requests/s and p99 over all their requests, and the
        slowest run's p50 and p99 (the latter kept in the JSON)."""
        requests = sum(report["requests"] for report in reports)
        seconds = sum(report["duration_us"] for report in reports) / 1e6
        return cls(
            name=endpoint.name,
            requests_per_second=requests / seconds,
            p50_ms=max(report["p50_us"] for report in reports) / 1000,
            p99_ms=pooled_p99_us(reports) / 1000,
            worst_round_p99_ms=max(report["p99_us"] for report in reports) / 1000,
            errors=sum(
                value
                for report in reports
                for key, value in report.items()
                if key.endswith("errors") or key == "timeouts"
            ),
            min_ratio=endpoint.min_ratio,
            p99_target=endpoint.p99_target,
        )

    def missed_targets(self):
        missed = []
        if self.errors:
            missed.append(f"{self.name}: {self.errors} errors")
        if self.p99_target and self.p99_ms >= P99_LIMIT_MS:
            missed.append(f"{self.name}: p99 {self.p99_ms:.1f} ms is not under {P99_LIMIT_MS} ms")
        if self.min_ratio is not None and self.ratio < self.min_ratio:
            missed.append(
                f"{self.name}: {self.ratio:.2f} of the static file, target {self.min_ratio}"
            )
        return missed


def pooled_p99_us(reports):
    """The p99 of all the runs' requests taken together.

    Each run reports its slowest tenth in steps of 0.1 % of its requests (wrk_report.lua); each
    step counts at the latency that ends it, so the answer errs on the slow side. Going down from
    the slowest, the p99 is where the steps passed hold more than 1 % of all the requests.
    """
    allowed = sum(report["requests"] for report in reports) / 100
    steps = sorted(
        (
            (latency, report["requests"] / 1000)
            for report in reports
            for latency in report["tail_us"][1:]
        ),
        reverse=True,
    )
    slower = 0.0
    for latency, requests in steps:
        slower += requests
        if slower > allowed:
            return latency
    return steps[-1][0]


def endpoints(fixture):
    """What a burst of readers and signed-in patients asks for; the first is the ceiling.

    Every page and API read has the p99 target. The checklist build is a write of twenty
    queries that no cache can answer: it is measured and reported, with no target.
    """
    session = {"Cookie": fixture.session_cookie}
    token = {"Authorization": f"Token {fixture.token}", "Content-Type": "application/json"}
    checklist = fixture.checklist_id
    return [
        Endpoint("static file (ceiling)", fixture.static_path, p99_target=True),
        Endpoint("/healthz", "/healthz", p99_target=True),
        Endpoint("article page", fixture.article_path, min_ratio=0.6, p99_target=True),
        Endpoint("/faq/", "/faq/", p99_target=True),
        Endpoint("/api/v1/faqs/", "/api/v1/faqs/", min_ratio=0.6, p99_target=True),
        Endpoint(
            "dashboard (logged in)", "/journal/", headers=session, min_ratio=0.25, p99_target=True
        ),
        Endpoint(
            "checklist build (API)",
            f"/api/v1/checklists/{checklist}/generate/",
            method="POST",
            headers=token,
            body="{}",
        ),
        Endpoint(
            "visit-prep sheet",
            f"/checklists/{checklist}/sheet/",
            headers=session,
            p99_target=True,
        ),
    ]


def wrk(endpoint, seconds):
    headers = {**server.PROXY_HEADERS, **endpoint.headers}
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "-s", str(WRK_SCRIPT)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{server.HOST}:{server.PORT}{endpoint.path}")
    env = {**os.environ, "WRK_METHOD": endpoint.method}
    if endpoint.body is not None:
        env["WRK_BODY"] = endpoint.body
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(next(line for line in output.splitlines() if line.startswith("{")))


def warm_up(endpoint):
    status, _ = server.request(endpoint.method, endpoint.path, endpoint.headers, endpoint.body)
    if status != 200:
        raise SystemExit(f"{endpoint.name} answered {status}, not 200, before the load.")
    wrk(endpoint, WARM_UP_SECONDS)


def measure(endpoint, ceiling):
    """Load the endpoint and the static file in turns, ROUNDS times each, so that a slow spell of
    the machine weighs on both alike; each round's ratio compares the two side by side."""
    reports, ceiling_reports = [], []
    for _ in range(ROUNDS):
        reports.append(wrk(endpoint, SECONDS / ROUNDS))
        if endpoint is not ceiling:
            ceiling_reports.append(wrk(ceiling, SECONDS / ROUNDS))
    result = Result.from_reports(endpoint, reports)
    # The median of the rounds' ratios: one round caught in a slow spell does not decide it.
    result.ratio = statistics.median(
        rate(report) / rate(ceiling_report)
        for report, ceiling_report in zip(reports, ceiling_reports or reports, strict=True)
    )
    return result


def rate(report):
    return report["requests"] / (report["duration_us"] / 1e6)


def table(results):
    lines = [
        "| Endpoint | Requests/s | p50 ms | p99 ms | Errors | vs static file | Target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        targets = [f"≥ {result.min_ratio} of static"] if result.min_ratio is not None else []
        if result.p99_target:
            targets.append(f"p99 < {P99_LIMIT_MS} ms")
        target = ", ".join(targets) or "none (reported)"
        lines.append(
            f"| {result.name} | {result.requests_per_second:,.0f} | {result.p50_ms:.1f} "
            f"| {result.p99_ms:.1f} | {result.errors} | {result.ratio:.2f} | {target} |"
        )
    return "\n".join(lines)


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "gunicorn": "{workers} {worker_class} workers".format(
            **runpy.run_path(str(server.ROOT / "gunicorn.conf.py"))
        ),
        "cache": "Redis" if os.environ.get("REDIS_URL") else "local memory (per worker)",
        "connections": CONNECTIONS,
        "seconds": SECONDS,
    }


def main():
    if not shutil.which("wrk"):
        raise SystemExit("make bench needs wrk: apt-get install -y wrk")
    database_url = os.environ.get("DATABASE_URL") or server.DEFAULT_DATABASE_URL
    if database_url == server.DEFAULT_DATABASE_URL:
        server.recreate_database(database_url)
    env = server.production_env(database_url)
    fixture = server.prepare(env)
    to_load = endpoints(fixture)
    with server.gunicorn(env, "bench-gunicorn.log"):
        results = []
        for endpoint in to_load:
            # Just before it is measured: every worker has loaded its code and connections, and
            # the patient's pages are cached again after the checklist build moved their
            # journal revision (as after any write of theirs).
            warm_up(endpoint)
            results.append(measure(endpoint, ceiling=to_load[0]))
    about = machine()
    print(f"\nmake bench: {CONNECTIONS} concurrent clients, {SECONDS} s per endpoint, on {about}")
    print(table(results))
    missed = [message for result in results for message in result.missed_targets()]
    server.save_and_exit(
        "bench",
        {"machine": about, "results": [asdict(r) for r in results], "missed": missed},
        missed,
        "Targets missed",
        "Every target met.",
    )


if __name__ == "__main__":
    main()
