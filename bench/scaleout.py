"""`make scaleout`: two app hosts behind HAProxy on this machine, and what that shows.

Hosts A and B run gunicorn with production settings, each in its own network namespace joined to
the root namespace by a veth pair (a /30 each). They share PostgreSQL (its unix socket reaches
into a namespace) and a Redis started here on a unix socket (cache, sessions, content stamp).
HAProxy balances them and checks /healthz every 500 ms (bench/scaleout_haproxy.cfg says what it
retries). Each check prints a PASS/FAIL line; the results go to bench/results/scaleout-*.json
and a FAIL exits 1. Everything started here is removed on the way out, after a failure, Ctrl-C
or the time limit too. Needs root, iproute2, haproxy, wrk and redis-server.
"""

import csv
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import suppress
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "scaleout-logs"
RUN = Path("/tmp/portal-scaleout")  # sockets, HAProxy's config, the pids started
PORT = int(os.environ.get("SCALEOUT_PORT", "8790"))
SITE = f"127.0.0.1:{PORT}"  # the balancer: the Host of every request
HOSTS = {"a": "10.77.1", "b": "10.77.2"}  # .1 on the root side of the veth, .2 in the namespace
APP_PORT = 8000
ENTRIES = "/api/v1/journal/entries/"
READINGS = "/api/v1/journal/blood-pressure/"  # unlike entries (one per date), added at will
TIME_LIMIT, LOAD_SECONDS, KILL_AFTER, WRK_SECONDS = 170, 6, 2, 8
STARTED = []  # processes started here, stopped in reverse order


def sh(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True, timeout=60).stdout


def start(name, args, env=None):
    """A process in its own session (Ctrl-C reaches this script, which stops it)."""
    with open(LOGS / f"{name}.log", "w") as log:
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    STARTED.append(process)
    with open(RUN / "pids", "a") as pids:
        pids.write(f"{process.pid}\n")
    return process


