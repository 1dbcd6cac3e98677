--[[ Appends one event to the timeline of a known call (keeps the entry's expiry).
  KEYS[1] the call's hash
  ARGV[1] event JSON
  Returns 1 appended; 0 unknown call (no change). ]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local events = redis.call('HGET', KEYS[1], 'events')
if events and events ~= '' then events = events .. ',' .. ARGV[1] else events = ARGV[1] end
redis.call('HSET', KEYS[1], 'events', events)
return 1
