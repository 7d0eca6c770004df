-- wrk script: every request reports a batch of 100 accesses (POST /audit/access), one durable
-- command of 100 events. The bodies are drawn once per thread, so wrk spends its CPU sending,
-- not formatting: 10,000 patients, 500 practitioners, a year of occurred_at. No record_id, so
-- every batch is new (a record_id would make a repeated body a retry that writes nothing).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GRANTLEDGER_ADMIN_TOKEN")

local bodies = {}
local next_body = 1

local function record(seed)
  local patient = 100000000 + (seed * 7919) % 10000
  local practitioner = (seed * 104729) % 500
  local day = seed % 365
  return string.format(
    '{"event":{"code":"110110","system":"http://dicom.nema.org/resources/ontology/DCM","display":"Patient Record"},'
      .. '"action":"R","occurred_at":"2026-%02d-%02dT%02d:%02d:00Z","user":{"id":"uzi:%06d","role":"01.015"},'
      .. '"subject":{"id_type":"urn:oid:2.16.840.1.113883.2.4.6.3","id":"%d"},"authorization_protocol":"consent:%d",'
      .. '"access_point":{"type":"ip","id":"10.0.0.%d"},"outcome":"success","data":"lab results"}',
    1 + math.floor(day / 31), 1 + day % 28, seed % 24, seed % 60, practitioner, patient, patient, seed % 250)
end

init = function(args)
  local offset = math.random(1, 1000000)
  for b = 1, 200 do
    local records = {}
    for r = 1, 100 do records[r] = record(offset + b * 100 + r) end
    bodies[b] = '{"records":[' .. table.concat(records, ",") .. ']}'
  end
end

request = function()
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format(nil, "/audit/access", nil, body)
end

local non201 = 0
response = function(status, headers, body)
  if status ~= 201 then non201 = non201 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-201 responses: %d\n", non201))
end
