import type { CallStatus } from '../twilio/constants';
import type { SimCall } from './call';
import type { CallOutcome, LegView, WebhookExchange } from './types';

/** A call as a test sees it: live view, not a snapshot. */
export class EmulatedCall {
  constructor(private readonly call: SimCall) {}

  get sid(): string {
    return this.call.sid;
  }

  get from(): string {
    return this.call.from;
  }

  get to(): string {
    return this.call.to;
  }

  get status(): CallStatus {
    return this.call.status;
  }

  /** Undefined while the call is live. */
  get outcome(): CallOutcome | undefined {
    return this.call.outcome;
  }

  /** Every request made with this call's CallSid (TwiML fetches and callbacks), with the responses. */
  get requests(): readonly WebhookExchange[] {
    return this.call.requests;
  }

  get startedAt(): number {
    return this.call.createdAt;
  }

  get answeredAt(): number | undefined {
    return this.call.answeredAt;
  }

  get endedAt(): number | undefined {
    return this.call.endedAt;
  }

  /** Whole seconds from answer to end, as Twilio bills it. */
  get durationSeconds(): number {
    return this.call.durationSeconds;
  }

  /** Resolves when the call has ended (something must drive virtual time: run()). */
  get ended(): Promise<void> {
    return this.call.done.promise;
  }
}

export function legView(leg: SimCall): LegView {
  return {
    sid: leg.sid,
    ...(leg.parentSid ? { parentSid: leg.parentSid } : {}),
    direction: leg.direction === 'outbound-api' ? 'outbound-api' : 'outbound-dial',
    from: leg.from,
    target: leg.to,
    ...(leg.label ? { label: leg.label } : {}),
    startedAt: leg.startedAt ?? leg.createdAt,
    ...(leg.answeredAt !== undefined ? { answeredAt: leg.answeredAt } : {}),
    ...(leg.endedAt !== undefined ? { endedAt: leg.endedAt } : {}),
    status: leg.status,
    bridged: leg.everBridged,
    ...(leg.answered && leg.party.answeredBy ? { answeredBy: leg.party.answeredBy } : {}),
    digits: leg.digitsPressed,
  };
}
