import type { Background } from '../background';
import type { Clock, TimerHandle } from '../clock';
import type { Config } from '../config';
import type { CallbackRequest, UserRecord, Voicemail } from '../domain/types';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { postOnce, type AttemptOutcome } from './delivery';
import { callbackEvent, missedCallEvent, voicemailEvent, type NotificationEvent } from './events';
import { NotifyHeader, signNotification } from './signature';

/**
 * Tells the owner of a number what happened while they were away: a voicemail, a callback number, a missed
 * call. Each method returns at once: the event is built and POSTed in the background, so no webhook waits.
 * Call each once per occurrence (the voice stages call it where the store says the thing is new).
 */
export interface Notifier {
  /** A new voicemail was stored. */
  voicemailStored(voicemail: Voicemail): void;
  /** A caller on hold left a callback number. */
  callbackLeft(callback: CallbackRequest): void;
  /** The call log recorded a missed or abandoned outcome for this inbound call. */
  callMissed(callSid: string): void;
}

export interface NotifierDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly background: Background;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Wait before the second attempt; each further wait doubles (1 s, 2 s, 4 s, 8 s). Injected clock. */
  readonly firstDelayMs: number;
  /** A Retry-After longer than this is cut to it. */
  readonly maxDelayMs: number;
  /** Real time a receiver has to answer one attempt. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5, firstDelayMs: 1000, maxDelayMs: 60_000, requestTimeoutMs: 5000,
});

/** The start-up warning about notifications, if any (server.ts logs it once). */
export function notificationStartupWarning(config: Pick<Config, 'notifySigningSecret'>): string | undefined {
  if (config.notifySigningSecret) return undefined;
  return 'NOTIFY_SIGNING_SECRET is not set: notification webhooks (NOTIFY_WEBHOOK_URL, users\' notifyUrl) are sent unsigned.';
}

interface Delivery {
  readonly url: string;
  readonly event: NotificationEvent;
  readonly body: string;
  readonly log: Logger;
}

/**
 * The Notifier over HTTP webhooks: the owner's `notifyUrl`, else NOTIFY_WEBHOOK_URL, else nothing is sent.
 * Each attempt is a Background task; the waits between attempts are timers of the injected clock (not tasks),
 * so `background.idle()` does not wait for a receiver that is down, and virtual time can move the retries on.
 */
export class WebhookNotifier implements Notifier {
  private readonly retries = new Set<TimerHandle>();
  private readonly log: Logger;

  constructor(private readonly deps: NotifierDeps, private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY) {
    this.log = deps.logger.child({ component: 'notify' });
  }

  voicemailStored(voicemail: Voicemail): void {
    this.start('voicemail', voicemail.callSid, async () => {
      const user = await this.owner(voicemail.userId, voicemail.callSid);
      return user && { user, event: voicemailEvent(voicemail, user, this.deps.config.publicBaseUrl) };
    });
  }

  callbackLeft(callback: CallbackRequest): void {
    this.start('callback', callback.callSid, async () => {
      const user = await this.owner(callback.userId, callback.callSid);
      return user && { user, event: callbackEvent(callback, user) };
    });
  }

  callMissed(callSid: string): void {
    this.start('missed-call', callSid, async () => {
      const call = await this.deps.store.getCall(callSid);
      if (!call) {
        this.log.warn({ callSid }, 'notify: missed call without a call log entry: not sent');
        return null;
      }
      const user = await this.owner(call.userId, callSid);
      return user && { user, event: missedCallEvent(call, user, new Date(this.deps.clock.now()).toISOString()) };
    });
  }

  /** Retries not yet due are dropped (at shutdown); logged when there are any. */
  close(): void {
    if (this.retries.size > 0) this.log.warn({ dropped: this.retries.size }, 'notify: shutting down: pending retries dropped');
    for (const handle of this.retries) this.deps.clock.clearTimeout(handle);
    this.retries.clear();
  }

  private start(type: string, callSid: string, build: () => Promise<{ user: UserRecord; event: NotificationEvent } | null>): void {
    this.deps.background.run(`notify: ${type}`, async () => {
      const built = await build();
      if (!built) return;
      const url = built.user.notifyUrl ?? this.deps.config.notifyWebhookUrl;
      const log = this.log.child({ callSid, eventId: built.event.id, type });
      if (!url) {
        log.debug('notify: no notifyUrl for the user and no NOTIFY_WEBHOOK_URL: nothing sent');
        return;
      }
      await this.attempt({ url, event: built.event, body: JSON.stringify(built.event), log: log.child({ receiver: originOf(url) }) }, 1);
    }, { callSid });
  }

  private async owner(userId: string, callSid: string): Promise<UserRecord | null> {
    const user = await this.deps.store.getUser(userId);
    if (!user) this.log.info({ callSid, userId }, 'notify: the owner no longer exists: not sent');
    return user;
  }

  private async attempt(delivery: Delivery, attempt: number): Promise<void> {
    const outcome = await postOnce({
      url: delivery.url, headers: this.headers(delivery), body: delivery.body, timeoutMs: this.policy.requestTimeoutMs,
    });
    const { log } = delivery;
    if (outcome.result === 'delivered') {
      log.info({ attempt, status: outcome.status }, 'notify: delivered');
    } else if (outcome.result === 'refused') {
      log.warn({ attempt, status: outcome.status }, 'notify: the receiver refused the event: not retried');
    } else if (attempt >= this.policy.maxAttempts) {
      log.warn({ attempt, reason: outcome.reason }, 'notify: giving up: the receiver never took the event');
    } else {
      const delayMs = this.delayAfter(attempt, outcome);
      log.info({ attempt, reason: outcome.reason, retryInMs: delayMs }, 'notify: attempt failed: will retry');
      this.retryLater(delivery, attempt + 1, delayMs);
    }
  }

  private delayAfter(attempt: number, outcome: Extract<AttemptOutcome, { result: 'retry' }>): number {
    const backoff = this.policy.firstDelayMs * 2 ** (attempt - 1);
    return Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, this.policy.maxDelayMs));
  }

  private retryLater(delivery: Delivery, attempt: number, delayMs: number): void {
    const handle = this.deps.clock.setTimeout(() => {
      this.retries.delete(handle);
      this.deps.background.run('notify: retry', () => this.attempt(delivery, attempt), { eventId: delivery.event.id });
    }, delayMs);
    this.retries.add(handle);
  }

  /** Every attempt gets its own timestamp, signed with the body, so a receiver's freshness check also passes late retries. */
  private headers(delivery: Delivery): Record<string, string> {
    const timestamp = String(Math.floor(this.deps.clock.now() / 1000));
    const secret = this.deps.config.notifySigningSecret;
    return {
      'Content-Type': 'application/json',
      'User-Agent': 'call-hunting-rules-notify/1',
      [NotifyHeader.EventId]: delivery.event.id,
      [NotifyHeader.Timestamp]: timestamp,
      ...(secret ? { [NotifyHeader.Signature]: signNotification(secret, timestamp, delivery.body) } : {}),
    };
  }
}

/** Only the origin is logged: a webhook URL's path or query may hold a secret. */
function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : '(invalid URL)';
}
