--[[ Moves a hunt whose state is one of the given states to a new state.
  KEYS[1] the hunt snapshot (string)   KEYS[2] the hunt's live state (hash)
  ARGV[1] new state   ARGV[2..] states it may move from
  Returns {snapshot JSON, state, step, cycle, queue SID or false, winning leg or false} after the move; false (nil) when
  the hunt is unknown or in another state (no change). ]]
local live = redis.call('HMGET', KEYS[2], 'state', 'step', 'cycle', 'queueSid', 'winner')
if not live[1] then return false end
local allowed = false
for i = 2, #ARGV do
  if ARGV[i] == live[1] then allowed = true end
end
if not allowed then return false end
local snapshot = redis.call('GET', KEYS[1])
if not snapshot then return false end
redis.call('HSET', KEYS[2], 'state', ARGV[1])
return {snapshot, ARGV[1], live[2], live[3], live[4], live[5]}
