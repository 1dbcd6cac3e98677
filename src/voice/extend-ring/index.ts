import type { ModeHandler } from '../incoming';
import { incomingEvents, onIncoming, prepareHunt, recordWithHunt } from './incoming';

/** How /voice/incoming answers an Extend Ring hunt (plugged into voice/incoming's `modes`). */
export const extendRingMode: ModeHandler = { prepareHunt, recordWithHunt, incomingEvents, answer: onIncoming };

export { legFallback, legFallbackStage, registerExtendRingRoutes } from './routes';
