import type { Background } from './background';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Logger } from './log';
import type { Store } from './store/store';

/** Everything the app's code needs from the outside, injected by server.ts (or a test, or the emulator). */
export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly background: Background;
}
