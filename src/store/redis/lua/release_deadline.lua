--[[ Removes a leased entry of the deadline set once its handler is done, unless it was set again meanwhile.
  KEYS[1] the deadline set
  ARGV[1] the entry   ARGV[2] the due time its lease gave it (epoch ms)
  Returns 1 when removed, 0 when absent or set to another time. ]]
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
