--[[ Records the SID of a hunt's queue (Twilio names it in every waitUrl request); the first one recorded stays.
  KEYS[1] the hunt's live state (hash)   ARGV[1] the queue's QU… SID
  Returns 1 recorded; 0 the hunt is unknown (no key is created: it would outlive the hunt) or already has one. ]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HSETNX', KEYS[1], 'queueSid', ARGV[1])
