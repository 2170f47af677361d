"""The soak's patients (Locust, started by bench/soak.py): each with its own API token from
SOAK_TOKENS reads its journal entries or writes one (one request in four), one request after
another. Every answer is recorded and saved to SOAK_RECORDS at the end, for soak.py's checks.
"""

import itertools
import json
import os
import time

from locust import FastHttpUser, constant, events, task

TOKENS = itertools.cycle(os.environ["SOAK_TOKENS"].split(","))
RECORDS = []


class Patient(FastHttpUser):
    wait_time = constant(0)
    network_timeout = connection_timeout = 5.0  # an answer slower than this is a hang
    default_headers = {"X-Forwarded-Proto": "https"}  # as the load balancer sends

    def on_start(self):
        self.headers = {"Authorization": f"Token {next(TOKENS)}"}

    @task(3)
    def read_entries(self):
        self.client.get("/api/v1/journal/entries/", headers=self.headers, name="read")

    @task(1)
    def write_entry(self):
        # Yesterday (UTC) is never in the future, whatever the clock says when it arrives.
        day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
        entry = {"date": day, "focus": 5, "notes": "written by make soak"}
        self.client.post("/api/v1/journal/entries/", json=entry, headers=self.headers, name="write")


@events.request.add_listener
def record(start_time, response_time, response, **_):
    status = response.status_code or 0  # 0: no answer
    RECORDS.append(
        {
            "started": start_time,  # seconds since the epoch
            "seconds": response_time / 1000,
            "status": status,
            "retry_after": status == 503 and "Retry-After" in response.headers,
            "id": response.json()["id"] if status == 201 else None,  # the new entry's
        }
    )


@events.quitting.add_listener
def save(**_):
    with open(os.environ["SOAK_RECORDS"], "w") as file:
        json.dump(RECORDS, file)
