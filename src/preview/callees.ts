import { normalizeSipUri } from '../domain/rule-schema';
import type { Destination, Step } from '../domain/types';
import type { CalleeScript } from '../simulator/types';
import type { Behaviour } from './request';

/** The emulator's address of a destination: numbers and SIP URIs as they are, Twilio Client identities as `client:<id>`. */
export function emulatorTarget(destination: Destination): string {
  return destination.type === 'client' ? `client:${destination.to}` : destination.to;
}

/** The destination's `to` again from an emulator address (the inverse of emulatorTarget). */
export function destinationTo(target: string): string {
  return target.startsWith('client:') ? target.slice('client:'.length) : target;
}

/**
 * The emulator script for a behaviour. A person who answers accepts the call when a whisper asks them to
 * press 1 (Follow Me with confirm, Extend Ring); without a whisper nothing asks and they are simply connected.
 */
export function calleeScript(behaviour: Behaviour | undefined, label: string | undefined): CalleeScript {
  const named = label === undefined ? {} : { label };
  switch (behaviour?.kind) {
    case undefined:
    case 'noAnswer':
      return { kind: 'no-answer', ...named };
    case 'busy':
      return { kind: 'busy', ...named };
    case 'answer':
      return { kind: 'answer', after: behaviour.after, press: '1', ...named };
    case 'pressTwo':
      return { kind: 'answer', after: behaviour.after, press: '2', ...named };
    case 'voicemail':
      return { kind: 'voicemail', after: behaviour.after, ...named };
  }
}

/** One script per distinct destination of the steps (keyed by emulator address), from the behaviours keyed by `to`. */
export function calleeScripts(steps: readonly Step[], behaviours: Readonly<Record<string, Behaviour>>): Map<string, CalleeScript> {
  const scripts = new Map<string, CalleeScript>();
  for (const destination of steps.flatMap((s) => s.destinations)) {
    const target = emulatorTarget(destination);
    if (!scripts.has(target)) scripts.set(target, calleeScript(behaviours[normalizeSipUri(destination.to)], destination.label));
  }
  return scripts;
}
