-- Replaces a reservation by the real usage: adds (real - reserved) to the same windows the reservation used.
-- KEYS: as budget_reserve.lua. ARGV: 1 token difference, 2 micro-dollar difference, 3 day ttl, 4 month ttl.
local function add(key, delta, ttl)
  redis.call('INCRBY', key, delta)
  if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ttl) end
end
add(KEYS[1], tonumber(ARGV[1]), 120)
add(KEYS[2], tonumber(ARGV[1]), ARGV[3])
add(KEYS[3], tonumber(ARGV[2]), ARGV[4])
add(KEYS[4], tonumber(ARGV[1]), ARGV[3])
return 1
