--[[ Looks a user up through an index hash in one round trip (no writes).
  KEYS[1] index hash (e.g. token hash -> user id)   KEYS[2] users hash (user id -> user JSON)
  ARGV[1] the indexed value
  Returns the user JSON, or false (nil) when the value is not indexed or the user is gone. ]]
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return false end
return redis.call('HGET', KEYS[2], id)
