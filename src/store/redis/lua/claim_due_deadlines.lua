--[[ Hands out due entries of the deadline set (max-hold deadlines, paused rounds, watchdogs): each to exactly one caller.
  KEYS[1] the deadline set (sorted set: entry scored by due time, epoch ms)
  ARGV[1] now (epoch ms)   ARGV[2] the most entries to hand out
  ARGV[3] lease (ms): 0 removes the entries handed out; more leaves each due again at now + lease (its handler
          releases it when done: release_deadline.lua)
  Returns the entries due at `now` (score <= now), earliest first. ]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due == 0 then return due end
local lease = tonumber(ARGV[3])
if lease > 0 then
  local due_at = tonumber(ARGV[1]) + lease
  local args = {}
  for i, key in ipairs(due) do
    args[2 * i - 1] = due_at
    args[2 * i] = key
  end
  redis.call('ZADD', KEYS[1], 'XX', unpack(args))
else
  redis.call('ZREM', KEYS[1], unpack(due))
end
return due
