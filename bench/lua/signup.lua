-- wrk: POST /api:main/auth/signup with a unique email per request.
-- Unique across threads, across the warm-up and measured runs and across runs of bench/run.sh:
-- a per-thread random nonce (seeded from time, thread and /dev/urandom) + a per-thread counter.
local counter, nonce = 0, 0
local seed = os.time()
do
  local f = io.open("/dev/urandom", "rb")
  if f then
    local b = f:read(4); f:close()
    for i = 1, #b do seed = seed * 256 + b:byte(i) end
  end
end
math.randomseed(seed % 2147483647)
nonce = math.random(1, 2000000000)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = string.format('{"name":"Bench Signup","email":"s%d-%d@signup.bench.test","password":"bench-pass-123"}',
    nonce, counter)
  return wrk.format(nil, nil, nil, body)
end
