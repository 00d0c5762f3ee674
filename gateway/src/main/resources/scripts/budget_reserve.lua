-- Reserves a request's estimated tokens and cost against a tenant's budgets, all or nothing, atomically.
-- KEYS: 1 tokens this minute, 2 tokens today, 3 micro-dollars this month, 4 the key's tokens today,
--       5 this reservation (what it added, so budget_release.lua can take it back if the caller never learnt of it)
-- ARGV: 1 tokens, 2 micro-dollars, 3 minute limit, 4 day limit, 5 month limit (micro-dollars),
--       6 minute ttl, 7 day ttl, 8 month ttl (seconds)
-- Returns {allowed (1/0), exhausted limit (0 none, 1 minute, 2 day, 3 month), minute, day, month} after the call.
local tokens = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local minute = tonumber(redis.call('GET', KEYS[1]) or '0')
local day = tonumber(redis.call('GET', KEYS[2]) or '0')
local month = tonumber(redis.call('GET', KEYS[3]) or '0')
if minute + tokens > tonumber(ARGV[3]) then return {0, 1, minute, day, month} end
if day + tokens > tonumber(ARGV[4]) then return {0, 2, minute, day, month} end
if month + cost > tonumber(ARGV[5]) then return {0, 3, minute, day, month} end
minute = redis.call('INCRBY', KEYS[1], tokens)
redis.call('EXPIRE', KEYS[1], ARGV[6])
day = redis.call('INCRBY', KEYS[2], tokens)
redis.call('EXPIRE', KEYS[2], ARGV[7])
month = redis.call('INCRBY', KEYS[3], cost)
redis.call('EXPIRE', KEYS[3], ARGV[8])
redis.call('INCRBY', KEYS[4], tokens)
redis.call('EXPIRE', KEYS[4], ARGV[7])
redis.call('SET', KEYS[5], tokens .. ':' .. cost, 'EX', 600)
return {1, 0, minute, day, month}
