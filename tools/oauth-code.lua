-- wrk script: the authorization code grant (RFC 6749 §4.1) by one confidential client, for one
-- user whose operator JWT ($LOAD_USER_TOKEN, signed with the dev login key) stands in for a login:
--   GET  /oauth/authorize?response_type=code&client_id=..&redirect_uri=..&scope=balance:read&state=s
--        &code_challenge=..&code_challenge_method=S256 (PKCE, which a new client must use)
--        Authorization: Bearer <user JWT>                      -> 302 Location: ...?code=<code>&...
--   POST /oauth/token  grant_type=authorization_code&code=<code>&redirect_uri=..&code_verifier=..  (HTTP Basic)
--                                                              -> 200 access + refresh token
-- Each is a durable command (issue the code; redeem it: connection, access and refresh token).
-- wrk gives one Lua state per thread and does not tell response() which connection answered, so,
-- as spend.lua does, each thread keeps the codes it was issued and not yet redeemed: the next
-- request it sends redeems one of them if there is any and asks for a new code otherwise. With
-- pipelining off each connection has one request in flight, so each alternates authorize ->
-- redeem (a code may be redeemed on another connection of the same thread; any is valid).
--
-- wrk's own Requests/sec counts both kinds; done() prints redemptions (token answers 200) and
-- code issuances (302 with a code) separately. Latency is per request, either kind.
local redirectUri = "http://localhost:33388/callback"
local redirectUriEncoded = "http%3A%2F%2Flocalhost%3A33388%2Fcallback"
local clientId = os.getenv("LOAD_CLIENT_ID")
local basicAuth = os.getenv("LOAD_BASIC_AUTH")
local userBearer = "Bearer " .. os.getenv("LOAD_USER_TOKEN")
-- A new client must use PKCE (RFC 7636): appendix B's example pair, the same for every code.
local codeVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
local codeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
local authorizePath = "/oauth/authorize?response_type=code&client_id=" .. clientId
  .. "&redirect_uri=" .. redirectUriEncoded .. "&scope=balance:read&state=s"
  .. "&code_challenge=" .. codeChallenge .. "&code_challenge_method=S256"

local threads = {}
setup = function(thread) table.insert(threads, thread) end

-- Thread state.
local codes = {}        -- codes issued (302) and not yet redeemed: a stack (freshest first)
authorized = 0          -- authorize answers 302 with a code (globals: read by done())
redeemed = 0            -- token answers 200 with an access_token: completed redemptions
refused = 0             -- 302 without a code (an error redirect: ?error=...)
other = 0               -- 2xx answers that were neither (should stay 0)
non2xx = 0              -- answers other than 2xx and 302
statuses = ""
local statusCounts = {}

request = function()
  local n = #codes
  if n > 0 then
    local code = codes[n]
    codes[n] = nil
    return wrk.format("POST", "/oauth/token",
      { ["Content-Type"] = "application/x-www-form-urlencoded", ["Authorization"] = basicAuth },
      "grant_type=authorization_code&code=" .. code .. "&redirect_uri=" .. redirectUriEncoded
        .. "&code_verifier=" .. codeVerifier)
  end
  return wrk.format("GET", authorizePath, { ["Authorization"] = userBearer }, nil)
end

local function header(headers, name)
  local lower = string.lower(name)
  for k, v in pairs(headers) do
    if string.lower(k) == lower then return v end
  end
  return nil
end

response = function(status, headers, body)
  if status == 302 then
    local location = header(headers, "Location") or ""
    local code = string.match(location, "[?&]code=([^&]+)")
    if code then
      authorized = authorized + 1
      table.insert(codes, code)
    else
      refused = refused + 1
    end
  elseif status == 200 and string.find(body, '"access_token"', 1, true) then
    redeemed = redeemed + 1
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
  local authorizedTotal, redeemedTotal, refusedTotal, otherTotal, non2xxTotal = 0, 0, 0, 0, 0
  local statusText = {}
  for _, thread in ipairs(threads) do
    authorizedTotal = authorizedTotal + thread:get("authorized")
    redeemedTotal = redeemedTotal + thread:get("redeemed")
    refusedTotal = refusedTotal + thread:get("refused")
    otherTotal = otherTotal + thread:get("other")
    non2xxTotal = non2xxTotal + thread:get("non2xx")
    local s = thread:get("statuses")
    if s ~= "" then table.insert(statusText, s) end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("http requests (authorize + token): %d in %.2f s = %.1f req/s\n",
    summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("codes issued (302 with code): %d\n", authorizedTotal))
  io.write(string.format("codes issued/s: %.1f\n", authorizedTotal / seconds))
  io.write(string.format("redemptions (token answers 200): %d\n", redeemedTotal))
  io.write(string.format("redemptions/s: %.1f\n", redeemedTotal / seconds))
  io.write(string.format("non-2xx/302 answers: %d%s\n", non2xxTotal,
    #statusText > 0 and (" (per thread, status=count: " .. table.concat(statusText, " | ") .. ")") or ""))
  io.write(string.format("error redirects (302 without code): %d, other 2xx: %d\n", refusedTotal, otherTotal))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("per-request latency (authorize or token): p50 %.2f ms, p99 %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
