-- wrk script: every request is a whole payment through the UMA Auth API on the demo wallet:
-- POST /umanwc/v1/payments/keysend with a long-lived connection token. The server verifies the
-- token (ES256, revocation projection), reserves against the budget, pays, and settles: one
-- request, two durable commands.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LOAD_NWC_TOKEN")
wrk.body = '{"amount":1000,"pubkey":"02' .. string.rep("11", 32) .. '"}'
wrk.path = "/umanwc/v1/payments/keysend"

-- Counters live in each thread's interpreter; done() runs in the main one and collects them.
local threads = {}
setup = function(thread) table.insert(threads, thread) end

paid, refused = 0, 0
response = function(status, headers, body)
  if status == 200 then paid = paid + 1 else refused = refused + 1 end
end

done = function(summary, latency, requests)
  local paidTotal, refusedTotal = 0, 0
  for _, thread in ipairs(threads) do
    paidTotal = paidTotal + thread:get("paid")
    refusedTotal = refusedTotal + thread:get("refused")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("payments answered 200: %d, other answers: %d\n", paidTotal, refusedTotal))
  io.write(string.format("payments/s: %.1f\n", paidTotal / seconds))
  io.write(string.format("p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
