from bench import scheduler


def result(patients, seconds):
    return {
        "patients": patients,
        "seconds": seconds,
        "peak_memory_mb": 81.0,
        "memory_growth_mb": 4.6,
    }


def test_a_tick_under_a_minute_misses_no_target():
    assert scheduler.missed_targets([result(10_000, 9.7)]) == []


def test_a_tick_of_a_minute_or_more_misses_the_target():
    assert scheduler.missed_targets([result(10_000, 61.0)]) == [
        "scheduler: 61.0 s for 10,000 patients, target under 60 s"
    ]


def test_the_table_has_a_row_for_each_number_of_patients():
    rows = scheduler.table([result(1_000, 1.1), result(10_000, 9.7)]).splitlines()

    assert [row.split("|")[1].strip() for row in rows[2:]] == ["1,000", "10,000"]
