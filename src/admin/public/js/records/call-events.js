/** A call-log event (CallEvent in the domain) as a sentence. */
const LABELS = {
  incoming: 'Call came in',
  rule: 'Rule chosen',
  step: 'Step started',
  'leg-ringing': 'Ringing',
  'leg-answered': 'Answered',
  'leg-accepted': 'Accepted (pressed 1)',
  'leg-declined': 'Declined',
  'leg-no-answer': 'No answer',
  'leg-busy': 'Busy',
  'leg-failed': 'Failed',
  'leg-canceled': 'Stopped ringing',
  'leg-machine': 'A voicemail box answered',
  'leg-ended': 'Hung up',
  connected: 'Caller connected',
  voicemail: 'Caller sent to voicemail',
  'voicemail-recorded': 'Voicemail recorded',
  callback: 'Callback number left',
  abandoned: 'Caller hung up',
  deadline: 'Maximum hold time reached',
  unreachable: 'No phone could be called (Twilio refused every call)',
  ended: 'Call ended',
  'unknown-number': 'The number belongs to nobody',
};

const OUTCOMES = { connected: 'Connected', voicemail: 'Voicemail', callback: 'Callback', abandoned: 'Caller hung up', missed: 'Missed' };

export function eventText(event) {
  const where = event.step !== undefined
    ? ` (step ${event.step + 1}${event.cycle ? `, round ${event.cycle + 1}` : ''})`
    : '';
  const who = event.destination ? ` — ${event.destination}` : '';
  const detail = event.detail ? `: ${event.detail}` : '';
  return `${LABELS[event.type] ?? event.type}${who}${where}${detail}`;
}

/** A call's outcome; for a connected call, who took it (the last phone connected, as the call log names it). */
export function outcomeText(call) {
  if (!call.outcome) return 'In progress';
  const text = OUTCOMES[call.outcome] ?? call.outcome;
  const connected = call.outcome === 'connected' ? (call.events ?? []).filter((e) => e.type === 'connected').at(-1) : undefined;
  return connected?.destination ? `${text} — ${connected.destination}` : text;
}