def create_host(host, env):
    """A namespace, a veth pair into it, and gunicorn inside it."""
    net, ns, veth = HOSTS[host], f"scaleout-{host}", f"so-{host}"
    sh("ip", "netns", "add", ns)
    sh("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
    sh("ip", "addr", "add", f"{net}.1/30", "dev", veth)
    sh("ip", "link", "set", veth, "up")
    sh("ip", "-n", ns, "addr", "add", f"{net}.2/30", "dev", "eth0")
    sh("ip", "-n", ns, "link", "set", "eth0", "up")
    sh("ip", "-n", ns, "link", "set", "lo", "up")
    gunicorn = ["-m", "gunicorn", "portal.wsgi", "--no-control-socket", "-c", "gunicorn.conf.py"]
    command = ["ip", "netns", "exec", ns, sys.executable, *gunicorn]
    return start(host, command, {**env, "GUNICORN_BIND": f"{net}.2:{APP_PORT}"})


def teardown():
    """Stops what this run, or a run killed before it, started. Safe to repeat."""
    for process in reversed(STARTED):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    STARTED.clear()
    with suppress(FileNotFoundError):
        for pid in (RUN / "pids").read_text().split():  # a killed run's HAProxy and Redis
            with suppress(OSError):
                if str(RUN).encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.killpg(int(pid), signal.SIGKILL)
    for host in HOSTS:
        for pid in sh("ip", "netns", "pids", f"scaleout-{host}", check=False).split():
            with suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        sh("ip", "netns", "delete", f"scaleout-{host}", check=False)
        sh("ip", "link", "delete", f"so-{host}", check=False)
    shutil.rmtree(RUN, ignore_errors=True)


def haproxy_config(port, hosts, run_dir):
    servers = [f"    server {host} {net}.2:{APP_PORT} check" for host, net in hosts.items()]
    template = (ROOT / "bench" / "scaleout_haproxy.cfg").read_text()
    return template.format(port=port, run_dir=run_dir, servers="\n".join(servers))


def haproxy(command):
    """HAProxy's answer to a command on its runtime socket."""
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(str(RUN / "haproxy.sock"))
        connection.sendall(command.encode() + b"\n")
        return b"".join(iter(lambda: connection.recv(65536), b"")).decode()


def servers():
    rows = csv.DictReader(haproxy("show stat").lstrip("# ").splitlines())
    return {row["svname"]: row for row in rows if row["pxname"] == "app" and row["svname"] in HOSTS}


def wait_for(condition, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with suppress(OSError, HTTPException):
            if condition():
                return
        time.sleep(0.1)
    raise SystemExit(f"Waited {seconds} s for {what}; see {LOGS.relative_to(ROOT)}/.")


def prepare(env):
    """A new database: the clinic's article with a draft change, a patient, an editor, a
    reviewer. Runs in this process, which later reads the database to check the writes."""
    import psycopg

    with psycopg.connect("dbname=postgres user=postgres host=/var/run/postgresql") as admin:
        admin.autocommit = True
        admin.execute("DROP DATABASE IF EXISTS portal_scaleout WITH (FORCE)")
        admin.execute("CREATE DATABASE portal_scaleout")
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import override_settings
    from rest_framework.authtoken.models import Token

    from education.models import FAQ, Contributor
    from education.roles import ensure_content_editors_group, ensure_medical_reviewers_group
    from lib.two_factor import new_backup_codes

    call_command("migrate", verbosity=0)
    call_command("load_seed_content", verbosity=0)
    # The file names production uses (Django's manifest), without whitenoise compressing every
    # file on top, which takes 2.5 minutes here: the checks read pages, not static files.
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)
    password, users = secrets.token_urlsafe(12), {}
    for name, group in [("patient", None), ("editor", ensure_content_editors_group),
                        ("reviewer", ensure_medical_reviewers_group)]:  # fmt: skip
        users[name] = get_user_model().objects.create_user(
            name, password=password, is_staff=bool(group)
        )
        users[name].groups.set([group()] if group else [])
    Contributor.objects.create(user=users["reviewer"], name="Dr Scale", credentials="MD (check)")
    # A change the editor saved in the admin: a draft, which the public sees once approved.
    faq = FAQ.objects.drafts().select_related("section__article").first()
    sentence = f"Checked on two hosts ({secrets.token_hex(4)})."
    faq.answer = f"{faq.answer} {sentence}"
    faq.save()
    return {
        "password": password,
        # Staff reach the admin only with a second factor (lib.two_factor): a backup code each.
        "backup_codes": {
            name: new_backup_codes(user=users[name])[0] for name in ("editor", "reviewer")
        },
        "token": Token.objects.create(user=users["patient"]).key,
        "sentence": sentence,
        "article": faq.section.article_id,
        "article_path": faq.section.article.get_absolute_url(),
    }


def call(method, path, host=None, cookies=None, form=None, headers=None, body=None):
    """One request, to a host directly (as HAProxy sends it) or, without host, through HAProxy:
    (status, text, headers). cookies is a dict the answer's cookies go into (Secure ones too)."""
    cookies = {} if cookies is None else cookies
    headers = {"Host": SITE, "X-Forwarded-Proto": "https", **(headers or {})}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if form is not None:  # as a browser posts a form of the page, with its CSRF token
        body = urlencode({"csrfmiddlewaretoken": cookies.get("csrftoken", ""), **form})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://{SITE}"
    where = (f"{HOSTS[host]}.2", APP_PORT) if host else ("127.0.0.1", PORT)
    connection = HTTPConnection(*where, timeout=10)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            cookies[name] = rest.split(";")[0]
        return response.status, response.read().decode(), response.headers
    finally:
        connection.close()


def sign_in(host, path, username, password):
    """The status of the sign-in form's answer, and the browser's cookies."""
    cookies = {}
    call("GET", path, host, cookies)
    form = {"username": username, "password": password}
    return call("POST", path, host, cookies, form=form)[0], cookies


def staff_sign_in(host, username, fixture, steps):
    """A staff member signs in to the admin with their password, then a backup code as the
    second factor; each answer's status goes into steps. Returns the browser's cookies."""
    steps[f"{username} signs in"], cookies = sign_in(
        host, "/admin/login/", username, fixture["password"]
    )
    code = {"code": fixture["backup_codes"][username]}
    steps[f"{username} verifies a second factor"] = call(
        "POST", "/accounts/two-factor/verify/", host, cookies, form=code
    )[0]
    return cookies


def check_session(fixture):
    """A patient signed in through A (A's login form and session cookie) is served by B."""
    signed_in, patient = sign_in("a", "/accounts/login/", "patient", fixture["password"])
    status, page, _ = call("GET", "/journal/", "b", patient)
    return patient, {
        "signed_in_through_a": signed_in,
        "journal_through_b": status,
        "passed": signed_in == 302 and status == 200 and "My journal" in page,
        "line": f"a patient signed in through A: GET /journal/ through B answers {status}",
    }


def check_edit(fixture, patient):
    """Through A, a journal entry is written and a reviewer publishes a change; B shows both on
    its next request (its cached pages included)."""
    token = {"Authorization": f"Token {fixture['token']}"}
    entry = json.dumps({"mood": 7, "notes": "Written through host A."})
    headers = {**token, "Content-Type": "application/json"}
    status, body, _ = call("POST", ENTRIES, "a", headers=headers, body=entry)
    entry = json.loads(body)["id"] if status == 201 else None
    journal = {
        "written_through_a": status,
        "on_b_dashboard": f"/journal/entries/{entry}/" in call("GET", "/journal/", "b", patient)[1],
        "on_b_api": call("GET", f"{ENTRIES}{entry}/", "b", headers=token)[0],
    }
    article, sentence = fixture["article_path"], fixture["sentence"]
    before = [sentence in call("GET", article, "b")[1] for _ in range(2)]  # the 2nd from B's cache
    admin = f"/admin/education/article/{fixture['article']}"
    steps = {}
    editor = staff_sign_in("a", "editor", fixture, steps)
    steps["editor submits"] = call("POST", f"{admin}/submit/", "a", editor, form={})[0]
    reviewer = staff_sign_in("a", "reviewer", fixture, steps)
    review = call("GET", f"{admin}/review/", "a", reviewer)[1]
    seen = re.search(r'name="seen" value="([^"]+)"', review)
    approval = {"action": "approve", "seen": seen[1] if seen else ""}
    steps["reviewer approves"] = call("POST", f"{admin}/review/", "a", reviewer, form=approval)[0]
    approved = time.monotonic()
    shown = sentence in call("GET", article, "b")[1]
    seconds = round(time.monotonic() - approved, 3)
    journal_seen = journal == {"written_through_a": 201, "on_b_dashboard": True, "on_b_api": 200}
    published = set(steps.values()) == {302} and not any(before) and shown
    return {
        "journal": journal,
        "publication_steps_through_a": steps,
        "public_on_b": {"before": any(before), "next_request": shown, "seconds": seconds},
        "passed": journal_seen and published,
        "line": "an edit through A is on B at once: a journal entry written through A's API is "
        "on B's dashboard and API; the change a reviewer approved on A's review screen is on B's "
        f"article page, answered {seconds} s after the approval",
    }


def timed(kind, method, path, headers, body=None, notes=None):
    """A request through HAProxy: when, who answered, how, and the entry's id if one was made."""
    record = {"kind": kind, "began": time.monotonic(), "status": 0, "by": "", "id": None}
    with suppress(OSError, HTTPException):
        status, answer, response = call(method, path, headers=headers, body=body)
        record.update(status=status, by=response.get("X-Served-By", ""))
        if status == 201:
            record["id"] = json.loads(answer)["id"]
    return {**record, "ended": time.monotonic(), "notes": notes}


def failover_summary(records, killed_at, down_at):
    """What the clients saw around host A's end (times in seconds after it)."""
    failed = [r for r in records if r["status"] not in (200, 201)]
    off_b = [
        r["ended"]
        for r in records
        if r["ended"] > killed_at and (r["status"] not in (200, 201) or r["by"] != "b")
    ]
    return {
        "requests": len(records),
        "failed": len(failed),
        "failed_statuses": dict(Counter(str(r["status"]) for r in failed)),
        "failed_after_a_was_down": sum(r["began"] > down_at for r in failed) if down_at else None,
        "seconds_until_a_down": round(down_at - killed_at, 3) if down_at else None,
        "seconds_until_all_on_b": round(max(off_b, default=killed_at) - killed_at, 3),
    }


def check_failover(fixture, host_a):
    """API writes and reads of blood-pressure readings through HAProxy; host A's gunicorn is
    killed KILL_AFTER seconds in."""
    from journal.models import BloodPressureReading

    token = {"Authorization": f"Token {fixture['token']}", "Content-Type": "application/json"}
    records, stop = [], threading.Event()

    def writer(n):
        for i in itertools.takewhile(lambda _: not stop.is_set(), itertools.count()):
            # A minute ago (UTC) is never in the future, whatever the clock says when it arrives.
            measured_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))
            reading = {"measured_at": measured_at, "systolic": 120, "diastolic": 80}
            body = json.dumps({**reading, "notes": f"load {n}.{i}"})
            records.append(timed("write", "POST", READINGS, token, body, notes=f"load {n}.{i}"))

    def reader():
        while not stop.is_set():
            records.append(timed("read", "GET", READINGS, token))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(KILL_AFTER)
    killed_at, down_at = time.monotonic(), None
    os.killpg(host_a.pid, signal.SIGKILL)  # the master and its workers at once, as in a crash
    while time.monotonic() < killed_at + LOAD_SECONDS - KILL_AFTER:
        if not down_at and servers()["a"]["status"].startswith("DOWN"):
            down_at = time.monotonic()
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    result = failover_summary(records, killed_at, down_at)
    answered = {r["id"] for r in records if r["status"] == 201}
    stored = set(BloodPressureReading.objects.filter(pk__in=answered).values_list("pk", flat=True))
    failed_writes = [r["notes"] for r in records if r["kind"] == "write" and r["status"] != 201]
    result.update(
        writes_answered_201=len(answered),
        answered_writes_missing=len(answered - stored),
        failed_writes=len(failed_writes),
        failed_writes_stored_anyway=BloodPressureReading.objects.filter(
            notes__in=failed_writes
        ).count(),
    )
    result["passed"] = (
        bool(answered) and not (answered - stored) and result["failed_after_a_was_down"] == 0
    )
    result["line"] = (
        f"A killed under load: {len(answered)} writes answered 201, {len(answered - stored)} "
        f"missing; {result['failed']} of {result['requests']} requests failed "
        f"{result['failed_statuses']}, {result['failed_writes_stored_anyway']} of them stored; "
        f"all traffic on B {result['seconds_until_all_on_b']} s after the kill, A marked down "
        f"after {result['seconds_until_a_down']} s"
    )
    return result


