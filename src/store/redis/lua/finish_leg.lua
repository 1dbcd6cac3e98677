--[[ A leg's final result, counted once. When it was the last pending leg, the hunt is still 'hunting' and its
  current step was started, the hunt moves to the next step (after the last step: step 0 of the next cycle).
  KEYS[1] the hunt's live state (hash)
  ARGV[1] leg id ('' : count nothing, only move on a hunt whose started step has no pending leg, e.g. because its
  last result came while the hunt was not hunting)   ARGV[2] result (no-answer, busy, failed, canceled, completed, ...)
  Returns {0} not counted (unknown hunt or leg, or the leg was already done; with no leg id: not moved); {1} counted;
          {2, step, cycle} counted (or, with no leg id, idle), and the hunt moved to (step, cycle). ]]
local id = ARGV[1]
local counted = 0
if id ~= '' then
  local status = redis.call('HGET', KEYS[1], id .. ':s')
  if not status or status == 'done' then return {0} end
  redis.call('HSET', KEYS[1], id .. ':s', 'done', id .. ':r', ARGV[2])
  if redis.call('HINCRBY', KEYS[1], 'pending', -1) > 0 then return {1} end
  counted = 1
elseif tonumber(redis.call('HGET', KEYS[1], 'pending') or '1') > 0 then
  return {0}
end

local live = redis.call('HMGET', KEYS[1], 'state', 'step', 'cycle', 'steps', 'started')
local step, cycle, steps = tonumber(live[2]), tonumber(live[3]), tonumber(live[4])
if live[1] ~= 'hunting' or live[5] ~= live[3] .. '.' .. live[2] or steps < 1 then return {counted} end
step = step + 1
if step >= steps then
  step = 0
  cycle = cycle + 1
end
redis.call('HSET', KEYS[1], 'step', step, 'cycle', cycle)
return {2, step, cycle}
