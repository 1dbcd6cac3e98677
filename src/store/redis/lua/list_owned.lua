--[[ Lists a user's items (rules, callback requests) in one round trip (no writes).
  KEYS[1] items hash (item id -> item JSON)   KEYS[2] the user's id set
  Returns the items' JSON strings (ids whose item is gone are skipped). ]]
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local json = redis.call('HGET', KEYS[1], id)
  if json then out[#out + 1] = json end
end
return out
