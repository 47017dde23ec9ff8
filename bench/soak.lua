-- wrk script of bench/soak.sh: a fixed mix of routes, and every answer checked against what its
-- route must give. Counters are per wrk thread; done() adds them up and prints "SOAK name value".
-- Mix of 20: 12 fast, 3 slow (200 ms), 2 function errors (502), 2 large (256 KiB), 1 timeout (504).
local mix = { "/fast", "/fast", "/slow", "/fast", "/error", "/fast", "/large", "/fast", "/fast", "/slow",
              "/fast", "/timeout", "/fast", "/large", "/fast", "/error", "/fast", "/slow", "/fast", "/fast" }
local large_bytes = tonumber(os.getenv("SOAK_LARGE_BYTES") or "262144")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  ok_fast, ok_slow, ok_large, expected_error, expected_timeout = 0, 0, 0, 0, 0
  unexpected = 0
  unexpected_kinds = ""
end

function request()
  counter = counter + 1
  return wrk.format("GET", mix[(counter % #mix) + 1])
end

local function header(headers, name)
  for key, value in pairs(headers) do
    if string.lower(key) == name then return value end
  end
  return nil
end

local function odd(kind)
  unexpected = unexpected + 1
  if #unexpected_kinds < 400 then unexpected_kinds = unexpected_kinds .. kind .. " " end
end

function response(status, headers, body)
  if status == 200 then
    local kind = header(headers, "x-soak-kind")
    if kind == "fast" then ok_fast = ok_fast + 1
    elseif kind == "slow" then ok_slow = ok_slow + 1
    elseif kind == "large" then
      if #body == large_bytes then ok_large = ok_large + 1 else odd("large-body-" .. #body) end
    else odd("200-without-kind(" .. #body .. "b:" .. string.gsub(string.sub(body, 1, 30), "%s", "_") .. ")") end
  elseif status == 502 and string.find(body, "SoakError", 1, true) then
    expected_error = expected_error + 1
  elseif status == 504 and string.find(body, "soak-timeout", 1, true) then
    expected_timeout = expected_timeout + 1
  else
    odd(tostring(status))
  end
end

function done(summary, latency, requests)
  local totals = { ok_fast = 0, ok_slow = 0, ok_large = 0, expected_error = 0, expected_timeout = 0, unexpected = 0 }
  local kinds = ""
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
    kinds = kinds .. (thread:get("unexpected_kinds") or "")
  end
  for name, value in pairs(totals) do
    io.write(string.format("SOAK %s %d\n", name, value))
  end
  io.write(string.format("SOAK requests %d\n", summary.requests))
  io.write(string.format("SOAK socket_connect %d\n", summary.errors.connect))
  io.write(string.format("SOAK socket_read %d\n", summary.errors.read))
  io.write(string.format("SOAK socket_write %d\n", summary.errors.write))
  io.write(string.format("SOAK socket_timeout %d\n", summary.errors.timeout))
  io.write(string.format("SOAK p50_ms %.1f\n", latency:percentile(50) / 1000))
  io.write(string.format("SOAK p99_ms %.1f\n", latency:percentile(99) / 1000))
  io.write(string.format("SOAK unexpected_kinds %s\n", kinds == "" and "-" or kinds))
end
