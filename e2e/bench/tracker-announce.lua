-- wrk script: announces from PEERS simulated peers (distinct peer ids) to one swarm.
-- Env: PASSKEY, INFO_HASH (percent-encoded), PEERS (default 10000), SEED_EVERY (default 5: every 5th peer is a seed).
local passkey = os.getenv("PASSKEY")
local hash = os.getenv("INFO_HASH")
local peers = tonumber(os.getenv("PEERS") or "10000")
local seedEvery = tonumber(os.getenv("SEED_EVERY") or "5")
local counter = 0
local offset = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads * 7)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local n = (counter * 7919 + offset) % peers
  local left = (n % seedEvery == 0) and 0 or 1048576
  local path = "/announce/" .. passkey .. "?info_hash=" .. hash
      .. "&peer_id=-ST0001-" .. string.format("%012d", n)
      .. "&port=" .. (10000 + n % 50000)
      .. "&uploaded=0&downloaded=0&left=" .. left .. "&compact=1&numwant=50"
  return wrk.format("GET", path)
end
