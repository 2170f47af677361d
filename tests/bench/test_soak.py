"""`make soak`'s checks, from what Locust, /healthz and the database recorded (no server)."""

from bench.soak import checks

# The database stopped at 100 s and /healthz said 200 again at 112 s: the window ends at 113 s.
WINDOW = (100, 113)
HEALTH = [(90, 200), (95, 200), (101, 503), (105, 503), (112, 200), (120, 200)]


def answer(started, status=200, seconds=0.01, retry_after=False, record_id=None):
    return {
        "started": started,
        "seconds": seconds,
        "status": status,
        "retry_after": retry_after,
        "id": record_id,
    }


def good_run():
    return [
        answer(90),
        answer(91, 201, record_id=1),
        answer(104, 503, retry_after=True),
        answer(106, 200),  # an answer the cache could give without the database
        answer(130, 201, record_id=2),
        answer(131),
    ]


def failed(records, stored_ids=frozenset({1, 2}), health=HEALTH, restarts=0):
    rows = checks(records, set(stored_ids), WINDOW, health, restarts)
    return [check for check, _, _, passed in rows if not passed]


def test_a_run_with_only_clear_503s_during_the_outage_passes_every_check():
    assert failed(good_run()) == []


def test_a_write_answered_201_but_not_stored_fails_the_run():
    assert failed(good_run(), stored_ids={1}) == ["writes answered 201 not stored"]


def test_a_reading_stored_without_a_201_fails_the_run():
    assert failed(good_run(), stored_ids={1, 2, 3}) == ["readings stored without a 201"]


def test_a_run_without_any_write_answered_201_fails():
    records = [record for record in good_run() if record["status"] != 201]
    assert failed(records, stored_ids=set()) == ["writes answered 201"]


def test_a_503_outside_the_outage_fails_the_run():
    records = [*good_run(), answer(140, 503, retry_after=True)]
    assert failed(records) == ["answers other than 2xx outside the outage"]


def test_a_request_with_no_answer_outside_the_outage_fails_the_run():
    assert failed([*good_run(), answer(50, 0, seconds=5)]) == [
        "answers other than 2xx outside the outage"
    ]


def test_a_request_under_way_when_the_database_stopped_counts_as_during_the_outage():
    assert failed([*good_run(), answer(99.5, 503, seconds=1, retry_after=True)]) == []


def test_a_503_in_the_second_after_healthz_is_200_again_counts_as_during_the_outage():
    assert failed([*good_run(), answer(112.5, 503, retry_after=True)]) == []


def test_a_503_without_retry_after_during_the_outage_fails_the_run():
    assert failed([*good_run(), answer(105, 503)]) == ["other failures during the outage"]


def test_a_500_during_the_outage_fails_the_run():
    assert failed([*good_run(), answer(105, 500)]) == ["other failures during the outage"]


def test_a_request_with_no_answer_during_the_outage_fails_the_run():
    records = [*good_run(), answer(105, 0, seconds=5)]
    assert "other failures during the outage" in failed(records)


def test_an_answer_of_five_seconds_during_the_outage_fails_the_run():
    records = [*good_run(), answer(105, 503, seconds=5, retry_after=True)]
    assert failed(records) == ["slowest answer during the outage"]


def test_no_503_at_all_during_the_outage_fails_the_run():
    records = [record for record in good_run() if record["status"] != 503]
    assert failed(records) == ["503 with Retry-After during the outage"]


def test_healthz_that_never_said_503_fails_the_run():
    assert failed(good_run(), health=[(90, 200), (120, 200)]) == ["/healthz"]


def test_healthz_that_never_said_200_again_fails_the_run():
    assert failed(good_run(), health=[(90, 200), (101, 503), (120, 503)]) == ["/healthz"]


def test_healthz_without_an_answer_during_the_outage_fails_the_run():
    assert failed(good_run(), health=[(90, 200), (101, 0), (112, 200)]) == ["/healthz"]


def test_no_success_after_the_outage_fails_the_run():
    records = [record for record in good_run() if record["started"] < 113]
    assert failed(records, stored_ids={1}) == ["answered 2xx after the outage"]


def test_a_gunicorn_restart_fails_the_run():
    assert failed(good_run(), restarts=1) == ["gunicorn restarts (master or workers)"]
