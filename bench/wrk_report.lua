-- For bench/load.py: counts the answers that are not 2xx (wrk itself counts only 4xx and 5xx, so a redirect
-- to the sign-in page would pass as a success) and prints one line that load.py parses:
-- BENCH_RESULT requests=... duration_us=... p50_us=... p95_us=... p99_us=... non2xx=... connect=... read=...
-- write=... timeout=...
-- The cookie and X-Forwarded-Proto headers come from wrk's -H options.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%.0f duration_us=%.0f p50_us=%.0f p95_us=%.0f p99_us=%.0f non2xx=%.0f " ..
    "connect=%.0f read=%.0f write=%.0f timeout=%.0f\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    not_ok, errors.connect, errors.read, errors.write, errors.timeout
  ))
end
