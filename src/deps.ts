import type { Background } from './background';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Logger } from './log';
import type { Notifier } from './notify/notifier';
import type { Store } from './store/store';
import type { TwilioGateway } from './twilio/gateway';

/** Everything the app's code needs from the outside, injected by server.ts (or a test, or the emulator). */
export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly background: Background;
  /** Twilio REST access; absent without TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (Extend Ring then sends callers to voicemail). */
  readonly twilio?: TwilioGateway;
  /** Voicemail, callback and missed-call webhooks to the owner; absent = nobody is told. */
  readonly notifier?: Notifier;
}
