--[[ Hands out due max-hold deadlines: each entry is removed and returned to exactly one caller.
  KEYS[1] the deadlines (sorted set: CallSid scored by due time, epoch ms)
  ARGV[1] now (epoch ms)   ARGV[2] the most entries to hand out
  Returns the CallSids due at `now` (score <= now), earliest first. ]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due
