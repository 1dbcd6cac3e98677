--[[ Deletes an item owned by a user (a rule, a callback request) and its per-user index entry.
  KEYS[1] items hash (item id -> item JSON)
  ARGV[1] item id   ARGV[2] prefix of per-user id sets (the owner's set is ARGV[2] .. userId, same slot as KEYS[1])
  Returns 1 deleted; 0 unknown item. ]]
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return 0 end
redis.call('SREM', ARGV[2] .. cjson.decode(stored).userId, ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
