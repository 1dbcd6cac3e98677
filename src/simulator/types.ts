import type { CallStatus } from '../twilio/constants';
import type { VirtualClock } from './virtual-clock';

/** Seconds throughout (fractions allowed), as a person would describe a call. */
interface CalleeCommon {
  /** Name printed in the timeline, e.g. 'Home'. */
  label?: string;
}

/**
 * How a called party behaves. A target without a script never answers.
 * - answer: a person picks up `after` s of ringing; `press` is keyed into the first Gather they hear,
 *   `pressAfter` s after that Gather starts (default: 1 s after its prompts finish); once bridged they
 *   talk `talkSeconds` (default 60) and hang up.
 * - voicemail: a carrier voicemail box picks up after `after` s, never presses a key, plays its greeting
 *   (`greetingSeconds`, default 10), records (`recordSeconds`, default 30) and hangs up — counted from
 *   the moment it answered, whatever the TwiML is doing.
 */
export type CalleeScript = CalleeCommon &
  (
    | { kind: 'no-answer' }
    | { kind: 'busy' }
    | { kind: 'failed' }
    | { kind: 'answer'; after: number; press?: string; pressAfter?: number; talkSeconds?: number }
    | { kind: 'voicemail'; after: number; greetingSeconds?: number; recordSeconds?: number }
  );

/**
 * How the inbound caller behaves. `hangUpAfter` and `holdDigits[].at` count from the moment the call was
 * placed. Digits pressed while no Gather listens are lost (as on Twilio). `message` is what the caller says
 * when a Record starts (default 10 s); 'none' = silence, an empty recording.
 */
export interface CallerScript {
  label?: string;
  hangUpAfter?: number;
  holdDigits?: Array<{ at: number; digits: string }>;
  message?: { seconds: number; transcript?: string } | 'none';
}

/** Choices for behaviour TWILIO.md marks uncertain; defaults are the more likely reading. */
export interface UncertainChoices {
  /** When the first leg to answer makes the other legs of a Dial stop ringing (default 'bridge'). */
  cancelOtherLegsAt?: 'answer' | 'bridge';
  /** DialCallStatus when every answered leg was rejected in its whisper (default 'completed', DialBridged=false). */
  whisperRejectedDialStatus?: 'completed' | 'no-answer';
  /**
   * A queued caller moved out by REST (Calls or queue Members update): Twilio requests the Enqueue action with
   * QueueResult=redirected and runs the redirect's TwiML, ignoring the action's answer (default 'ignored'), or runs
   * the action's answer instead ('followed').
   */
  redirectedQueueAction?: 'ignored' | 'followed';
}

export interface EmulatorOptions {
  accountSid: string;
  authToken: string;
  clock: VirtualClock;
  /** Awaited before virtual time moves on (e.g. () => app.deps.background.idle()), besides the emulator's own in-flight HTTP. */
  quiesce?: () => Promise<void>;
  /** Twilio's default account limit: one API-created call starts per second; the rest wait `queued`. */
  restPacing?: boolean;
  /** Assumed length of one play of an audio URL (default 30 s). */
  playSeconds?: number | ((url: string) => number | undefined);
  /** Seconds Twilio adds to a Dial timeout (default 0; real Twilio adds about 5). */
  dialTimeoutSlackSeconds?: number;
  uncertain?: UncertainChoices;
  /** Status callbacks of API-created calls may be repeated and/or delivered out of order (part of TWILIO.md). */
  statusCallbackChaos?: { repeat?: boolean; reorder?: boolean };
  /** Port of the fake REST API (default 0 = ephemeral). */
  port?: number;
}

export type CallOutcome =
  | { kind: 'connected'; to: string; legSid: string; answeredBy: 'human' | 'machine' }
  | { kind: 'voicemail'; recordingSid: string; seconds: number }
  | { kind: 'hangup-by-app' }
  | { kind: 'caller-hung-up' }
  | { kind: 'rejected'; reason: 'busy' | 'rejected' }
  | { kind: 'application-error'; errorCode: number };

