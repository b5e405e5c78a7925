-- wrk: POST /api:main/auth/login as a random seeded account (bench<k>@bench.test, k in 1..LOGIN_ACCOUNTS,
-- all with password bench-pass-123): every request looks up a different row through the email index.
local n = tonumber(os.getenv("LOGIN_ACCOUNTS") or "1000")
local seed = os.time()
do
  local f = io.open("/dev/urandom", "rb")
  if f then local b = f:read(4); f:close(); for i = 1, #b do seed = seed * 256 + b:byte(i) end end
end
math.randomseed(seed % 2147483647)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = string.format('{"email":"bench%d@bench.test","password":"bench-pass-123"}', math.random(1, n))
  return wrk.format(nil, nil, nil, body)
end
