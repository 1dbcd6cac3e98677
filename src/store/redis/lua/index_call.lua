--[[ Adds a call to the call-log indexes (once, keeping its first score) and drops entries older than an entry lives.
  KEYS[1] the index of every call   KEYS[2] the user's index (sorted sets of CallSids scored by the call's start, epoch ms)
  ARGV[1] CallSid   ARGV[2] the call's start (epoch ms)   ARGV[3] the oldest score kept (now - the call log entries' lifetime)
  Returns 1. ]]
for _, index in ipairs(KEYS) do
  redis.call('ZADD', index, 'NX', ARGV[2], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. ARGV[3])
end
return 1
