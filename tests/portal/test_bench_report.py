"""The bench's statistics, from what wrk reported for each round (bench/wrk_report.lua)."""

from bench.run import Endpoint, Result, pooled_p99_us


def wrk_report(requests=1000, fastest_tail_us=10_000, step_us=100):
    """A round whose slowest tenth grows by step_us every 0.1 % of its requests."""
    tail = [fastest_tail_us + step * step_us for step in range(101)]
    return {
        "requests": requests,
        "duration_us": 3_000_000,
        "p50_us": 5_000,
        "p99_us": tail[90],
        "max_us": tail[100],
        "tail_us": tail,
        "connect_errors": 0,
        "read_errors": 0,
        "write_errors": 0,
        "status_errors": 0,
        "timeouts": 0,
    }


def test_the_pooled_p99_of_alike_rounds_is_their_own_p99():
    rounds = [wrk_report() for _ in range(5)]

    assert pooled_p99_us(rounds) == rounds[0]["p99_us"]


def test_one_slow_round_raises_the_pooled_p99_less_than_its_own():
    slow = wrk_report(fastest_tail_us=60_000)
    rounds = [wrk_report() for _ in range(4)] + [slow]

    assert wrk_report()["p99_us"] < pooled_p99_us(rounds) < slow["p99_us"]


def test_the_pooled_p99_weighs_each_round_by_its_requests():
    busy = wrk_report(requests=9000)
    quiet_and_slow = wrk_report(requests=1000, fastest_tail_us=60_000)

    assert pooled_p99_us([busy, quiet_and_slow]) < pooled_p99_us(
        [wrk_report(requests=5000), wrk_report(requests=5000, fastest_tail_us=60_000)]
    )


def test_a_result_keeps_the_worst_rounds_p99_beside_the_pooled_one():
    slow = wrk_report(fastest_tail_us=60_000)
    result = Result.from_reports(Endpoint("page", "/"), [wrk_report(), slow])

    assert result.worst_round_p99_ms == slow["p99_us"] / 1000
    assert result.p99_ms < result.worst_round_p99_ms
