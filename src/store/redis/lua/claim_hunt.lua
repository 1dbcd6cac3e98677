--[[ A leg claims the caller for an outcome: only a hunt still 'hunting' can be claimed, and only one leg wins.
  KEYS[1] the hunt's live state (hash)
  ARGV[1] leg id   ARGV[2] the outcome state ('connected' or 'voicemail')   ARGV[3] the claimer's CallSid ('' none)
  Returns 1 claimed (also when the winning leg repeats its claim for the same outcome);
          0 taken: another outcome was decided; -1 gone: the caller hung up ('abandoned') or the hunt is unknown;
          -2 not a leg: no such leg, its SID is recorded and the claimer's CallSid is another, or it has ended while
          the hunt is still hunting (a leg of this hunt that ended once the hunt was decided, e.g. hung up by the app
          while its key press was on its way, gets 0 taken) (except
          for a 2 from a leg that was answered: it may hang up at once, and its final status come first; and except a
          leg whose placement was counted 'failed' without a SID, its outcome unknown: Twilio may have placed it all
          the same, and its claimer's CallSid becomes its SID; not one Twilio 'refused'). ]]
local state = redis.call('HGET', KEYS[1], 'state')
if not state or state == 'abandoned' then return -1 end
local legStatus = redis.call('HGET', KEYS[1], ARGV[1] .. ':s')
if not legStatus then return -2 end
local legSid = redis.call('HGET', KEYS[1], ARGV[1] .. ':sid')
if legSid and legSid ~= ARGV[3] then return -2 end
-- the winner repeating its claim gets the same answer, whatever its leg has done since
if state == ARGV[2] and redis.call('HGET', KEYS[1], 'winner') == ARGV[1] then return 1 end
if legStatus == 'done' and state ~= 'hunting' then return 0 end
local result = redis.call('HGET', KEYS[1], ARGV[1] .. ':r')
local adopted = legStatus == 'done' and result == 'failed' and not legSid and ARGV[3] ~= ''
if legStatus == 'done' and not adopted and (ARGV[2] ~= 'voicemail' or not legSid or result ~= 'completed') then
  return -2
end
if state == 'hunting' then
  redis.call('HSET', KEYS[1], 'state', ARGV[2], 'winner', ARGV[1])
  if adopted then redis.call('HSET', KEYS[1], ARGV[1] .. ':sid', ARGV[3]) end
  return 1
end
return 0
