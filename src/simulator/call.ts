import { FINAL_CALL_STATUSES, type CallStatus } from '../twilio/constants';
import { Deferred, Scope, type FetchSpec, type HangupBy } from './scope';
import { describeParty } from './timeline';
import type { CallOutcome, WebhookExchange } from './types';

export type CallDirection = 'inbound' | 'outbound-dial' | 'outbound-api';

/** The person (or machine) on one end of a call: where its digits, words and hangups come from. */
export interface Party {
  readonly answeredBy?: 'human' | 'machine';
  /** A Gather started listening on `call`; `promptsDone` resolves when its nested Say/Play finished. */
  gatherStarted(call: SimCall, promptsDone: Promise<void>): void;
  /** What this party says when a Record starts; undefined = silence. */
  speech(): { seconds: number; transcript: string } | undefined;
  /** `call` was connected to another party. */
  bridged(call: SimCall): void;
}

export const SILENT_PARTY: Party = {
  gatherStarted: () => undefined,
  speech: () => undefined,
  bridged: () => undefined,
};

/** Digits keyed on a call reach the Gather listening at that moment, or nobody. */
export class DigitChannel {
  private listener?: DigitListener;

  listen(): DigitListener {
    const listener = new DigitListener(() => {
      if (this.listener === listener) this.listener = undefined;
    });
    this.listener = listener;
    return listener;
  }

  /** False when no Gather was listening (the digits are lost). */
  press(digits: string): boolean {
    if (!this.listener) return false;
    for (const d of digits) this.listener.push(d);
    return true;
  }
}

export class DigitListener {
  digits = '';
  private waiter?: Deferred<void>;

  constructor(private readonly onClose: () => void) {}

  push(digit: string): void {
    this.digits += digit;
    this.waiter?.resolve();
    this.waiter = undefined;
  }

  /** Resolves on the next digit pressed after this call. */
  next(): Promise<void> {
    this.waiter ??= new Deferred<void>();
    return this.waiter.promise;
  }

  close(): void {
    this.onClose();
  }
}

export interface CallInit {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  direction: CallDirection;
  createdAt: number;
  parentSid?: string;
  label?: string;
  party: Party;
  status: CallStatus;
}

/** One call leg as Twilio sees it: identity, status, and the scope its TwiML runs in. */
export class SimCall {
  readonly sid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: CallDirection;
  readonly parentSid?: string;
  readonly label?: string;
  readonly createdAt: number;
  readonly party: Party;
  status: CallStatus;
  startedAt?: number;
  answeredAt?: number;
  endedAt?: number;
  /** Stops once, when the call hangs up. */
  readonly life = new Scope();
  /** The document (TwiML program) currently running; a redirect stops it and starts another. */
  document?: Scope;
  readonly dtmf = new DigitChannel();
  readonly done = new Deferred<void>();
  everBridged = false;
  digitsPressed = '';
  /** The best thing that happened to this call so far (connected, left a voicemail). */
  milestone?: CallOutcome;
  outcome?: CallOutcome;
  readonly requests: WebhookExchange[] = [];
  fallback?: { url: string; method: 'GET' | 'POST' };
  /** API-created calls: the TwiML to run when answered (a REST update before the answer replaces it). */
  answerFetch?: FetchSpec;
  private readonly cleanups: Array<() => void> = [];

  constructor(init: CallInit) {
    this.sid = init.sid;
    this.accountSid = init.accountSid;
    this.from = init.from;
    this.to = init.to;
    this.direction = init.direction;
    this.createdAt = init.createdAt;
    this.parentSid = init.parentSid;
    this.label = init.label;
    this.party = init.party;
    this.status = init.status;
  }

  get ended(): boolean {
    return FINAL_CALL_STATUSES.includes(this.status);
  }

  get answered(): boolean {
    return this.answeredAt !== undefined;
  }

  /** How the timeline names this call's party: the caller for inbound calls, the callee otherwise. */
  get who(): string {
    return this.direction === 'inbound'
      ? describeParty(this.from, this.label ?? 'caller')
      : describeParty(this.to, this.label);
  }

  /** Parameters Twilio sends with every request about this call. */
  params(): Record<string, string> {
    return {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: this.sid,
      CallStatus: this.status,
      Called: this.to,
      Caller: this.from,
      Direction: this.direction,
      From: this.from,
      To: this.to,
      ...(this.parentSid ? { ParentCallSid: this.parentSid } : {}),
    };
  }

  hangup(by: HangupBy): void {
    this.life.stop({ kind: 'hangup', by });
  }

  /** Registers work to undo when the call ends (scheduled digits, a callee's hangup timer). */
  onEnd(fn: () => void): void {
    if (this.ended) fn();
    else this.cleanups.push(fn);
  }

  /** Sets the final status once; later calls are ignored. */
  finish(status: CallStatus, at: number): boolean {
    if (this.ended) return false;
    this.status = status;
    this.endedAt = at;
    this.life.stop({ kind: 'hangup', by: 'app' });
    for (const fn of this.cleanups.splice(0)) fn();
    this.done.resolve();
    return true;
  }

  /** Whole seconds from answer to end (Twilio's CallDuration). */
  get durationSeconds(): number {
    if (this.answeredAt === undefined) return 0;
    return Math.ceil(((this.endedAt ?? this.answeredAt) - this.answeredAt) / 1000);
  }
}
