--[[ Sets a leg's REST SID and/or live status. A 'done' leg never changes, and a live status never moves back
  (placing < queued < ringing < in-progress): Twilio may deliver status callbacks out of order.
  KEYS[1] the hunt's live state (hash)
  ARGV[1] leg id   ARGV[2] REST SID ('' keep)   ARGV[3] status ('' keep)
  Returns the hunt's state after the call ('hunting', 'connected', …; false when there is no such hunt), whether or
  not the leg changed (unknown leg, 'done' leg, nothing new: no change). ]]
local RANK = { placing = 1, queued = 2, ringing = 3, ['in-progress'] = 4 }
local id = ARGV[1]
local state = redis.call('HGET', KEYS[1], 'state')
local status = redis.call('HGET', KEYS[1], id .. ':s')
if not status or status == 'done' then return state end
if ARGV[2] ~= '' and redis.call('HGET', KEYS[1], id .. ':sid') ~= ARGV[2] then
  redis.call('HSET', KEYS[1], id .. ':sid', ARGV[2])
end
if ARGV[3] ~= '' and (RANK[ARGV[3]] or 0) > (RANK[status] or 0) then
  redis.call('HSET', KEYS[1], id .. ':s', ARGV[3])
end
return state
