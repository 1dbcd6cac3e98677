/** Twilio's vocabulary as typed constants (TWILIO.md). Handlers never spell these strings themselves. */

export const CallStatus = {
  Queued: 'queued',
  Ringing: 'ringing',
  InProgress: 'in-progress',
  Completed: 'completed',
  Busy: 'busy',
  Failed: 'failed',
  NoAnswer: 'no-answer',
  Canceled: 'canceled',
} as const;
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus];

export const FINAL_CALL_STATUSES: readonly CallStatus[] = [
  CallStatus.Completed, CallStatus.Busy, CallStatus.Failed, CallStatus.NoAnswer, CallStatus.Canceled,
];

export const DialCallStatus = {
  Completed: 'completed',
  Answered: 'answered',
  Busy: 'busy',
  NoAnswer: 'no-answer',
  Failed: 'failed',
  Canceled: 'canceled',
} as const;
export type DialCallStatus = (typeof DialCallStatus)[keyof typeof DialCallStatus];

export const QueueResult = {
  Bridged: 'bridged',
  BridgingInProcess: 'bridging-in-process',
  Hangup: 'hangup',
  Leave: 'leave',
  Redirected: 'redirected',
  RedirectedFromBridged: 'redirected-from-bridged',
  QueueFull: 'queue-full',
  Error: 'error',
  SystemError: 'system-error',
} as const;
export type QueueResult = (typeof QueueResult)[keyof typeof QueueResult];

export const RecordingStatus = {
  InProgress: 'in-progress',
  Completed: 'completed',
  Absent: 'absent',
  Failed: 'failed',
} as const;
export type RecordingStatus = (typeof RecordingStatus)[keyof typeof RecordingStatus];

/** TranscriptionStatus of a `<Record transcribe>` callback. */
export const TranscriptionStatus = {
  Completed: 'completed',
  Failed: 'failed',
} as const;
export type TranscriptionStatus = (typeof TranscriptionStatus)[keyof typeof TranscriptionStatus];

export const Direction = {
  Inbound: 'inbound',
  OutboundApi: 'outbound-api',
  OutboundDial: 'outbound-dial',
} as const;

/** AnsweredBy values of answering-machine detection that mean "not a person". */
export const MACHINE_ANSWERS: readonly string[] = [
  'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax',
];

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * A fallback request's ErrorCode saying Twilio fetched our answer but could not run it: a TwiML document (12xxx) or
 * verb (13xxx) error. Answering the same stage again would fail the same way. (11xxx: the request failed on the way —
 * no answer, a 5xx, a timeout — and answering it again is the cure.)
 */
export function twimlRejected(errorCode: string | undefined): boolean {
  return errorCode !== undefined && /^1[23]\d{3}$/.test(errorCode);
}
