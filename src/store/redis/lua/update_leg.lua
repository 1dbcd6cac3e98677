--[[ Sets a leg's REST SID and/or live status. A 'done' leg never changes, and a live status never moves back
  (placing < queued < ringing < in-progress): Twilio may deliver status callbacks out of order.
  KEYS[1] the hunt's live state (hash)
  ARGV[1] leg id   ARGV[2] REST SID ('' keep)   ARGV[3] status ('' keep)
  Returns 1 changed; 0 unknown leg, 'done' leg, or nothing new (no change). ]]
local RANK = { placing = 1, queued = 2, ringing = 3, ['in-progress'] = 4 }
local id = ARGV[1]
local status = redis.call('HGET', KEYS[1], id .. ':s')
if not status or status == 'done' then return 0 end
local changed = 0
if ARGV[2] ~= '' and redis.call('HGET', KEYS[1], id .. ':sid') ~= ARGV[2] then
  redis.call('HSET', KEYS[1], id .. ':sid', ARGV[2])
  changed = 1
end
if ARGV[3] ~= '' and (RANK[ARGV[3]] or 0) > (RANK[status] or 0) then
  redis.call('HSET', KEYS[1], id .. ':s', ARGV[3])
  changed = 1
end
return changed
