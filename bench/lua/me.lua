-- wrk: GET /api:main/auth/me, cycling through the tokens in $ME_TOKENS (see tokens.lua).
local toks = dofile("bench/lua/tokens.lua")
local seed = os.time()
do
  local f = io.open("/dev/urandom", "rb")
  if f then local b = f:read(4); f:close(); for i = 1, #b do seed = seed * 256 + b:byte(i) end end
end
math.randomseed(seed % 2147483647)
local i = math.random(1, #toks)
local headers = {}
request = function()
  i = i % #toks + 1
  headers["Authorization"] = "Bearer " .. toks[i]
  return wrk.format("GET", nil, headers, nil)
end
