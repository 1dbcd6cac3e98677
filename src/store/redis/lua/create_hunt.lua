--[[ Records a hunt once per CallSid: its snapshot and its live state, expiring together.
  KEYS[1] the hunt snapshot (string)   KEYS[2] the hunt's live state (hash, see keys.ts)
  ARGV[1] snapshot JSON (without state/step/cycle)   ARGV[2] time to live in ms
  ARGV[3] state   ARGV[4] step   ARGV[5] cycle   ARGV[6] number of steps in the plan
  Returns 1 created; 0 a hunt exists for this CallSid (no change). ]]
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'state', ARGV[3], 'step', ARGV[4], 'cycle', ARGV[5], 'steps', ARGV[6], 'pending', 0)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