def parse_wrk(text):
    """Requests/s, and errors: socket errors and answers other than 2xx or 3xx."""
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s*([\d.]+)", text)[1]),
        "errors": sum(int(n) for n in (errors.groups() if errors else ()))
        + int(non_2xx[1] if non_2xx else 0),
    }


def check_throughput(path):
    """wrk through HAProxy with host B in maintenance (one host), then with both."""
    result = {}
    for hosts, state, status in [("1_host", "maint", "MAINT"), ("2_hosts", "ready", "UP")]:
        haproxy(f"set server app/b state {state}")
        wait_for(lambda status=status: servers()["b"]["status"] == status, f"B {status}")
        before = {host: int(row["stot"]) for host, row in servers().items()}
        wrk = parse_wrk(sh("wrk", "-t2", "-c16", f"-d{WRK_SECONDS}s", f"http://{SITE}{path}"))
        served = {host: int(row["stot"]) - before[host] for host, row in servers().items()}
        result[hosts] = {**wrk, "share_served_by_b": round(served["b"] / sum(served.values()), 2)}
    one, two = result["1_host"], result["2_hosts"]
    result["passed"] = one["errors"] == two["errors"] == 0
    result["line"] = (
        f"requests/s through HAProxy, anonymous article page, {WRK_SECONDS} s each: one host "
        f"{one['requests_per_second']:.0f}, two hosts {two['requests_per_second']:.0f} (B served "
        f"{two['share_served_by_b']:.0%}); errors {one['errors']} and {two['errors']}"
    )
    return result


