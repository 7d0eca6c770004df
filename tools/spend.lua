-- wrk script: payment authorizations through the budget service (DESIGN §10). An authorization
-- is two durable commands, each decided, appended to the hash-chained log, projected and fsynced
-- before the answer:
--   POST /v1/connections/{id}/spends  {"amount_msat":1000}               -> 201 {"id":"<spend>",...}
--   POST /v1/spends/{spend}/settle    {"amount_msat":1000,"fee_msat":0}  -> 200
-- Each thread keeps the spends it reserved and not yet settled: the next request it sends
-- settles one of them if there is any, and reserves a new one otherwise, so each wrk connection
-- alternates reserve -> settle. Reserves go round-robin over the thread's share of the
-- connections listed (one id a line) in the file named by $LOAD_CONNECTION_IDS.
--
-- wrk's own Requests/sec counts reserves and settles alike; done() prints the authorizations
-- (settles answered 200) separately.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GRANTLEDGER_ADMIN_TOKEN")

local reserveBody = '{"amount_msat":1000}'
local settleBody = '{"amount_msat":1000,"fee_msat":0}'

-- Main state: one entry per thread, so done() can collect their counters.
local threads = {}
local threadCount = 0

setup = function(thread)
  thread:set("tid", threadCount)
  threadCount = threadCount + 1
  table.insert(threads, thread)
end

-- Thread state.
local ids = {}         -- this thread's budget rows (connection ids)
local cursor = 0       -- round-robin position in ids
local ready = {}       -- spends reserved (201) and not yet settled: a stack
local reserves = 0     -- reserve requests sent
local settles = 0      -- settle requests sent
reserved = 0           -- reserves answered 201 (globals: read back by done() through thread:get)
settled = 0            -- settles answered 200: completed authorizations
non2xx = 0
other = 0              -- 2xx answers that were neither (should stay 0)
statuses = ""          -- "status=count " for every non-2xx status seen

local statusCounts = {}

init = function(args)
  local path = os.getenv("LOAD_CONNECTION_IDS")
  local all = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(all, line) end
  end
  local threadsTotal = tonumber(os.getenv("LOAD_THREADS") or "2")
  if #all < threadsTotal then
    ids = all  -- fewer rows than threads (e.g. one hot row): every thread uses them all
  else
    -- thread t takes rows t+1, t+1+T, t+1+2T, ...: disjoint shares
    for i = tid + 1, #all, threadsTotal do table.insert(ids, all[i]) end
  end
end

request = function()
  local n = #ready
  if n > 0 then
    local spend = ready[n]
    ready[n] = nil
    settles = settles + 1
    return wrk.format(nil, "/v1/spends/" .. spend .. "/settle", nil, settleBody)
  end
  cursor = cursor % #ids + 1
  reserves = reserves + 1
  return wrk.format(nil, "/v1/connections/" .. ids[cursor] .. "/spends", nil, reserveBody)
end

response = function(status, headers, body)
  if status == 201 then
    local spend = string.match(body, '"id":"([^"]+)"')
    if spend then
      reserved = reserved + 1
      table.insert(ready, spend)
    else
      other = other + 1
    end
  elseif status == 200 then
    settled = settled + 1
  elseif status >= 200 and status < 300 then
    other = other + 1
  else
    non2xx = non2xx + 1
    statusCounts[status] = (statusCounts[status] or 0) + 1
    local parts = {}
    for s, c in pairs(statusCounts) do table.insert(parts, s .. "=" .. c) end
    statuses = table.concat(parts, " ")
  end
end

done = function(summary, latency, requests)
  local reservedTotal, settledTotal, non2xxTotal, otherTotal = 0, 0, 0, 0
  local statusText = {}
  for _, thread in ipairs(threads) do
    reservedTotal = reservedTotal + thread:get("reserved")
    settledTotal = settledTotal + thread:get("settled")
    non2xxTotal = non2xxTotal + thread:get("non2xx")
    otherTotal = otherTotal + thread:get("other")
    local s = thread:get("statuses")
    if s ~= "" then table.insert(statusText, s) end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("http requests (reserve + settle): %d in %.2f s = %.1f req/s\n",
    summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("reserves answered 201: %d\n", reservedTotal))
  io.write(string.format("authorizations (settles answered 200): %d\n", settledTotal))
  io.write(string.format("authorizations/s: %.1f\n", settledTotal / seconds))
  io.write(string.format("non-2xx answers: %d%s\n", non2xxTotal,
    #statusText > 0 and (" (per thread, status=count: " .. table.concat(statusText, " | ") .. ")") or ""))
  io.write(string.format("other 2xx (no spend id): %d\n", otherTotal))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("per-request latency (reserve or settle): p50 %.2f ms, p99 %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
