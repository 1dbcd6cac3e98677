--[[ Deletes a voicemail and its index entries. The hash stays a week as a mark (`deleted`, no `data`), so that Twilio
  repeating the recording callback does not store it again (save_voicemail.lua).
  KEYS[1] the voicemail's hash   KEYS[2] set of every voicemail id
  ARGV[1] voicemail id   ARGV[2] prefix of per-user voicemail-id sets (the owner's is ARGV[2] .. userId, same slot)
  Returns 1 deleted; 0 unknown voicemail. ]]
local data = redis.call('HGET', KEYS[1], 'data')
if not data then return 0 end
redis.call('SREM', ARGV[2] .. cjson.decode(data).userId, ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'deleted', '1')
redis.call('EXPIRE', KEYS[1], 604800)
return 1
