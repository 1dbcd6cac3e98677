--[[ Adds a call to the call-log indexes (once, keeping its first score) and drops entries older than an entry lives;
  an index expires with its newest entry (the index of a user who gets no more calls would otherwise stay for good).
  KEYS[1] the index of every call   KEYS[2] the user's index (sorted sets of CallSids scored by the call's start, epoch ms)
  ARGV[1] CallSid   ARGV[2] the call's start (epoch ms)   ARGV[3] the oldest score kept (now - the call log entries' lifetime)
  ARGV[4] the call log entries' lifetime (ms)
  Returns 1. ]]
for _, index in ipairs(KEYS) do
  redis.call('ZADD', index, 'NX', ARGV[2], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. ARGV[3])
  redis.call('PEXPIRE', index, ARGV[4])
end
return 1
