-- wrk script: queries of the trail as an auditor or a patient portal makes them, 50 records a
-- page. AUDIT_QUERY picks the kind: subject (a patient's records), user (a practitioner's, acting
-- or acted for), range (a day of occurred_at), overview (the patient's overview route). Each read
-- is itself recorded (audit-log-read), so each request is also one durable write.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GRANTLEDGER_ADMIN_TOKEN")
local kind = os.getenv("AUDIT_QUERY") or "subject"

request = function()
  local n = math.random(0, 9999)
  local path
  if kind == "subject" then
    path = string.format("/audit/events?subject_id=%d&limit=50", 100000000 + n)
  elseif kind == "user" then
    path = string.format("/audit/events?user_id=uzi:%06d&limit=50", n % 500)
  elseif kind == "range" then
    local day = n % 365
    path = string.format("/audit/events?from=2026-%02d-%02dT00:00:00Z&until=2026-%02d-%02dT23:59:59Z&limit=50",
      1 + math.floor(day / 31), 1 + day % 28, 1 + math.floor(day / 31), 1 + day % 28)
  else
    path = string.format("/audit/subjects/urn:oid:2.16.840.1.113883.2.4.6.3/%d/accesses?limit=50", 100000000 + n)
  end
  return wrk.format(nil, path)
end

local non200 = 0
response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", non200))
end
