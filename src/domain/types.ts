/** The product's vocabulary as plain data (DESIGN §2, §4). JSON-serialisable; no behaviour here. */

export type Mode = 'followMe' | 'extendRing';
export type DestinationType = 'number' | 'client' | 'sip';
export type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface Destination {
  type: DestinationType;
  /** E.164 number, Client identity, or sip: URI. */
  to: string;
  label?: string;
}

export interface Step {
  destinations: Destination[];
  ringSeconds: number;
}

export interface ScheduleWindow {
  days: Day[];
  /** HH:MM, inclusive. */
  from: string;
  /** HH:MM, exclusive; equal to `from` = the whole day; earlier than `from` = crosses midnight. */
  to: string;
}

export interface Schedule {
  timezone: string;
  windows: ScheduleWindow[];
}

export interface VoicemailSettings {
  /** Text to speak, or an https URL of audio to play. */
  greeting?: string;
  maxLengthSeconds: number;
  transcribe: boolean;
}

/** The rule document as a client sends it (after defaults are applied). */
export interface RuleInput {
  userId: string;
  name: string;
  enabled: boolean;
  priority: number;
  mode: Mode;
  steps: Step[];
  schedule?: Schedule;
  confirm: boolean;
  callerId: 'caller' | 'called';
  maxHoldMinutes: number;
  holdMusicUrl?: string;
  /** Extend Ring: spoken between plays of the hold music. */
  holdAnnouncement?: string;
  /** Extend Ring: answering-machine detection on legs; a machine counts as not answered. */
  detectVoicemail?: boolean;
  voicemail: VoicemailSettings;
}

export interface Rule extends RuleInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export type Role = 'admin' | 'user';

export interface User {
  id: string;
  name: string;
  role: Role;
  numbers: string[];
  canManageRules: boolean;
  email?: string;
  notifyUrl?: string;
  createdAt: string;
  updatedAt: string;
}

/** A user as stored: the bearer token only as its SHA-256 hash. */
export interface UserRecord extends User {
  tokenHash: string;
}

export interface Voicemail {
  /** The recording SID (RE…): a voicemail is stored once per recording. */
  id: string;
  callSid: string;
  userId: string;
  ruleId?: string;
  from: string;
  to: string;
  durationSeconds: number;
  recordingUrl: string;
  transcription?: string;
  transcriptionStatus?: 'pending' | 'completed' | 'failed';
  createdAt: string;
}

export interface CallbackRequest {
  id: string;
  callSid: string;
  userId: string;
  /** The caller's own number (From). */
  from: string;
  /** The business number called. */
  to: string;
  /** The number the caller keyed in. */
  number: string;
  status: 'open' | 'done';
  createdAt: string;
  updatedAt: string;
}

export type HuntState = 'hunting' | 'connected' | 'voicemail' | 'abandoned' | 'callback' | 'ended';

/** What a hunt needs from the rule, frozen when the call arrives (editing the rule never disturbs it). */
export interface HuntPlan {
  ruleId?: string;
  ruleName?: string;
  mode: Mode;
  steps: Step[];
  confirm: boolean;
  callerId: 'caller' | 'called';
  maxHoldMinutes: number;
  holdMusicUrl?: string;
  holdAnnouncement?: string;
  detectVoicemail?: boolean;
  voicemail: VoicemailSettings;
}

/** One inbound call being handled. `plan` is null when the owner has no matching rule (straight to voicemail). */
export interface Hunt {
  callSid: string;
  userId: string;
  userName: string;
  from: string;
  to: string;
  plan: HuntPlan | null;
  state: HuntState;
  step: number;
  cycle: number;
  /** Epoch ms when the caller must be sent to voicemail (Extend Ring). */
  deadline?: number;
  queueName?: string;
  /**
   * The queue's QU… SID, once the hold stage learned it (Twilio names it in every waitUrl request): the caller is then
   * taken out of the queue with a member update, which fails harmlessly once they have left it (setQueueSid).
   */
  queueSid?: string;
  /** Epoch ms of the incoming webhook. */
  createdAt: number;
  /** Extend Ring: the leg that claimed the caller (pressed 1 or 2), once one has (live state, not in the snapshot). */
  winner?: string;
}

/** Where one outbound leg of an Extend Ring hunt stands. `done` legs never change again. */
export type LegStatus = 'placing' | 'queued' | 'ringing' | 'in-progress' | 'done';

/** One outbound attempt to one destination during an Extend Ring hunt. */
export interface Leg {
  /** `${cycle}.${step}.${index}` — known before the REST call, so callbacks can name it. */
  id: string;
  cycle: number;
  step: number;
  index: number;
  destination: Destination;
  /** The REST call SID once Twilio answered the create request. */
  sid?: string;
  status: LegStatus;
  /** Final result once done: no-answer, busy, failed, canceled, completed, declined, machine, … */
  result?: string;
}

export type CallEventType =
  | 'incoming' | 'rule' | 'step' | 'leg-ringing' | 'leg-answered' | 'leg-accepted' | 'leg-declined'
  | 'leg-no-answer' | 'leg-busy' | 'leg-failed' | 'leg-canceled' | 'leg-machine' | 'leg-ended' | 'connected'
  | 'voicemail' | 'voicemail-recorded' | 'callback' | 'abandoned' | 'deadline' | 'unreachable' | 'ended' | 'unknown-number';

export interface CallEvent {
  /** Epoch ms. */
  at: number;
  type: CallEventType;
  step?: number;
  cycle?: number;
  destination?: string;
  legSid?: string;
  detail?: string;
}

/** The call log entry of one hunt (GET /api/calls). */
export interface CallRecord {
  callSid: string;
  userId: string;
  from: string;
  to: string;
  ruleId?: string;
  ruleName?: string;
  mode?: Mode;
  /** Final outcome once known: connected, voicemail, callback, abandoned, missed. */
  outcome?: string;
  startedAt: string;
  endedAt?: string;
  events: CallEvent[];
}
