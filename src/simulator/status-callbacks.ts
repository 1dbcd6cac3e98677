import { CallStatus } from '../twilio/constants';
import type { SimCall } from './call';
import type { Core } from './core';

export type StatusEvent = 'initiated' | 'ringing' | 'answered' | 'completed';
export const STATUS_EVENTS: readonly StatusEvent[] = ['initiated', 'ringing', 'answered', 'completed'];

export interface StatusCallbackConfig {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Subscribed events; Twilio's default is only 'completed'. */
  readonly events: ReadonlySet<StatusEvent>;
}

/** With reorder chaos, each callback is held back up to this long, so later events can overtake it. */
const MAX_REORDER_DELAY_MS = 5000;
const REPEAT_DELAY_MS = 1000;

const SIP_CODES: Partial<Record<CallStatus, string>> = {
  [CallStatus.Completed]: '200', [CallStatus.Busy]: '486', [CallStatus.NoAnswer]: '487',
  [CallStatus.Canceled]: '487', [CallStatus.Failed]: '500',
};

/** A small deterministic generator (mulberry32), so chaotic runs can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Status callbacks of one API-created call: CallStatus, SequenceNumber, Timestamp, CallDuration and
 * SipResponseCode at the end, AnsweredBy with machine detection. Chaos (EmulatorOptions.statusCallbackChaos)
 * repeats each callback and/or delays it at random so they arrive out of order, as Twilio allows.
 */
export class StatusNotifier {
  private sequence = 0;

  constructor(
    private readonly core: Core,
    private readonly call: SimCall,
    private readonly config: StatusCallbackConfig | undefined,
    private readonly extra: () => Record<string, string>,
    private readonly random: () => number,
  ) {}

  emit(event: StatusEvent): void {
    const { core, call, config } = this;
    if (!config || !config.events.has(event)) return;
    const params: Record<string, string> = {
      ...call.params(),
      CallStatus: event === 'initiated' ? 'initiated' : call.status,
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(this.sequence++),
      Timestamp: new Date(core.clock.now()).toUTCString(),
      ...this.extra(),
      ...(event === 'completed' ? { CallDuration: String(call.durationSeconds), SipResponseCode: SIP_CODES[call.status] ?? '200' } : {}),
    };
    const chaos = core.opts.statusCallbackChaos ?? {};
    const copies = chaos.repeat ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = (chaos.reorder ? Math.floor(this.random() * MAX_REORDER_DELAY_MS) : 0) + i * REPEAT_DELAY_MS;
      core.later(delay, 'status callback', () => core.callback(call, {
        url: config.url, method: config.method, params, purpose: 'status-callback', callSid: call.sid,
      }));
    }
  }
}

/** Reads StatusCallbackEvent as the REST API receives it (repeated parameter, or space-separated). */
export function parseStatusEvents(raw: unknown): Set<StatusEvent> {
  const words = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(/[\s,]+/) : []));
  const events = new Set(words.filter((w): w is StatusEvent => (STATUS_EVENTS as readonly string[]).includes(w)));
  return events.size > 0 ? events : new Set<StatusEvent>(['completed']);
}
