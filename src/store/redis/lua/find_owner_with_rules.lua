--[[ Reads the owner of a number and all their rules in one round trip (no writes).
  KEYS[1] numbers hash (E.164 number -> user id)   KEYS[2] users hash (user id -> user JSON)
  KEYS[3] rules hash (rule id -> rule JSON)
  ARGV[1] the number   ARGV[2] prefix of per-user rule id sets (the owner's set is ARGV[2] .. userId, same slot as KEYS)
  Returns {user JSON, JSON array of the user's rules}, or false (nil) when nobody owns the number.
  Ids in the owner's set whose rule is gone are skipped. ]]
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return false end
local user = redis.call('HGET', KEYS[2], id)
if not user then return false end
local rules = {}
for _, ruleId in ipairs(redis.call('SMEMBERS', ARGV[2] .. id)) do
  local json = redis.call('HGET', KEYS[3], ruleId)
  if json then rules[#rules + 1] = json end
end
return {user, '[' .. table.concat(rules, ',') .. ']'}
