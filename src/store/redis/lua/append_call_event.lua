--[[ Appends one event to the timeline of a known call (keeps the entry's expiry).
  KEYS[1] the call's hash
  ARGV[1] event JSON ({"at":N,"type":…})   ARGV[2] its identity: the JSON after the time (',"type":…}')
  Returns 1 appended; 0 unknown call, 2 the same event (but for its time) is already logged (no change). ]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local events = redis.call('HGET', KEYS[1], 'events')
-- an event's `"type"` directly follows its time, and quotes inside values are escaped: a plain match is an event
if events and ARGV[2] and ARGV[2] ~= '' and string.find(events, ARGV[2], 1, true) then return 2 end
if events and events ~= '' then events = events .. ',' .. ARGV[1] else events = ARGV[1] end
redis.call('HSET', KEYS[1], 'events', events)
return 1
