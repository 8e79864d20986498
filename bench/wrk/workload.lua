-- One wrk script for every workload; the mode comes after "--" on wrk's command line:
--   (none) | plain      GET /                              (wrk's static request: no Lua per request)
--   pipeline N          N x "GET /" in one write; wrk waits for N responses before the next write
--   close               GET / with "Connection: close": one request per connection (churn)
--   big                 GET /16k
--   echo N              POST /echo with an N-byte body
-- done() prints one machine-readable line, "WRKJSON {...}", for bench/run.

local mode, arg = "plain", nil

function init(args)
  mode = args[1] or "plain"
  arg = tonumber(args[2])
  if mode == "pipeline" then
    local batch = string.rep(wrk.format("GET", "/"), arg or 16)
    -- Defining request() makes the script dynamic; wrk calls it once per batch.
    request = function() return batch end
  elseif mode == "close" then
    wrk.headers["Connection"] = "close"
  elseif mode == "big" then
    wrk.path = "/16k"
  elseif mode == "echo" then
    wrk.method = "POST"
    wrk.path = "/echo"
    wrk.headers["Content-Type"] = "application/octet-stream"
    wrk.body = string.rep("x", arg or 4096)
  elseif mode ~= "plain" then
    error("unknown mode " .. mode)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
