--[[ Creates or replaces an item owned by a user (a rule, a callback request), keeping the per-user index.
  KEYS[1] items hash (item id -> item JSON)   KEYS[2] the new owner's id set
  ARGV[1] item id   ARGV[2] item JSON   ARGV[3] the new owner's user id
  ARGV[4] prefix of per-user id sets: a previous owner's set is ARGV[4] .. userId (same slot as KEYS[1])
  Returns 1 created; 2 replaced. ]]
local id = ARGV[1]
local previous = redis.call('HGET', KEYS[1], id)
if previous then
  local oldOwner = cjson.decode(previous).userId
  if oldOwner ~= ARGV[3] then redis.call('SREM', ARGV[4] .. oldOwner, id) end
end
redis.call('HSET', KEYS[1], id, ARGV[2])
redis.call('SADD', KEYS[2], id)
if previous then return 2 end
return 1
