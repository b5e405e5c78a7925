-- wrk: POST /oauth2/introspect (RFC 7662) as the service client "bench" (client_secret_basic), cycling through the
-- tokens in $ME_TOKENS like me.lua, so the two figures are for the same tokens and sessions.
local toks = dofile("bench/lua/tokens.lua")
local basic = assert(os.getenv("BENCH_CLIENT_BASIC"), "set BENCH_CLIENT_BASIC to base64 of bench:<secret>")
local headers = { ["Authorization"] = "Basic " .. basic,
                  ["Content-Type"] = "application/x-www-form-urlencoded" }
local i = math.random(1, #toks)
request = function()
  i = i % #toks + 1
  return wrk.format("POST", nil, headers, "token=" .. toks[i])
end
