"""`make bench`: wrk loads each page with BENCH_CONNECTIONS clients (32) for BENCH_SECONDS (15),
in rounds that alternate with a static file's (the ceiling); then the scheduler's tick
(bench/scheduler.py). See docs/performance.md. pooled_p99_us() to table() only compute.
"""

import json
import os
import statistics
import subprocess
from dataclasses import dataclass, field

from . import scheduler, server

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
ROUNDS = 5
P99_LIMIT_MS = 50  # for every read (GET)
ERROR_SUFFIXES = ("errors", "timeouts")  # of the counts wrk_report.lua prints


@dataclass
class Endpoint:
    name: str
    path: str
    headers: dict = field(default_factory=dict)
    method: str = "GET"
    body: str = ""
    min_ratio: float | None = None  # target: at least this share of the static file's requests/s


def endpoints(fixture):
    """What a burst of readers and signed-in patients asks for; the first is the ceiling."""
    session = {"Cookie": fixture["cookie"]}
    token = {"Authorization": f"Token {fixture['token']}", "Content-Type": "application/json"}
    article, checklist = fixture["article"], f"/checklists/{fixture['checklist']}"
    return [
        Endpoint("static file (ceiling)", fixture["static_file"]),
        Endpoint("/healthz", "/healthz"),
        Endpoint("article page", article, min_ratio=0.6),
        Endpoint("article (signed in)", article, session, min_ratio=0.3),
        Endpoint("/faq/", "/faq/"),
        Endpoint("/api/v1/faqs/", "/api/v1/faqs/", min_ratio=0.6),
        Endpoint("dashboard (signed in)", "/journal/", session, min_ratio=0.25),
        Endpoint("visit-prep sheet", f"{checklist}/sheet/", session),
        # A write of about twenty queries that no cache can answer: reported, with no target.
        Endpoint("checklist build (API)", f"/api/v1{checklist}/generate/", token, "POST", "{}"),
    ]


def pooled_p99_us(reports):
    """The p99 of all the rounds' requests taken together. Each round reports its slowest tenth
    in steps of 0.1 % of its requests; each step counts at the latency that ends it, so the answer
    errs on the slow side. Going down from the slowest, the p99 is where the steps passed hold
    more than 1 % of all the requests."""
    allowed = sum(report["requests"] for report in reports) / 100
    steps = [(us, report["requests"] / 1000) for report in reports for us in report["tail_us"][1:]]
    slower = 0.0
    for latency, requests in sorted(steps, reverse=True):
        slower += requests
        if slower > allowed:
            return latency
    return min(steps)[0]


def summarise(endpoint, reports, ceiling_reports):
    """One result from the endpoint's rounds and the static file's rounds between them. Requests/s
    and p99 are over all the rounds' requests; p50 is the slowest round's. The ratio is the median
    of the rounds' ratios, each comparing two measurements taken side by side."""
    seconds = sum(report["duration_us"] for report in reports) / 1e6
    return {
        "name": endpoint.name,
        "requests_per_second": sum(report["requests"] for report in reports) / seconds,
        "p50_ms": max(report["p50_us"] for report in reports) / 1000,
        "p99_ms": pooled_p99_us(reports) / 1000,
        "errors": sum(n for r in reports for key, n in r.items() if key.endswith(ERROR_SUFFIXES)),
        # max(…, 1): in a very short round, no request may have been answered.
        "ratio": statistics.median(
            r["requests"] / r["duration_us"] * c["duration_us"] / max(c["requests"], 1)
            for r, c in zip(reports, ceiling_reports, strict=True)
        ),
        "min_ratio": endpoint.min_ratio,
        "p99_target": endpoint.method == "GET",  # every read has it
    }


def missed_targets(result):
    """The targets the result missed, in words; empty when it met them all."""
    missed = [f"{result['errors']} errors"] if result["errors"] else []
    if result["p99_target"] and result["p99_ms"] >= P99_LIMIT_MS:
        missed.append(f"p99 {result['p99_ms']:.1f} ms is not under {P99_LIMIT_MS} ms")
    if result["min_ratio"] is not None and result["ratio"] < result["min_ratio"]:
        missed.append(f"{result['ratio']:.2f} of the static file, target {result['min_ratio']}")
    return [f"{result['name']}: {message}" for message in missed]


def table(results):
    lines = ["| Endpoint | Requests/s | p50 ms | p99 ms | Errors | vs static file | Target |"]
    lines.append("|---|---:|---:|---:|---:|---:|---|")
    for r in results:
        targets = [f"≥ {r['min_ratio']} of static"] if r["min_ratio"] is not None else []
        targets += [f"p99 < {P99_LIMIT_MS} ms"] if r["p99_target"] else []
        target = ", ".join(targets) or "0 errors; speed reported"
        lines.append(
            f"| {r['name']} | {r['requests_per_second']:,.0f} | {r['p50_ms']:.1f} "
            f"| {r['p99_ms']:.1f} | {r['errors']} | {r['ratio']:.2f} "
            f"| {target}{' (missed)' if missed_targets(r) else ''} |"
        )
    return "\n".join(lines)


def wrk(endpoint, seconds):
    server.request("GET", "/healthz", timeout=60)  # answered once the last run's queue is done
    script = server.ROOT / "bench" / "wrk_report.lua"
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "-s", str(script)]
    for name, value in {**server.PROXY_HEADERS, **endpoint.headers}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{server.HOST}:{server.PORT}{endpoint.path}")
    env = {**os.environ, "WRK_METHOD": endpoint.method, "WRK_BODY": endpoint.body}
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(next(line for line in output.splitlines() if line.startswith("{")))


def measure(endpoint, ceiling):
    """Checks for a 200, warms up for 2 s, then loads the endpoint and the static file in turns."""
    status, _ = server.request(endpoint.method, endpoint.path, endpoint.headers, endpoint.body)
    if status != 200:
        raise SystemExit(f"{endpoint.name} answered {status}, not 200, before the load.")
    wrk(endpoint, 2)
    reports, ceiling_reports = [], []
    for _ in range(ROUNDS):
        reports.append(wrk(endpoint, SECONDS / ROUNDS))
        if endpoint is not ceiling:
            ceiling_reports.append(wrk(ceiling, SECONDS / ROUNDS))
    return summarise(endpoint, reports, ceiling_reports or reports)


def main():
    env = server.production_env("portal_bench", redis_db=3)
    to_load = endpoints(server.prepare(env))
    with server.gunicorn(env, "bench-gunicorn.log"):
        results = [measure(endpoint, ceiling=to_load[0]) for endpoint in to_load]
    about = (
        f"{CONNECTIONS} clients, {SECONDS} s per endpoint, {os.cpu_count()} cores, "
        f"{server.WORKERS} gunicorn sync workers, cache: {env['REDIS_URL'] or 'local memory'}"
    )
    reminders = scheduler.measure(env)
    print(f"\nmake bench: {about}\n{table(results)}\n\n{scheduler.table(reminders)}")
    missed = [message for result in results for message in missed_targets(result)]
    missed += scheduler.missed_targets(reminders)
    server.save("bench", dict(about=about, results=results, scheduler=reminders, missed=missed))
    if missed:
        raise SystemExit("Targets missed:\n  " + "\n  ".join(missed))
    print("Every target met.")


if __name__ == "__main__":
    main()
