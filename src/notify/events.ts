import { randomUUID } from 'node:crypto';
import type { CallRecord, CallbackRequest, User, Voicemail } from '../domain/types';

/**
 * The JSON events POSTed to a notification webhook. Every event has `type`, `id` (stable for one occurrence:
 * retries and repeats carry the same id), `occurredAt` (ISO 8601), the owning `user` and the inbound `call`,
 * plus one object with the details of its type.
 */

export type NotificationType = 'voicemail' | 'voicemail-transcribed' | 'callback' | 'missed-call';

export interface NotificationBase {
  type: NotificationType;
  id: string;
  occurredAt: string;
  user: { id: string; name: string };
  /** The inbound call: its CallSid, the caller (`from`) and the business number dialled (`to`). */
  call: { callSid: string; from: string; to: string };
}

export interface VoicemailNotification extends NotificationBase {
  type: 'voicemail';
  voicemail: {
    id: string;
    durationSeconds: number;
    /** Twilio's recording URL (needs the account's credentials). */
    recordingUrl: string;
    /** The app's own audio endpoint (needs the owner's or an administrator's bearer token). */
    audioUrl: string;
    ruleId?: string;
    /**
     * `pending` on the first attempt as a rule, Twilio's transcription coming later in a `voicemail-transcribed` event;
     * a retry built after it came has it too.
     */
    transcriptionStatus?: Voicemail['transcriptionStatus'];
    /** The text, once transcriptionStatus is `completed`. */
    transcription?: string;
  };
}

/**
 * Twilio's transcription of a voicemail already announced with `transcriptionStatus: 'pending'`: the same
 * `user`, `call` and `voicemail` fields, now with the result (`completed` with the text, or `failed`). Sent once per
 * voicemail; not sent when the text came before the recording was stored (the voicemail event carries it). `occurredAt`
 * is the voicemail's, as in its first event.
 */
export interface VoicemailTranscribedNotification extends NotificationBase {
  type: 'voicemail-transcribed';
  voicemail: VoicemailNotification['voicemail'] & { transcriptionStatus: 'completed' | 'failed' };
}

export interface CallbackNotification extends NotificationBase {
  type: 'callback';
  callback: { id: string; number: string; status: CallbackRequest['status'] };
}

export interface MissedCallNotification extends NotificationBase {
  type: 'missed-call';
  missedCall: {
    /** Always `missed`: nobody took the call (the caller hung up while phones rang or on hold, or in the voicemail greeting). */
    outcome: 'missed';
    startedAt: string;
    endedAt?: string;
    ruleId?: string;
    ruleName?: string;
    mode?: CallRecord['mode'];
  };
}

export type NotificationEvent = VoicemailNotification | VoicemailTranscribedNotification | CallbackNotification | MissedCallNotification;

/**
 * A test event (POST /api/users/:id/notify-test): no call, nothing happened; its `id` is new for each test. Sent once,
 * never retried. A receiver answers it as any event (2xx) and may otherwise ignore it.
 */
export interface TestNotification {
  type: 'test';
  id: string;
  occurredAt: string;
  user: { id: string; name: string };
}

/** The call outcomes that make a missed-call notification (`abandoned`: a hang-up on hold in call logs of older versions). */
export const MISSED_OUTCOMES: ReadonlySet<string> = new Set(['missed', 'abandoned']);

function eventId(type: NotificationType, sourceId: string): string {
  return `evt_${type}_${sourceId}`;
}

const owner = (user: Pick<User, 'id' | 'name'>) => ({ id: user.id, name: user.name });

export function voicemailEvent(voicemail: Voicemail, user: Pick<User, 'id' | 'name'>, publicBaseUrl: string): VoicemailNotification {
  return {
    type: 'voicemail',
    id: eventId('voicemail', voicemail.id),
    occurredAt: voicemail.createdAt,
    user: owner(user),
    call: { callSid: voicemail.callSid, from: voicemail.from, to: voicemail.to },
    voicemail: {
      id: voicemail.id,
      durationSeconds: voicemail.durationSeconds,
      recordingUrl: voicemail.recordingUrl,
      audioUrl: `${publicBaseUrl}/api/voicemails/${encodeURIComponent(voicemail.id)}/audio`,
      ...(voicemail.ruleId ? { ruleId: voicemail.ruleId } : {}),
      ...(voicemail.transcriptionStatus ? { transcriptionStatus: voicemail.transcriptionStatus } : {}),
      ...(voicemail.transcription !== undefined ? { transcription: voicemail.transcription } : {}),
    },
  };
}

/** The voicemail's transcription result; null while it has none (`pending`, or a voicemail that is not transcribed). */
export function voicemailTranscribedEvent(
  voicemail: Voicemail, user: Pick<User, 'id' | 'name'>, publicBaseUrl: string,
): VoicemailTranscribedNotification | null {
  const { transcriptionStatus } = voicemail;
  if (transcriptionStatus !== 'completed' && transcriptionStatus !== 'failed') return null;
  const { voicemail: details, ...base } = voicemailEvent(voicemail, user, publicBaseUrl);
  return {
    ...base,
    type: 'voicemail-transcribed',
    id: eventId('voicemail-transcribed', voicemail.id),
    voicemail: { ...details, transcriptionStatus },
  };
}

export function callbackEvent(callback: CallbackRequest, user: Pick<User, 'id' | 'name'>): CallbackNotification {
  return {
    type: 'callback',
    id: eventId('callback', callback.id),
    occurredAt: callback.createdAt,
    user: owner(user),
    call: { callSid: callback.callSid, from: callback.from, to: callback.to },
    callback: { id: callback.id, number: callback.number, status: callback.status },
  };
}

export function testEvent(user: Pick<User, 'id' | 'name'>, nowIso: string): TestNotification {
  return { type: 'test', id: `evt_test_${randomUUID()}`, occurredAt: nowIso, user: owner(user) };
}

/** `call` must have its outcome (one of MISSED_OUTCOMES); `nowIso` stands in for a missing endedAt. */
export function missedCallEvent(call: CallRecord, user: Pick<User, 'id' | 'name'>, nowIso: string): MissedCallNotification {
  return {
    type: 'missed-call',
    id: eventId('missed-call', call.callSid),
    occurredAt: call.endedAt ?? nowIso,
    user: owner(user),
    call: { callSid: call.callSid, from: call.from, to: call.to },
    missedCall: {
      outcome: 'missed',
      startedAt: call.startedAt,
      ...(call.endedAt ? { endedAt: call.endedAt } : {}),
      ...(call.ruleId ? { ruleId: call.ruleId } : {}),
      ...(call.ruleName ? { ruleName: call.ruleName } : {}),
      ...(call.mode ? { mode: call.mode } : {}),
    },
  };
}
