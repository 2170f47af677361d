"""A valid body for creating each kind of journal record over the API, shared by the tests that
exercise every operation (the conformance test and the generated client's)."""

PAST_DAY = "2024-05-01"
PAST_MOMENT = "2024-05-01T09:30:00Z"

VALID_BODIES = {
    "entries": {"date": PAST_DAY, "focus": 6, "sleep_hours": "7.5"},
    "side_effects": {"other_name": "Headache", "severity": 3, "occurred_at": PAST_MOMENT},
    "blood_pressure": {"measured_at": PAST_MOMENT, "systolic": 185, "diastolic": 122},
    "infusions": {"date": PAST_DAY, "systolic_before": 130, "diastolic_before": 85},
    "medications": {"name": "Atomoxetine", "started": PAST_DAY},
}
