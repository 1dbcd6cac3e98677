import type { TwilioGateway } from '../twilio/gateway';
import type { VoiceContext } from '../voice/context';

/**
 * What the Extend Ring orchestration works with: the voice context of the webhook (or deadline) that
 * started it. Its REST work runs in `deps.background`, so no webhook waits for Twilio's REST API.
 */
export type RingContext = VoiceContext;

/** Extend Ring needs REST access: without TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN there is no gateway. */
export class NoGatewayError extends Error {
  constructor() {
    super('Extend Ring needs Twilio REST credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)');
    this.name = 'NoGatewayError';
  }
}

/**
 * The context of work on the hunt as a whole (its next step, stopping it) started by a leg's webhook: its log lines name
 * the call only, not the leg whose request started it (the lines name their own legs).
 */
export function huntWork(ctx: RingContext, callSid: string): RingContext {
  return { ...ctx, log: ctx.deps.logger.child({ callSid }) };
}

export function gatewayOf(ctx: RingContext): TwilioGateway {
  const gateway = ctx.deps.twilio;
  if (!gateway) throw new NoGatewayError();
  return gateway;
}
