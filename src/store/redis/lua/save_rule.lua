--[[ Saves a rule for an API request, keeping the per-user index: only while its owner exists (a user deleted meanwhile
  gets no rule), and, for a change, only while the rule is still what the request read (a rule deleted or changed
  meanwhile is not brought back or overwritten).
  KEYS[1] rules hash (rule id -> rule JSON)   KEYS[2] the owner's rule-id set   KEYS[3] users hash
  ARGV[1] rule id   ARGV[2] rule JSON   ARGV[3] owner's user id
  ARGV[4] prefix of per-user rule-id sets (a previous owner's set is ARGV[4] .. userId)
  ARGV[5] the rule JSON as read before the change, or '' for a new rule (which must not exist yet)
  Returns 1 saved; 0 not saved (no change). ]]
local id = ARGV[1]
if redis.call('HEXISTS', KEYS[3], ARGV[3]) == 0 then return 0 end
local previous = redis.call('HGET', KEYS[1], id)
if ARGV[5] == '' then
  if previous then return 0 end
elseif previous ~= ARGV[5] then
  return 0
end
if previous then
  local oldOwner = cjson.decode(previous).userId
  if oldOwner ~= ARGV[3] then redis.call('SREM', ARGV[4] .. oldOwner, id) end
end
redis.call('HSET', KEYS[1], id, ARGV[2])
redis.call('SADD', KEYS[2], id)
return 1
