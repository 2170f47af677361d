"""The pure parts of `make scaleout` (bench/scaleout.py): HAProxy's configuration, wrk's
summary and what the clients saw when host A was killed. The run itself is `make scaleout`."""

import shutil
import subprocess

import pytest

from bench.scaleout import HOSTS, failover_summary, haproxy_config, parse_wrk

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:8790/ketamine-adhd/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.07ms   10.35ms 128.83ms   77.64%
    Req/Sec   195.07     28.52   260.00     71.88%
  3119 requests in 8.01s, 128.52MB read
Requests/sec:    389.46
Transfer/sec:     16.05MB
"""


def config():
    return haproxy_config(8790, HOSTS, "/tmp/portal-scaleout")


def lines_of(text):
    return [line.strip() for line in text.splitlines()]


def record(began, status=201, by="b", ended=None):
    """A request as the failover check records it: when, how it was answered, and by whom."""
    ended = began + 0.01 if ended is None else ended
    return {"began": began, "ended": ended, "status": status, "by": by}


def test_the_balancer_checks_healthz_with_get():
    assert "http-check send meth GET uri /healthz" in config()


def test_the_health_check_carries_an_allowed_host_and_the_https_header():
    check = next(line for line in lines_of(config()) if line.startswith("http-check send"))

    assert "hdr Host 127.0.0.1:8790" in check and "hdr X-Forwarded-Proto https" in check


def test_a_host_is_checked_every_500_ms_and_taken_out_after_two_failures():
    assert "default-server inter 500ms fall 2 rise 2" in lines_of(config())


def test_each_host_is_a_checked_server_at_its_namespace_address():
    servers = [line for line in lines_of(config()) if line.startswith("server ")]

    assert servers == ["server a 10.77.1.2:8000 check", "server b 10.77.2.2:8000 check"]


def test_a_request_is_retried_on_another_host_after_a_failed_connection():
    lines = lines_of(config())

    assert "option redispatch 1" in lines and "retry-on conn-failure empty-response" in lines


def test_a_request_sent_to_a_host_that_died_is_replayed_only_if_it_is_a_read():
    assert "http-request disable-l7-retry unless METH_GET" in lines_of(config())


def test_the_balancer_tells_the_hosts_the_client_used_https():
    assert "http-request set-header X-Forwarded-Proto https" in lines_of(config())


@pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy is not installed")
def test_haproxy_accepts_the_configuration(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(haproxy_config(8790, HOSTS, tmp_path))

    check = subprocess.run(["haproxy", "-c", "-f", str(path)], capture_output=True, text=True)

    assert check.returncode == 0, check.stdout + check.stderr


def test_wrk_requests_per_second_are_read_from_its_summary():
    assert parse_wrk(WRK_OUTPUT) == {"requests_per_second": 389.46, "errors": 0}


def test_wrk_socket_errors_and_answers_other_than_2xx_or_3xx_count_as_errors():
    output = WRK_OUTPUT + (
        "  Socket errors: connect 1, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 4\n"
    )

    assert parse_wrk(output)["errors"] == 10


def test_every_answer_other_than_200_or_201_counts_as_failed_with_its_status():
    records = [record(1.0), record(2.1, status=502, by=""), record(2.2, status=0, by="")]

    summary = failover_summary(records, killed_at=2.0, down_at=3.0)

    assert (summary["failed"], summary["failed_statuses"]) == (2, {"502": 1, "0": 1})


def test_all_traffic_is_on_b_once_the_last_answer_from_elsewhere_is_in():
    records = [record(1.9, by="a", ended=2.05), record(2.1, status=502, by="", ended=2.3)]
    records.append(record(2.4))

    assert failover_summary(records, killed_at=2.0, down_at=2.8)["seconds_until_all_on_b"] == 0.3


def test_answers_from_a_before_the_kill_do_not_delay_the_switch():
    records = [record(1.0, by="a"), record(2.1)]

    assert failover_summary(records, killed_at=2.0, down_at=2.8)["seconds_until_all_on_b"] == 0


def test_a_failure_after_a_was_marked_down_is_counted_apart():
    records = [record(2.1, status=502, by=""), record(3.1, status=503, by="")]

    assert failover_summary(records, killed_at=2.0, down_at=3.0)["failed_after_a_was_down"] == 1


def test_the_time_until_a_is_down_is_measured_from_the_kill():
    assert failover_summary([], killed_at=2.0, down_at=2.75)["seconds_until_a_down"] == 0.75


def test_a_host_never_marked_down_has_no_time_until_down():
    summary = failover_summary([record(2.1)], killed_at=2.0, down_at=None)

    assert (summary["seconds_until_a_down"], summary["failed_after_a_was_down"]) == (None, None)
