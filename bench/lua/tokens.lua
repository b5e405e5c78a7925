-- The tokens in $ME_TOKENS (one per line), for me.lua and introspect.lua: tokens of seeded accounts spread over
-- the whole table, each with its own session row, minted with the service's key. wrk runs from the repository root.
local toks = {}
local f = assert(io.open(assert(os.getenv("ME_TOKENS"), "set ME_TOKENS"), "r"))
local all = f:read("*a"); f:close()
for line in all:gmatch("[^\n]+") do toks[#toks + 1] = line end
assert(#toks > 0, "no tokens in " .. os.getenv("ME_TOKENS"))
return toks
