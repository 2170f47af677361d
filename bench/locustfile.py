"""The soak's patients: each, with a token from SOAK_TOKENS, reads its blood-pressure readings or
adds one (unlike journal entries, readings are unlimited). Every answer goes to SOAK_RECORDS."""

import itertools
import json
import os
import time

from locust import FastHttpUser, constant, events, task

TOKENS = itertools.cycle(os.environ["SOAK_TOKENS"].split(","))
RECORDS = []
READINGS = "/api/v1/journal/blood-pressure/"


class Patient(FastHttpUser):
    wait_time = constant(0)
    network_timeout = connection_timeout = 5.0  # an answer slower than this is a hang
    default_headers = {"X-Forwarded-Proto": "https"}  # as the load balancer sends

    def on_start(self):
        self.headers = {"Authorization": f"Token {next(TOKENS)}"}

    @task(3)
    def read_readings(self):
        self.client.get(READINGS, headers=self.headers, name="read")

    @task(1)
    def write_reading(self):
        # A minute ago (UTC) is never in the future, whatever the clock says when it arrives.
        measured_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))
        reading = dict(measured_at=measured_at, systolic=120, diastolic=80, notes="make soak")
        self.client.post(READINGS, json=reading, headers=self.headers, name="write")


@events.request.add_listener
def record(start_time, response_time, response, **_):
    status = response.status_code or 0  # 0: no answer
    RECORDS.append(
        {
            "started": start_time,  # seconds since the epoch
            "seconds": response_time / 1000,
            "status": status,
            "retry_after": status == 503 and "Retry-After" in response.headers,
            "id": response.json()["id"] if status == 201 else None,  # the new reading's
        }
    )


@events.quitting.add_listener
def save(**_):
    with open(os.environ["SOAK_RECORDS"], "w") as file:
        json.dump(RECORDS, file)
