import type { NotificationType } from './events';

/**
 * A notification's next attempt, as an entry of the store's deadline set (swept by every instance, each entry handed
 * to one): `notify/<type>/<source id>/<attempt>`, where the source is what the event is about (the voicemail, the
 * callback request, or the missed call's CallSid), from which the retry builds the event again.
 */
export interface NotifyRetry {
  type: NotificationType;
  sourceId: string;
  /** 1 for the first attempt. */
  attempt: number;
}

const PREFIX = 'notify/';
const TYPES: ReadonlySet<string> = new Set<NotificationType>(['voicemail', 'voicemail-transcribed', 'callback', 'missed-call']);

export function notifyRetryKey(retry: NotifyRetry): string {
  return `${PREFIX}${retry.type}/${retry.sourceId}/${retry.attempt}`;
}

/** The retry a deadline-set key stands for, or undefined when the key is not a notification's. */
export function notifyRetryOf(key: string): NotifyRetry | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const match = /^([a-z-]+)\/(.+)\/(\d+)$/.exec(key.slice(PREFIX.length));
  if (!match || !TYPES.has(match[1]!)) return undefined;
  return { type: match[1] as NotificationType, sourceId: match[2]!, attempt: Number(match[3]) };
}
