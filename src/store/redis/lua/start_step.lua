--[[ Records the legs of the hunt's current step before they are placed, once per (step, cycle).
  KEYS[1] the hunt's live state (hash)   KEYS[2] the call's log entry (hash; same {CallSid} slot)
  ARGV[1] step   ARGV[2] cycle   ARGV[3] event JSON appended to the call's timeline when recorded ('' none)
  then five values per leg: leg id, descriptor JSON, status, REST SID ('' none), result ('' none)
  Legs not 'done' are counted as pending (finish_leg counts them down). Legs of cycles older than cycle - 1 are
  deleted (all done by then: a cycle only advances when its last step has no pending leg).
  Returns 1 recorded; 0 the hunt is unknown, not 'hunting', at another step or cycle, or this step is already
  recorded (no change). ]]
local live = redis.call('HMGET', KEYS[1], 'state', 'step', 'cycle', 'started')
if live[1] ~= 'hunting' or live[2] ~= ARGV[1] or live[3] ~= ARGV[2] then return 0 end
local position = ARGV[2] .. '.' .. ARGV[1]
if live[4] == position then return 0 end
-- Legs of cycles before the previous one are long done: forget them, so a long hold stays small.
local keep = tonumber(ARGV[2]) - 1
if keep > 0 then
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    local legCycle = string.match(field, '^(%d+)%.%d+%.%d+:')
    if legCycle and tonumber(legCycle) < keep then redis.call('HDEL', KEYS[1], field) end
  end
end
local pending = 0
for i = 4, #ARGV, 5 do
  local id = ARGV[i]
  redis.call('HSET', KEYS[1], id .. ':d', ARGV[i + 1], id .. ':s', ARGV[i + 2])
  if ARGV[i + 3] ~= '' then redis.call('HSET', KEYS[1], id .. ':sid', ARGV[i + 3]) end
  if ARGV[i + 4] ~= '' then redis.call('HSET', KEYS[1], id .. ':r', ARGV[i + 4]) end
  if ARGV[i + 2] ~= 'done' then pending = pending + 1 end
end
redis.call('HSET', KEYS[1], 'started', position)
redis.call('HINCRBY', KEYS[1], 'pending', pending)
-- the step's event, as append_call_event.lua does it
if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then
  local events = redis.call('HGET', KEYS[2], 'events')
  if events and events ~= '' then events = events .. ',' .. ARGV[3] else events = ARGV[3] end
  redis.call('HSET', KEYS[2], 'events', events)
end
return 1
