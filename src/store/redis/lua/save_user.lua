--[[ Creates or replaces a user, taking their numbers and indexing their token hash, atomically.
  KEYS[1] users hash (user id -> user JSON)
  KEYS[2] numbers hash (E.164 -> owner's user id)
  KEYS[3] tokens hash (token hash -> user id)
  ARGV[1] user id   ARGV[2] user JSON   ARGV[3] token hash
  ARGV[4] '1': update only (an unknown user is not created), '0': create or replace
  ARGV[5] the user JSON as the caller read it before the change, or '': no change unless it is still what is stored
  ARGV[6..] the user's numbers
  Numbers the previous version held and this one does not are released; its old token hash is unindexed.
  Returns {1} saved; {0} update of an unknown user, or of one changed since ARGV[5] was read (no change);
          {-1, number, ownerId} a number belongs to another user (no change). ]]
local id, json, tokenHash, updateOnly = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1'

local previous = redis.call('HGET', KEYS[1], id)
if updateOnly and not previous then return {0} end
if ARGV[5] ~= '' and previous ~= ARGV[5] then return {0} end

for i = 6, #ARGV do
  local owner = redis.call('HGET', KEYS[2], ARGV[i])
  if owner and owner ~= id then return {-1, ARGV[i], owner} end
end

if previous then
  local old = cjson.decode(previous)
  for _, number in ipairs(old.numbers) do
    if redis.call('HGET', KEYS[2], number) == id then redis.call('HDEL', KEYS[2], number) end
  end
  if redis.call('HGET', KEYS[3], old.tokenHash) == id then redis.call('HDEL', KEYS[3], old.tokenHash) end
end

redis.call('HSET', KEYS[1], id, json)
for i = 6, #ARGV do redis.call('HSET', KEYS[2], ARGV[i], id) end
redis.call('HSET', KEYS[3], tokenHash, id)
return {1}
