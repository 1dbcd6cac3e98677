--[[ Sets transcription fields of a stored voicemail; never creates one.
  KEYS[1] the voicemail's hash
  ARGV field/value pairs (transcription, transcriptionStatus); they override the same fields of `data`
  Returns 1 updated; 0 unknown voicemail (no change). ]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
return 1
