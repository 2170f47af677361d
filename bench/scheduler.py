"""The scheduler under `make bench`: how long one tick takes to find and queue the reminders of
N patients that are all due at once (target: under 60 s for 10,000), and how much its memory grows
(it should not grow with N: the job reads the due reminders a page at a time). Each measurement
runs in a fresh process, after another process made the patients. See docs/performance.md.
"""

import datetime
import json
import resource
import subprocess
import sys
import time

from . import server

SIZES = (1_000, 10_000)
SECONDS_LIMIT = 60


def make_due_patients(count):
    """count patients with an e-mail address, in UTC without quiet hours, whose daily check-in
    reminder was due a minute ago."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from journal.models import AccountPreferences, Reminder, ReminderDelivery, ReminderKind

    users = get_user_model().objects
    ReminderDelivery.objects.all().delete()
    users.filter(username__startswith="remind-").delete()
    made = users.bulk_create(
        users.model(username=f"remind-{n}", email=f"remind-{n}@example.org", password="!")
        for n in range(count)
    )
    AccountPreferences.objects.bulk_create(
        AccountPreferences(user=user, time_zone="UTC", quiet_start=None, quiet_end=None)
        for user in made
    )
    due = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(
            user=user,
            kind=ReminderKind.CHECK_IN,
            enabled=True,
            enabled_at=due - datetime.timedelta(days=1),
            time_of_day=due.time(),
            next_due_at=due,
        )
        for user in made
    )


def measure_one_tick():
    """One run of the reminders job, timed, with the process's peak memory (resident set)
    before it and at its end: the tick needs what the process holds at its end, at most."""
    from django.utils import timezone

    from journal.tasks import find_due_reminders

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    answer = find_due_reminders(now=timezone.now())
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_memory_mb": after / 1024,
                "memory_growth_mb": (after - before) / 1024,
                "answer": answer,
            }
        )
    )


def measure(env):
    """The scheduler's rows for the bench: one per size, each in fresh processes."""
    results = []
    for count in SIZES:
        command = [sys.executable, "-m", "bench.scheduler"]
        subprocess.run([*command, "prepare", str(count)], cwd=server.ROOT, env=env, check=True)
        output = subprocess.run(
            [*command, "measure"],
            cwd=server.ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append({"patients": count, **json.loads(output.splitlines()[-1])})
    return results


def table(results):
    lines = [
        "| Patients with a reminder due | Seconds to queue them | Peak memory MB | Growth MB "
        "| Target |"
    ]
    lines.append("|---:|---:|---:|---:|---|")
    for r in results:
        missed = " (missed)" if r["seconds"] >= SECONDS_LIMIT else ""
        lines.append(
            f"| {r['patients']:,} | {r['seconds']:.1f} | {r['peak_memory_mb']:.0f} "
            f"| {r['memory_growth_mb']:.1f} "
            f"| under {SECONDS_LIMIT} s; memory flat{missed} |"
        )
    return "\n".join(lines)


def missed_targets(results):
    return [
        f"scheduler: {r['seconds']:.1f} s for {r['patients']:,} patients, "
        f"target under {SECONDS_LIMIT} s"
        for r in results
        if r["seconds"] >= SECONDS_LIMIT
    ]


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "prepare":
        make_due_patients(int(sys.argv[2]))
    else:
        measure_one_tick()
