-- Takes back a reservation whose outcome the gateway never learnt (the call to budget_reserve.lua timed out or
-- failed on the way back): if the reservation exists, subtract what it added and forget it; else nothing.
-- KEYS: as budget_reserve.lua.
local reserved = redis.call('GET', KEYS[5])
if not reserved then return 0 end
local sep = string.find(reserved, ':')
local tokens = tonumber(string.sub(reserved, 1, sep - 1))
local cost = tonumber(string.sub(reserved, sep + 1))
redis.call('DECRBY', KEYS[1], tokens)
redis.call('DECRBY', KEYS[2], tokens)
redis.call('DECRBY', KEYS[3], cost)
redis.call('DECRBY', KEYS[4], tokens)
redis.call('DEL', KEYS[5])
return 1
