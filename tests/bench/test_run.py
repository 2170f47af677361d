"""`make bench`'s numbers and verdicts, from what wrk reported for each round (no server)."""

from bench.run import Endpoint, missed_targets, pooled_p99_us, summarise, table


def wrk_report(requests=1000, fastest_tail_us=10_000, step_us=100, seconds=1, **errors):
    """A round of `seconds` whose slowest tenth grows by step_us every 0.1 % of its requests."""
    tail = [fastest_tail_us + step * step_us for step in range(101)]
    counts = {"connect_errors": 0, "read_errors": 0, "write_errors": 0, "status_errors": 0}
    return {
        "requests": requests,
        "duration_us": seconds * 1_000_000,
        "p50_us": 5_000,
        "p99_us": tail[90],
        "max_us": tail[100],
        "tail_us": tail,
        **counts,
        "timeouts": 0,
        **errors,
    }


ARTICLE = Endpoint("article page", "/learn/article/", min_ratio=0.6)
BUILD = Endpoint("checklist build (API)", "/api/v1/checklists/1/generate/", method="POST")


def result(endpoint=ARTICLE, rounds=None, ceiling=None):
    rounds = rounds or [wrk_report() for _ in range(5)]
    return summarise(endpoint, rounds, ceiling or [wrk_report(requests=1200) for _ in rounds])


def test_the_pooled_p99_of_alike_rounds_is_their_own_p99():
    rounds = [wrk_report() for _ in range(5)]
    assert pooled_p99_us(rounds) == rounds[0]["p99_us"]


def test_one_slow_round_raises_the_pooled_p99_less_than_its_own():
    slow = wrk_report(fastest_tail_us=60_000)
    rounds = [wrk_report() for _ in range(4)] + [slow]
    assert wrk_report()["p99_us"] < pooled_p99_us(rounds) < slow["p99_us"]


def test_the_pooled_p99_weighs_each_round_by_its_requests():
    busy_and_fast = [wrk_report(requests=9000), wrk_report(requests=1000, fastest_tail_us=60_000)]
    even = [wrk_report(requests=5000), wrk_report(requests=5000, fastest_tail_us=60_000)]
    assert pooled_p99_us(busy_and_fast) < pooled_p99_us(even)


def test_requests_per_second_count_every_rounds_requests_over_their_time():
    rounds = [wrk_report(requests=3000, seconds=3), wrk_report(requests=1000, seconds=1)]
    assert result(rounds=rounds)["requests_per_second"] == 1000


def test_the_ratio_compares_each_round_with_the_static_file_round_beside_it():
    rounds = [wrk_report(requests=500), wrk_report(requests=250)]
    ceiling = [wrk_report(requests=1000), wrk_report(requests=500)]
    assert result(rounds=rounds, ceiling=ceiling)["ratio"] == 0.5


def test_one_round_caught_in_a_slow_spell_does_not_decide_the_ratio():
    rounds = [wrk_report(requests=750)] * 4 + [wrk_report(requests=100)]
    ceiling = [wrk_report(requests=1000)] * 5
    assert result(rounds=rounds, ceiling=ceiling)["ratio"] == 0.75


def test_the_static_file_compared_with_itself_has_a_ratio_of_one():
    rounds = [wrk_report(requests=900), wrk_report(requests=1100)]
    assert result(rounds=rounds, ceiling=rounds)["ratio"] == 1


def test_errors_of_every_kind_add_up():
    rounds = [wrk_report(status_errors=2, timeouts=1), wrk_report(connect_errors=3)]
    assert result(rounds=rounds)["errors"] == 6


def test_the_slowest_rounds_p50_is_reported():
    rounds = [wrk_report(), {**wrk_report(), "p50_us": 9_000}]
    assert result(rounds=rounds)["p50_ms"] == 9


def test_a_read_at_its_targets_misses_none():
    assert missed_targets(result()) == []


def test_a_read_below_its_share_of_the_static_file_misses_its_target():
    slow = result(ceiling=[wrk_report(requests=2000)] * 5)
    assert missed_targets(slow) == ["article page: 0.50 of the static file, target 0.6"]


def test_a_read_with_a_p99_of_50_ms_misses_its_target():
    slow = result(rounds=[wrk_report(fastest_tail_us=41_000)] * 5)
    assert missed_targets(slow) == ["article page: p99 50.0 ms is not under 50 ms"]


def test_any_error_misses_a_target():
    assert missed_targets(result(rounds=[wrk_report(status_errors=1)])) == [
        "article page: 1 errors"
    ]


def test_an_error_in_the_checklist_build_misses_its_only_target():
    build = result(BUILD, rounds=[wrk_report(timeouts=2)])
    assert missed_targets(build) == ["checklist build (API): 2 errors"]


def test_the_checklist_build_has_no_p99_target():
    assert missed_targets(result(BUILD, rounds=[wrk_report(fastest_tail_us=400_000)])) == []


def test_the_table_names_a_reads_ratio_and_p99_targets():
    assert table([result()]).splitlines()[2].endswith("| ≥ 0.6 of static, p99 < 50 ms |")


def test_the_table_says_the_checklist_build_has_no_speed_target():
    assert table([result(BUILD)]).splitlines()[2].endswith("| 0 errors; speed reported |")


def test_the_table_marks_a_missed_target():
    missed = result(ceiling=[wrk_report(requests=2000)] * 5)
    assert table([missed]).splitlines()[2].endswith("p99 < 50 ms (missed) |")


def test_the_table_has_the_columns_of_the_readme():
    assert table([]).splitlines()[0] == (
        "| Endpoint | Requests/s | p50 ms | p99 ms | Errors | vs static file | Target |"
    )


def test_a_static_round_without_any_answer_does_not_stop_the_bench():
    rounds = [wrk_report(requests=500)] * 3
    ceiling = [wrk_report(requests=1000), wrk_report(requests=0), wrk_report(requests=1000)]
    assert result(rounds=rounds, ceiling=ceiling)["ratio"] == 0.5
