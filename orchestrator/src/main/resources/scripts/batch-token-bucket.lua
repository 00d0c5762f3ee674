-- A token bucket shared by every orchestrator instance (batch/SharedProviderBuckets): one hash per provider,
-- refilled by the time passed on Redis' own clock (so instances' clocks never disagree), one token taken per line.
-- KEYS[1] = the provider's bucket; ARGV[1] = tokens per millisecond; ARGV[2] = burst (the bucket's size).
-- Returns 0 when a token was taken, else the milliseconds until one is free (none taken).
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
-- a full bucket needs no state: let an idle provider's key go once it would have refilled
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return wait
