import type { Destination, Mode, RuleInput, VoicemailSettings } from '../../domain/types';
import type { CalleeScript, CallerScript, EmulatorOptions } from '../types';

/** A rule document as POST /api/rules takes it (DESIGN §4); `userId` is filled in when the scenario runs. */
export type RuleDocument = Omit<Partial<RuleInput>, 'userId' | 'steps' | 'mode' | 'name' | 'voicemail'> & {
  name: string;
  mode: Mode;
  steps: Array<{ destinations: Destination[]; ringSeconds?: number }>;
  voicemail?: Partial<VoicemailSettings>;
};

/**
 * One story `npm run simulate -- <name>` plays against the real app: plain data, one object per scenario.
 * A file in this directory that exports `scenarios: Scenario[]` (or a single `scenario`) is registered
 * automatically; names must be unique across files.
 */
export interface Scenario {
  /** What to type after `npm run simulate --`: lower-case words joined by dashes. */
  name: string;
  /** One line for `--list`. */
  description: string;
  /** When the call is placed, ISO 8601 (default: the emulator's Tuesday, 10:00 in New York). */
  at?: string;
  /** The owner of the business number, as POST /api/users takes it; the first number is the one called. */
  user: { name: string; numbers: [string, ...string[]] };
  /** The owner's rules, created in this order through the API. */
  rules: RuleDocument[];
  /**
   * How each destination behaves, by address ('+1555…', 'client:john', 'sip:…'). A list plays one entry per
   * successive call to it. Destinations left out never answer; their rule labels name them in the timeline.
   */
  callees: Record<string, CalleeScript | CalleeScript[]>;
  /** Who calls and how they behave (hang up, press keys while holding, what they say to voicemail). */
  caller: CallerScript & { from: string };
  /** Emulator choices, e.g. Twilio's extra ring time or a reading of an uncertain behaviour. */
  emulator?: Pick<EmulatorOptions, 'restPacing' | 'playSeconds' | 'dialTimeoutSlackSeconds' | 'uncertain' | 'statusCallbackChaos'>;
  /** Stop playing after this much virtual time (default: until the call is over). */
  maxSeconds?: number;
}
