--[[ Stores a voicemail once per recording SID, with its indexes. A repeated recording callback changes nothing.
  KEYS[1] the voicemail's hash (fields: data, transcription, transcriptionStatus)
  KEYS[2] set of every voicemail id   KEYS[3] the owner's voicemail-id set
  ARGV[1] voicemail id (recording SID)   ARGV[2] voicemail JSON
  Returns 1 stored; 0 already stored, or deleted since (no change). ]]
if redis.call('HEXISTS', KEYS[1], 'data') == 1 or redis.call('HEXISTS', KEYS[1], 'deleted') == 1 then return 0 end
-- a transcription that came first may already be in the hash (update_voicemail.lua): keep it, and keep it for good
redis.call('HSET', KEYS[1], 'data', ARGV[2])
redis.call('PERSIST', KEYS[1])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
