--[[ Records the outcome of a known call; only the first outcome sticks.
  KEYS[1] the call's hash
  ARGV[1] outcome   ARGV[2] endedAt
  Returns 1 recorded; 0 unknown call or outcome already recorded (no change). ]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[1], 'outcome', ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'endedAt', ARGV[2])
return 1
