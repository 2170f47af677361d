-- Used by bench/run.py: sends the method and body it is given and, at the end, prints one JSON
-- line with the request count, errors and latency percentiles (in microseconds): the median,
-- and the slowest tenth in steps of 0.1 % (percentiles 90, 90.1, ... 100), so that run.py can
-- find the p99 of several runs' requests taken together.
wrk.method = os.getenv("WRK_METHOD") or "GET"
if (os.getenv("WRK_BODY") or "") ~= "" then wrk.body = os.getenv("WRK_BODY") end

function done(summary, latency, requests)
  local errors = summary.errors
  local tail = {}
  for step = 0, 100 do
    tail[#tail + 1] = string.format("%d", latency:percentile(90 + step / 10))
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"tail_us": [%s], ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, ' ..
    '"timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, table.concat(tail, ", "),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
