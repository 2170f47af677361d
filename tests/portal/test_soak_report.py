"""The soak's verdict, from what its clients, its /healthz monitor and the database recorded."""

from bench.soak import (
    Outage,
    Sample,
    Server,
    failed_checks,
    status_changes,
    summarise,
)

SOAK_SECONDS = 60
# Stopped at 10 s, down until 21 s, back at 22.5 s: the window is 10 s to 23.5 s.
OUTAGE = Outage(stop_started=10, stop_done=11, start_started=21, start_done=22, healthy_again=22.5)
HEALTH = [(0, 200), (5, 200), (10.5, 503), (15, 503), (22.5, 200), (30, 200)]
GUNICORN = Server(
    master_pid=100,
    master_alive_at_end=True,
    listening_pid=100,
    worker_boots_at_start=4,
    worker_boots_at_end=4,
)


def good_run():
    return [
        Sample("/faq/", started=1, seconds=0.01, status=200),
        Sample("write", started=2, seconds=0.02, status=201, entry_id=1),
        Sample("/faq/", started=12, seconds=0.01, status=503),
        Sample("write", started=13, seconds=0.01, status=503),
        Sample("write", started=40, seconds=0.02, status=201, entry_id=2),
        Sample("/faq/", started=41, seconds=0.01, status=200),
    ]


def verdict(samples, stored_ids=frozenset({1, 2}), health=HEALTH, outage=OUTAGE, gunicorn=GUNICORN):
    summary = summarise(samples, set(stored_ids), health, outage, SOAK_SECONDS, gunicorn)
    return summary, failed_checks(summary)


def test_a_run_with_only_clear_503s_during_the_outage_passes():
    assert verdict(good_run())[1] == []


def test_every_stored_write_answered_201_counts_as_stored():
    summary, _ = verdict(good_run())
    assert (summary.writes_201, summary.stored_entries, summary.missing_201_writes) == (2, 2, 0)


def test_a_write_answered_201_but_not_stored_fails_the_run():
    summary, failed = verdict(good_run(), stored_ids={1})
    assert summary.missing_201_writes == 1
    assert any("not stored" in message for message in failed)


def test_an_entry_stored_without_a_201_fails_the_run():
    summary, failed = verdict(good_run(), stored_ids={1, 2, 3})
    assert summary.stored_without_201 == 1
    assert failed


def test_a_503_outside_the_outage_fails_the_run():
    samples = [*good_run(), Sample("/faq/", started=50, seconds=0.01, status=503)]
    summary, failed = verdict(samples)
    assert summary.server_errors_outside_outage == {"503": 1}
    assert any("outside the outage" in message for message in failed)


def test_a_request_under_way_when_the_database_stopped_counts_as_during_the_outage():
    samples = [*good_run(), Sample("/faq/", started=9.5, seconds=1, status=503)]
    summary, failed = verdict(samples)
    assert summary.outage_503 == 3
    assert failed == []


def test_a_503_within_the_grace_after_healthz_is_200_again_counts_as_during_the_outage():
    samples = [*good_run(), Sample("/faq/", started=23, seconds=0.01, status=503)]
    assert verdict(samples)[1] == []


def test_a_500_during_the_outage_fails_the_run():
    samples = [*good_run(), Sample("/faq/", started=14, seconds=0.01, status=500)]
    summary, failed = verdict(samples)
    assert summary.outage_other_errors == {"500": 1}
    assert failed


def test_a_request_with_no_answer_during_the_outage_fails_the_run():
    samples = [*good_run(), Sample("write", started=14, seconds=5, error="timeout")]
    summary, failed = verdict(samples)
    assert summary.outage_other_errors == {"timeout": 1}
    assert failed


def test_an_answer_of_five_seconds_or_more_during_the_outage_fails_the_run():
    samples = [*good_run(), Sample("/faq/", started=14, seconds=5.2, status=503)]
    assert any("slowest answer" in message for message in verdict(samples)[1])


def test_a_503_without_a_clear_message_fails_the_run():
    samples = [*good_run(), Sample("/faq/", started=14, seconds=0.01, status=503, clear=False)]
    assert any("clear message" in message for message in verdict(samples)[1])


def test_no_503_at_all_during_the_outage_fails_the_run():
    samples = [sample for sample in good_run() if sample.status != 503]
    assert any("no request was answered 503" in message for message in verdict(samples)[1])


def test_healthz_that_never_said_503_fails_the_run():
    assert any("/healthz" in message for message in verdict(good_run(), health=[(0, 200)])[1])


def test_healthz_that_never_said_200_again_fails_the_run():
    health = [(0, 200), (10.5, 503), (40, 503)]
    outage = Outage(stop_started=10, stop_done=11, start_started=21, start_done=22)
    assert verdict(good_run(), health=health, outage=outage)[1]


def test_the_recovery_time_runs_from_the_start_command_to_the_first_healthz_200():
    assert verdict(good_run())[0].recovery_seconds == 1.5


def test_a_gunicorn_worker_booted_again_fails_the_run():
    gunicorn = Server(100, True, 100, worker_boots_at_start=4, worker_boots_at_end=5)
    assert any("booted again" in message for message in verdict(good_run(), gunicorn=gunicorn)[1])


def test_a_gunicorn_master_that_died_fails_the_run():
    gunicorn = Server(100, False, 100, worker_boots_at_start=4, worker_boots_at_end=4)
    assert any("master" in message for message in verdict(good_run(), gunicorn=gunicorn)[1])


def test_a_skipped_outage_leaves_out_the_outage_checks():
    samples = [sample for sample in good_run() if sample.status != 503]
    assert verdict(samples, health=[(0, 200)], outage=Outage(skipped="no commands"))[1] == []


def test_a_redirect_or_client_error_fails_the_run():
    samples = [*good_run(), Sample("/faq/", started=50, seconds=0.01, status=301)]
    assert any("3xx/4xx" in message for message in verdict(samples)[1])


def test_healthz_samples_reduce_to_the_moments_the_status_changed():
    assert status_changes(HEALTH) == [(0, 200), (10.5, 503), (22.5, 200)]
