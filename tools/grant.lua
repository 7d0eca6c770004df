-- wrk script: every request grants a new connection through the admin API, a durable command
-- (decided, appended to the hash-chained log, projected and fsynced before the 201).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GRANTLEDGER_ADMIN_TOKEN")

local counter = 0
request = function()
  counter = counter + 1
  local body = string.format(
    '{"user_id":"load-%d","name":"Load %d","scopes":["pay_invoice","get_balance"],"budget":"50000/monthly"}',
    counter % 1000, counter)
  return wrk.format(nil, "/admin/connections", nil, body)
end

local non201 = 0
response = function(status, headers, body)
  if status ~= 201 then non201 = non201 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-201 responses: %d\n", non201))
  io.write(string.format("p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
