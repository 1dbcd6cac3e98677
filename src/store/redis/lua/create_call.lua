--[[ Starts the call-log entry of one call, once. (The caller adds it to the call-log indexes.)
  KEYS[1] the call's hash (fields: data, events, outcome, endedAt)
  ARGV[1] record JSON without events/outcome/endedAt   ARGV[2] initial events: JSON objects joined by ',' ('' none)
  ARGV[3] time to live in ms   ARGV[4] outcome ('' none)   ARGV[5] endedAt ('' none)
  Returns 1 created; 0 already exists (no change). ]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[1], 'events', ARGV[2])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'outcome', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'endedAt', ARGV[5]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
