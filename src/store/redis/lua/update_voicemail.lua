--[[ Sets transcription fields of a stored voicemail. A transcription that arrives before its voicemail is stored
  (Twilio's callbacks come in no guaranteed order) is kept in the same hash, without `data`, for a day; save_voicemail.lua
  then stores the voicemail around it.
  KEYS[1] the voicemail's hash
  ARGV field/value pairs (transcription, transcriptionStatus); they override the same fields of `data`
  Returns 2 when this update gave a stored voicemail its first result (completed or failed, where it was pending or had
  none: memory-voicemails.ts the same), 1 otherwise updated; 0 voicemail not stored (yet), or deleted. ]]
if redis.call('HEXISTS', KEYS[1], 'deleted') == 1 then return 0 end
if redis.call('HEXISTS', KEYS[1], 'data') == 0 then
  if #ARGV > 0 then
    redis.call('HSET', KEYS[1], unpack(ARGV))
    redis.call('EXPIRE', KEYS[1], 86400)
  end
  return 0
end
local function isResult(status) return status == 'completed' or status == 'failed' end
local before = redis.call('HGET', KEYS[1], 'transcriptionStatus')
if not before then before = cjson.decode(redis.call('HGET', KEYS[1], 'data')).transcriptionStatus end
if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
if not isResult(before) and isResult(redis.call('HGET', KEYS[1], 'transcriptionStatus')) then return 2 end
return 1
