-- For bench/run.py: sends its method and body, then prints one JSON line: requests, errors, and
-- latencies in µs, the slowest tenth in steps of 0.1 % (run.py pools several runs' p99).
wrk.method = os.getenv("WRK_METHOD") or "GET"
if (os.getenv("WRK_BODY") or "") ~= "" then wrk.body = os.getenv("WRK_BODY") end

function done(summary, latency, requests)
  local tail, errors = {}, summary.errors
  for step = 0, 100 do tail[#tail + 1] = string.format("%d", latency:percentile(90 + step / 10)) end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"tail_us": [%s], "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, table.concat(tail, ", "),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
