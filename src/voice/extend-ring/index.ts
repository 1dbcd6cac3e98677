import type { ModeHandler } from '../incoming';
import { onIncoming, prepareHunt } from './incoming';

/** How /voice/incoming answers an Extend Ring hunt (plugged into voice/incoming's `modes`). */
export const extendRingMode: ModeHandler = { prepareHunt, answer: onIncoming };

export { registerExtendRingRoutes } from './routes';