def run():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),  # the same on both hosts: sessions, CSRF
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": "postgres://postgres@/portal_scaleout?host=/var/run/postgresql",
        "REDIS_URL": f"unix://{RUN}/redis.sock",
        "TRUSTED_PROXIES": "1",  # HAProxy appends each client's address to X-Forwarded-For
        # The load comes from one address; the API's per-client limits would turn it away.
        "API_ANON_RATE": "off",
        "API_USER_RATE": "off",
    }
    start(
        "redis", ["redis-server", "--port", "0", "--unixsocket", f"{RUN}/redis.sock", "--save", ""]
    )
    wait_for((RUN / "redis.sock").exists, "Redis")
    began = time.monotonic()
    fixture = prepare(env)
    print(f"Database portal_scaleout ready in {time.monotonic() - began:.0f} s.")
    hosts = {host: create_host(host, env) for host in HOSTS}
    for host in HOSTS:
        wait_for(lambda host=host: call("GET", "/healthz", host)[0] == 200, f"{host}'s /healthz")
    (RUN / "haproxy.cfg").write_text(haproxy_config(PORT, HOSTS, RUN))
    start("haproxy", ["haproxy", "-db", "-f", str(RUN / "haproxy.cfg")])
    wait_for(lambda: [s["status"] for s in servers().values()] == ["UP", "UP"], "both hosts UP")
    print(f"Hosts a ({HOSTS['a']}.2) and b ({HOSTS['b']}.2) behind HAProxy on {SITE}.")
    patient, session = check_session(fixture)  # first: its cookie reads B's dashboard next
    results = {"edit": check_edit(fixture, patient), "session": session}
    results["throughput"] = check_throughput(fixture["article_path"])
    results["failover"] = check_failover(fixture, hosts["a"])  # last: host A does not come back
    return results


