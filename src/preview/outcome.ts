import type { CallRecord } from '../domain/types';
import type { CallOutcome, LegView, TimelineEntry } from '../simulator/types';
import { outcomeOf } from '../voice/status';
import { destinationTo } from './callees';

export const OUTCOME_KINDS = ['connected', 'voicemail', 'callback', 'abandoned', 'missed'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** Where the caller ended up (the call log's outcome), whom they were connected to, and when (seconds since they dialled). */
export interface PreviewOutcome {
  kind: OutcomeKind;
  /** The destination's `to` the caller was connected to. */
  to?: string;
  atSeconds: number;
}

/** What the preview saw of the call, in the emulator and in the isolated app's call log. */
export interface Observed {
  /** The app's call log entry of the call; null when the app logged nothing. */
  record: CallRecord | null;
  /** The emulator's view: the call's outcome (undefined while live), start and end (virtual epoch ms). */
  call: { outcome?: CallOutcome; startedAt: number; endedAt?: number };
  entries: readonly TimelineEntry[];
  legs: readonly LegView[];
  /** Virtual epoch ms when the preview stopped playing. */
  stoppedAt: number;
}

/**
 * The outcome as the app recorded it (the same word GET /api/calls shows); its moment is when the caller got there:
 * connected when the leg was bridged, voicemail/callback/abandoned when the app logged it, missed when the call ended.
 */
export function previewOutcome(seen: Observed): PreviewOutcome {
  const kind = outcomeKind(seen);
  const since = (ms: number) => (ms - seen.call.startedAt) / 1000;
  if (kind === 'connected') {
    const bridged = connectedLeg(seen);
    const at = bridged?.at ?? seen.record?.events.find((e) => e.type === 'connected')?.at ?? seen.stoppedAt;
    return { kind, ...(bridged ? { to: destinationTo(bridged.leg.target) } : {}), atSeconds: since(at) };
  }
  if (kind === 'missed') return { kind, atSeconds: since(seen.call.endedAt ?? seen.stoppedAt) };
  return { kind, atSeconds: since(seen.record?.events.find((e) => e.type === kind)?.at ?? seen.stoppedAt) };
}

function outcomeKind(seen: Observed): OutcomeKind {
  const logged = seen.record?.outcome ?? (seen.record ? outcomeOf(seen.record.events) : undefined);
  if (isOutcomeKind(logged)) return logged;
  const emulated = seen.call.outcome?.kind;
  return emulated === 'connected' || emulated === 'voicemail' ? emulated : 'missed';
}

function isOutcomeKind(value: string | undefined): value is OutcomeKind {
  return (OUTCOME_KINDS as readonly string[]).includes(value ?? '');
}

/** The leg the caller was connected to (the emulator's outcome, else the first leg ever bridged) and when. */
function connectedLeg(seen: Observed): { leg: LegView; at: number } | undefined {
  const sid = seen.call.outcome?.kind === 'connected' ? seen.call.outcome.legSid : seen.legs.find((l) => l.bridged)?.sid;
  const leg = seen.legs.find((l) => l.sid === sid);
  if (!leg) return undefined;
  const bridged = seen.entries.find((e) => e.callSid === leg.sid && e.event === 'bridged');
  return { leg, at: bridged?.at ?? leg.answeredAt ?? seen.stoppedAt };
}