/** One HTTP request the emulator made to the app, with what came back. */
export interface WebhookExchange {
  readonly at: number;
  readonly callSid?: string;
  readonly purpose: WebhookPurpose;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly params: Readonly<Record<string, string>>;
  status?: number;
  contentType?: string;
  body?: string;
  /** Network failure or timeout (no HTTP status). */
  error?: string;
}

export type WebhookPurpose =
  | 'voice-url' | 'fallback' | 'action' | 'redirect' | 'whisper' | 'wait-url' | 'call-url'
  | 'status-callback' | 'recording-status' | 'transcription';

export type TimelineEvent =
  | 'incoming' | 'ringing' | 'answered' | 'voicemail-greeting' | 'whisper' | 'whisper-digits' | 'digits'
  | 'digits-lost' | 'gather-no-input' | 'say' | 'play' | 'pause' | 'bridged' | 'no-answer' | 'busy' | 'failed'
  | 'canceled' | 'hangup' | 'rejected' | 'recording-started' | 'recording' | 'recording-empty' | 'application-error' | 'fallback'
  | 'callback-error' | 'warning' | 'queued' | 'call-created' | 'redirected' | 'enqueued' | 'dequeued'
  | 'left-queue' | 'rest';

export interface TimelineEntry {
  /** Virtual epoch ms. */
  readonly at: number;
  /** Seconds since the first call was placed. */
  readonly offset: number;
  readonly callSid: string;
  /** 'Home (+15551230002)', 'caller (+15557654321)'. */
  readonly who: string;
  readonly event: TimelineEvent;
  readonly detail?: string;
}

export interface LegView {
  readonly sid: string;
  readonly parentSid?: string;
  readonly direction: 'outbound-dial' | 'outbound-api';
  readonly from: string;
  readonly target: string;
  readonly label?: string;
  readonly startedAt: number;
  readonly answeredAt?: number;
  readonly endedAt?: number;
  readonly status: CallStatus;
  /** Ever connected to the caller. */
  readonly bridged: boolean;
  readonly answeredBy?: 'human' | 'machine';
  /** Digits the callee pressed on this leg. */
  readonly digits: string;
}

/**
 * A recording's `status` in Twilio's Recording resource: in-progress, paused and stopped while it is being made,
 * processing until its file is ready, then completed; absent (nothing recorded: too short or silent), failed, or deleted.
 */
export type RecordingStatusAtTwilio =
  | 'in-progress' | 'paused' | 'stopped' | 'processing' | 'completed' | 'absent' | 'failed' | 'deleted';

export interface RecordingView {
  readonly sid: string;
  readonly callSid: string;
  readonly url: string;
  readonly seconds: number;
  readonly startedAt: number;
  /** What GET …/Recordings/{sid}.json answers as `status` (a <Record> makes it completed). */
  readonly status: RecordingStatusAtTwilio;
  /** Twilio's error code for an absent or failed recording (`error_code`), if any. */
  readonly errorCode?: number;
  readonly transcript?: string;
}

/** A recording as a test wants Twilio to have it (TwilioEmulator.setRecording). */
export interface RecordingAtTwilio {
  readonly sid: string;
  readonly callSid: string;
  readonly status: RecordingStatusAtTwilio;
  /** Its length, once Twilio knows it (the resource's `duration`, null before processing is done); default 0. */
  readonly seconds?: number;
  readonly errorCode?: number;
}

/** A failure the app caused, as Twilio would report it in its debugger. */
export interface EmulatorError {
  readonly at: number;
  readonly callSid?: string;
  readonly kind: 'application-error' | 'fallback-used' | 'callback-failed' | 'twiml-warning';
  readonly code: number;
  readonly url?: string;
  readonly message: string;
}

export interface QueueView {
  readonly sid: string;
  readonly name: string;
  readonly maxSize: number;
  /** CallSids of the callers waiting, front first. */
  readonly members: readonly string[];
}