def main():
    if os.geteuid() != 0:
        sys.exit("make scaleout creates network namespaces: run it as root.")
    for tool in ["ip", "haproxy", "wrk", "redis-server"]:
        if not shutil.which(tool):
            sys.exit(f"make scaleout needs {tool} (the Makefile installs haproxy and wrk).")

    def stop(signum, frame):
        raise SystemExit(f"Stopped by {signal.Signals(signum).name}.")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(TIME_LIMIT)
    teardown()
    load = round(os.getloadavg()[0], 2)  # other work on the machine moves the numbers
    print(f"{os.cpu_count()} cores, load average {load} at the start.")
    RUN.mkdir(parents=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    try:
        results = run()
    except KeyboardInterrupt:
        sys.exit("Interrupted.")
    finally:
        signal.alarm(0)
        teardown()
    print(
        "\n"
        + "\n".join(f"{'PASS' if r['passed'] else 'FAIL'}  {r['line']}" for r in results.values())
    )
    machine = {"cores": os.cpu_count(), "load_average_at_start": load}
    path = RESULTS / f"scaleout-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"machine": machine, **results}, indent=2))
    print(f"Saved to {path.relative_to(ROOT)}. Namespaces, veths and processes are removed.")
    sys.exit(0 if all(result["passed"] for result in results.values()) else 1)


if __name__ == "__main__":
    main()
