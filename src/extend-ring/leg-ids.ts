import type { Destination, Hunt } from '../domain/types';

/** Where a leg sits in a hunt. */
export interface LegPosition {
  cycle: number;
  step: number;
  index: number;
}

/** `${cycle}.${step}.${index}`: known before the REST call, so every callback URL can name its leg. */
export function legIdOf(position: LegPosition): string {
  return `${position.cycle}.${position.step}.${position.index}`;
}

/**
 * A leg's call SID as a store patch (updateLeg), when a webhook names it: kept with the leg's live status, so that a leg
 * whose SID could not be stored as it was placed can still be ended when the hunt ends, and looked up by the watchdog.
 */
export function sidPatch(legSid: string | undefined): { sid?: string } {
  return legSid ? { sid: legSid } : {};
}

/** The position named by a leg id; undefined when it is not one. */
export function parseLegId(id: string): LegPosition | undefined {
  const match = /^(\d{1,6})\.(\d{1,3})\.(\d{1,3})$/.exec(id);
  if (!match) return undefined;
  return { cycle: Number(match[1]), step: Number(match[2]), index: Number(match[3]) };
}

/** The destination a leg id points at in the hunt's plan. */
export function destinationOfLeg(hunt: Hunt, legId: string): Destination | undefined {
  const position = parseLegId(legId);
  return position ? hunt.plan?.steps[position.step]?.destinations[position.index] : undefined;
}

/** How a destination is dialled through the REST API: the number, `client:<identity>`, or the SIP URI. */
export function dialTargetOf(destination: Destination): string {
  return destination.type === 'client' ? `client:${destination.to}` : destination.to;
}

/** How the call log names a destination. */
export function describeDestination(destination: Destination | undefined): string | undefined {
  if (!destination) return undefined;
  return destination.label ? `${destination.label} (${destination.to})` : destination.to;
}
