"""`make soak`: SOAK_CLIENTS patients (32, bench/locustfile.py) read and write readings through
the API for SOAK_SECONDS (180); PostgreSQL stops for 10 s halfway. See docs/performance.md. The
functions down to table() only compute.
"""

import json
import os
import signal
import subprocess
import sys
import time

from . import server

CLIENTS = int(os.environ.get("SOAK_CLIENTS", "32"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "180"))
OUTAGE_SECONDS = 10
RECORDS = server.RESULTS / "soak-requests.json"


def during(record, window):
    """Whether the request was under way during the outage window: from PostgreSQL's stop until
    /healthz answers 200 again, plus 1 s for answers under way."""
    return record["started"] <= window[1] and record["started"] + record["seconds"] >= window[0]


def ok(record):
    return 200 <= record["status"] < 300


def clear_503(record):
    return record["status"] == 503 and record["retry_after"]


def checks(records, stored_ids, window, health, restarts):
    """(check, measured, target, passed) for each check of the run."""
    inside = [r for r in records if during(r, window)]
    outside = [r for r in records if not during(r, window)]
    written = {r["id"] for r in records if r["status"] == 201}
    slowest = max((r["seconds"] for r in inside), default=0.0)
    answered_503 = sum(map(clear_503, inside))
    other_failures = sum(not (ok(r) or clear_503(r)) for r in inside)
    failed_outside = sum(not ok(r) for r in outside)
    after = sum(ok(r) for r in outside if r["started"] > window[1])
    # The /healthz statuses in order, each change once, e.g. [200, 503, 200].
    healthz = [s for i, (_, s) in enumerate(health) if not i or health[i - 1][1] != s]
    return [
        ("writes answered 201", len(written), "> 0", bool(written)),
        ("writes answered 201 not stored", len(written - stored_ids), "0", written <= stored_ids),
        ("readings stored without a 201", len(stored_ids - written), "0", stored_ids <= written),
        ("answers other than 2xx outside the outage", failed_outside, "0", not failed_outside),
        ("503 with Retry-After during the outage", answered_503, "> 0", answered_503 > 0),
        ("other failures during the outage", other_failures, "0", not other_failures),
        ("slowest answer during the outage", f"{slowest:.2f} s", "< 5 s", slowest < 5),
        ("/healthz", " → ".join(map(str, healthz)), "200 → 503 → 200", healthz == [200, 503, 200]),
        ("answered 2xx after the outage", after, "> 0", after > 0),
        ("gunicorn restarts (master or workers)", restarts, "0", restarts == 0),
    ]


def table(rows):
    lines = ["| Check | Measured | Target | Passed |", "|---|---:|---|---|"]
    for check, measured, target, passed in rows:
        lines.append(f"| {check} | {measured} | {target} | {'yes' if passed else 'NO'} |")
    return "\n".join(lines)


def outage():
    """Stops the local PostgreSQL for OUTAGE_SECONDS and starts it again, whatever happens,
    asking /healthz every half second meanwhile: the outage window and [(time, status)]."""
    cluster = f"pg_ctlcluster --skip-systemctl-redirect {max(os.listdir('/etc/postgresql'))} main"
    health = [(time.time(), server.health())]
    began = time.time()
    try:
        subprocess.run(f"{cluster} stop", shell=True, check=True, capture_output=True)
        while time.time() < began + OUTAGE_SECONDS:
            health.append((time.time(), server.health()))
            time.sleep(0.5)
    finally:
        subprocess.run(f"{cluster} start", shell=True, check=True, capture_output=True)
    while health[-1][1] != 200 and time.time() < began + 120:
        health.append((time.time(), server.health()))
        time.sleep(0.1)
    return (began, health[-1][0] + 1), health


def soak(env, tokens):
    """Locust for SECONDS with the outage in the middle: (window, /healthz, gunicorn restarts)."""
    env = {**env, "SOAK_TOKENS": ",".join(tokens), "SOAK_RECORDS": str(RECORDS)}
    locust = [sys.executable, "-m", "locust", "-f", str(server.ROOT / "bench" / "locustfile.py")]
    locust += f"--headless --only-summary -u {CLIENTS} -r {CLIENTS} -t {SECONDS}s".split()
    # At the end each user finishes its request (up to 10 s), so every write gets its answer.
    locust += ["--stop-timeout", "10", "-H", f"http://{server.HOST}:{server.PORT}"]
    with server.gunicorn(env, "soak-gunicorn.log") as gunicorn:
        with open(server.RESULTS / "soak-locust.log", "w") as log:
            process = subprocess.Popen(locust, env=env, stdout=log, stderr=log)
            time.sleep((SECONDS - OUTAGE_SECONDS) / 2)
            window, health = outage()
            process.wait(timeout=SECONDS + 60)
        boots = (server.RESULTS / "soak-gunicorn.log").read_text().count("Booting worker")
        restarts = boots - server.WORKERS + (gunicorn.poll() is not None)
    return window, health, restarts


def main():
    # A plain kill (or `timeout`) ends the run through the block that starts PostgreSQL again.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    env = server.production_env("portal_soak", redis_db=4)
    tokens = server.prepare(env, journal_days=60, patients=CLIENTS)["tokens"]
    RECORDS.unlink(missing_ok=True)
    window, health, restarts = soak(env, tokens)
    if not RECORDS.exists():
        raise SystemExit(f"Locust recorded nothing; see {server.RESULTS / 'soak-locust.log'}")
    records = json.loads(RECORDS.read_text())
    from django.db import connection

    from journal.models import BloodPressureReading

    connection.close()  # PostgreSQL was restarted under it
    stored = BloodPressureReading.objects.filter(user__username__startswith="soak-")
    rows = checks(records, set(stored.values_list("id", flat=True)), window, health, restarts)
    about = (
        f"{CLIENTS} Locust users, {SECONDS} s, {len(records) / SECONDS:,.0f} requests/s, outage "
        f"window {window[1] - window[0]:.1f} s, cache: {env['REDIS_URL'] or 'local memory'}"
    )
    print(f"\nmake soak: {about}\n{table(rows)}")
    server.save("soak", {"about": about, "checks": rows})
    if not all(passed for *_, passed in rows):
        raise SystemExit("Failed: " + "; ".join(check for check, *_, passed in rows if not passed))
    print("Every check passed.")


if __name__ == "__main__":
    main()
