import type { CallEvent, CallRecord, Voicemail } from '../../domain/types';

/**
 * How records are laid out in Redis hashes (compact JSON strings; no field is stored twice).
 * Call entry fields: data (the record without events/outcome/endedAt), events (event JSON objects joined by ','),
 * outcome, endedAt. Voicemail fields: data (the voicemail JSON), transcription and transcriptionStatus (set later,
 * they override the same fields of data).
 */
export interface EncodedCall {
  data: string;
  events: string;
  outcome: string;
  endedAt: string;
}

export function encodeCall(call: CallRecord): EncodedCall {
  const { events, outcome, endedAt, ...data } = call;
  return {
    data: JSON.stringify(data),
    events: events.map(encodeEvent).join(','),
    outcome: outcome ?? '',
    endedAt: endedAt ?? '',
  };
}

export function encodeEvent(event: CallEvent): string {
  return JSON.stringify(event);
}

/** The call entry from its hash fields (HMGET data events outcome endedAt), or null when the entry is gone. */
export function decodeCall(fields: readonly (string | null)[]): CallRecord | null {
  const [data, events, outcome, endedAt] = fields;
  if (!data) return null;
  const call: CallRecord = { ...(JSON.parse(data) as Omit<CallRecord, 'events'>), events: JSON.parse(`[${events ?? ''}]`) };
  if (outcome) call.outcome = outcome;
  if (endedAt) call.endedAt = endedAt;
  return call;
}

export const CALL_FIELDS = ['data', 'events', 'outcome', 'endedAt'] as const;
export const VOICEMAIL_FIELDS = ['data', 'transcription', 'transcriptionStatus'] as const;

/** The voicemail from its hash fields (HMGET data transcription transcriptionStatus), or null when it is gone. */
export function decodeVoicemail(fields: readonly (string | null)[]): Voicemail | null {
  const [data, transcription, transcriptionStatus] = fields;
  if (!data) return null;
  const voicemail = JSON.parse(data) as Voicemail;
  if (transcription !== null && transcription !== undefined) voicemail.transcription = transcription;
  if (transcriptionStatus) voicemail.transcriptionStatus = transcriptionStatus as Voicemail['transcriptionStatus'];
  return voicemail;
}
