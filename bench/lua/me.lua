-- wrk: GET /api:main/auth/me, cycling through the tokens in $ME_TOKENS (one per line): tokens of seeded
-- accounts spread over the whole table, each with its own session row, minted with the service's key.
local toks = {}
do
  local f = assert(io.open(assert(os.getenv("ME_TOKENS"), "set ME_TOKENS"), "r"))
  local all = f:read("*a"); f:close()
  for line in all:gmatch("[^\n]+") do toks[#toks + 1] = line end
end
assert(#toks > 0, "no tokens in " .. os.getenv("ME_TOKENS"))
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
