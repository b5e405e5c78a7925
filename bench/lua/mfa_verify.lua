-- wrk: POST /api:main/auth/mfa/verify, each request a different waiting login with its right code, read from the
-- file MFA_BODIES (one JSON body a line, made by bench/mfa.sh). An mfa_token is single use: each thread takes every
-- n-th line from its own offset and stops when its share is used up, so no body is sent twice.
local bodies = {}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local total = tonumber(os.getenv("MFA_THREADS") or "1")
  local i = 0
  for line in io.lines(os.getenv("MFA_BODIES")) do
    if i % total == id then
      table.insert(bodies, line)
    end
    i = i + 1
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  next_body = 1
end

request = function()
  if next_body > #bodies then
    wrk.thread:stop()
    return wrk.format(nil, "/q/nothing-left")
  end
  local body = bodies[next_body]
  next_body = next_body + 1
  return wrk.format(nil, nil, nil, body)
end
