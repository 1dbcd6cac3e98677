--[[ Removes a user with their numbers, their token hash and their rules, atomically.
  KEYS[1] users hash   KEYS[2] numbers hash   KEYS[3] tokens hash
  KEYS[4] rules hash (rule id -> rule JSON)   KEYS[5] the user's rule-id set
  ARGV[1] user id
  Returns 1 deleted; 0 unknown user (no change). ]]
local id = ARGV[1]
local stored = redis.call('HGET', KEYS[1], id)
if not stored then return 0 end

local user = cjson.decode(stored)
for _, number in ipairs(user.numbers) do
  if redis.call('HGET', KEYS[2], number) == id then redis.call('HDEL', KEYS[2], number) end
end
if redis.call('HGET', KEYS[3], user.tokenHash) == id then redis.call('HDEL', KEYS[3], user.tokenHash) end

for _, ruleId in ipairs(redis.call('SMEMBERS', KEYS[5])) do redis.call('HDEL', KEYS[4], ruleId) end
redis.call('DEL', KEYS[5])
redis.call('HDEL', KEYS[1], id)
return 1
