-- A chat completion's rate limit and budget reservation in one round trip. BudgetLedger puts two functions in
-- front of this text, built from the two scripts' own text, unchanged: bucket = Spring Cloud Gateway's
-- request_rate_limiter.lua (the same bucket every other request is checked against), reserve = budget_reserve.lua.
-- KEYS: 1-2 the bucket's (tokens, timestamp), 3-7 budget_reserve.lua's 1-5.
-- ARGV: 1-4 the bucket's (rate, capacity, time or empty, requested), 5-12 budget_reserve.lua's 1-8.
-- Returns {bucket allowed (1/0), tokens left in the bucket} when the bucket refuses (nothing reserved, as when the
-- door refused), else {1, tokens left, then budget_reserve.lua's five answers}.
local taken = bucket({KEYS[1], KEYS[2]}, {ARGV[1], ARGV[2], ARGV[3], ARGV[4]})
if taken[1] == 0 then return {0, taken[2]} end
local reserved = reserve({KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]},
  {ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12]})
return {1, taken[2], reserved[1], reserved[2], reserved[3], reserved[4], reserved[5]}
