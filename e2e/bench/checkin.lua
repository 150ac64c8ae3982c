-- wrk script: agent check-ins, round-robin over the bearer tokens of enrolled agents.
-- Env: TOKENS (a file, one access token per line).
local tokens = {}
local n = 0

function init(args)
  for line in io.lines(os.getenv("TOKENS")) do
    tokens[#tokens + 1] = line
  end
  -- Threads start at different agents, so they do not call as the same one at once.
  n = math.random(#tokens)
end

local body = '{"agentVersion":"bench","hostname":"bench","address":"127.0.0.1:6881","freeDiskBytes":100000000000,'
    .. '"installed":[{"product":"office-suite","version":"2.4.0","sequence":3,"active":true}],"labels":["bench"]}'

function request()
  n = n % #tokens + 1
  return wrk.format("POST", "/api/agent/v1/check-in",
      { ["Authorization"] = "Bearer " .. tokens[n], ["Content-Type"] = "application/json" }, body)
end
