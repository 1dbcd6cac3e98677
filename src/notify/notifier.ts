import type { Background } from '../background';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { CallbackRequest, UserRecord, Voicemail } from '../domain/types';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { postOnce, type AttemptOutcome } from './delivery';
import { callbackEvent, missedCallEvent, testEvent, voicemailEvent, voicemailTranscribedEvent, type NotificationEvent } from './events';
import { notifyRetryKey, type NotifyRetry } from './retry-keys';
import { NotifyHeader, signNotification } from './signature';

/**
 * Tells the owner of a number what happened while they were away: a voicemail, a callback number, a missed
 * call. Each method returns at once: the event is built and POSTed in the background, so no webhook waits.
 * Call each once per occurrence (the voice stages call it where the store says the thing is new).
 */
export interface Notifier {
  /** A new voicemail was stored. */
  voicemailStored(voicemail: Voicemail): void;
  /** The stored voicemail got its first transcription result (the store says which update that was). */
  voicemailTranscribed(voicemailId: string, callSid?: string): void;
  /** A caller on hold left a callback number. */
  callbackLeft(callback: CallbackRequest): void;
  /** The call log recorded a missed outcome for this inbound call. */
  callMissed(callSid: string): void;
  /** A retry entry of the deadline set fell due (any instance: see retry-keys.ts): the next attempt. */
  retryDue(retry: NotifyRetry): Promise<void>;
  /** One signed `test` event to the user's receiver, now, once, never retried: what happened; null when there is no receiver. */
  sendTest(user: UserRecord): Promise<TestDelivery | null>;
}

/** What a test event met: the receiver's HTTP status, or why there was none (a network error, with no credentials). */
export type TestDelivery =
  | { readonly delivered: true; readonly status: number }
  | { readonly delivered: false; readonly status?: number; readonly reason: string };

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
  /** Wait before the second attempt; each further wait doubles, up to maxDelayMs. Injected clock. */
  readonly firstDelayMs: number;
  /** The longest wait between two attempts; a longer Retry-After is cut to it. */
  readonly maxDelayMs: number;
  /** Real time a receiver has to answer one attempt. */
  readonly requestTimeoutMs: number;
}

/** Waits of 1 s, 2 s, 4 s … 34 min, then 1 h three times: 16 attempts over about 4 hours. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 16, firstDelayMs: 1000, maxDelayMs: 3_600_000, requestTimeoutMs: 5000,
});

/** The start-up warning about notifications, if any (server.ts logs it once). */
export function notificationStartupWarning(config: Pick<Config, 'notifySigningSecret'>): string | undefined {
  if (config.notifySigningSecret) return undefined;
  return 'NOTIFY_SIGNING_SECRET is not set: notification webhooks (NOTIFY_WEBHOOK_URL, users\' notifyUrl) are sent unsigned.';
}

/** An event ready to send: its receiver, and what it is about. */
interface Built {
  readonly user: UserRecord;
  readonly event: NotificationEvent;
}

/**
 * The Notifier over HTTP webhooks: the owner's `notifyUrl`, else NOTIFY_WEBHOOK_URL, else nothing is sent.
 * Each attempt is a Background task. Retries are entries of the store's deadline set (`notify/<type>/<id>/<attempt>`),
 * so any instance sends them when they fall due, and a deploy or a stopped instance loses none: each attempt first
 * sets the entry of the next one (due once this attempt has surely ended), then moves it to the right time or removes it.
 * A retry builds the event again from the store: a voicemail deleted meanwhile is not sent, a transcription that
 * arrived meanwhile is. Delivery is at least once: a receiver tells repeats apart by the event id.
 */
export class WebhookNotifier implements Notifier {
  private readonly log: Logger;

  constructor(private readonly deps: NotifierDeps, private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY) {
    this.log = deps.logger.child({ component: 'notify' });
  }

  voicemailStored(voicemail: Voicemail): void {
    this.start({ type: 'voicemail', sourceId: voicemail.id, attempt: 1 }, voicemail.callSid, () => this.voicemail(voicemail));
  }

  voicemailTranscribed(voicemailId: string, callSid?: string): void {
    const first = { type: 'voicemail-transcribed' as const, sourceId: voicemailId, attempt: 1 };
    this.start(first, callSid, () => this.transcribed(voicemailId));
  }

  callbackLeft(callback: CallbackRequest): void {
    this.start({ type: 'callback', sourceId: callback.id, attempt: 1 }, callback.callSid, () => this.callback(callback));
  }

  callMissed(callSid: string): void {
    this.start({ type: 'missed-call', sourceId: callSid, attempt: 1 }, callSid, () => this.missedCall(callSid));
  }

  async retryDue(retry: NotifyRetry): Promise<void> {
    const built = await this.rebuild(retry);
    if (!built) {
      this.log.info({ type: retry.type, sourceId: retry.sourceId, attempt: retry.attempt }, `notify: the ${retry.type} is gone: retry not sent`);
      return;
    }
    await this.send(built, retry);
  }

  /** The first attempt; should the store fail while the event is built, the second is scheduled, and builds it again. */
  private start(first: NotifyRetry, callSid: string | undefined, build: () => Promise<Built | null>): void {
    this.deps.background.run(`notify: ${first.type}`, async () => {
      let built: Built | null;
      try {
        built = await build();
      } catch (err) {
        const log = this.log.child({ callSid, type: first.type });
        log.warn({ err }, 'notify: could not build the event: will retry');
        const second = { ...first, attempt: 2 };
        if (!(await this.schedule(notifyRetryKey(second), this.delayAfter(1), log))) this.retryHere(second, this.delayAfter(1), log);
        return;
      }
      if (built) await this.send(built, first);
    }, { callSid });
  }

  private rebuild(retry: NotifyRetry): Promise<Built | null> {
    const { store } = this.deps;
    switch (retry.type) {
      case 'voicemail':
        return store.getVoicemail(retry.sourceId).then((v) => v && this.voicemail(v));
      case 'voicemail-transcribed':
        return this.transcribed(retry.sourceId);
      case 'callback':
        return store.getCallback(retry.sourceId).then((c) => c && this.callback(c));
      case 'missed-call':
        return this.missedCall(retry.sourceId);
    }
  }

  private async voicemail(voicemail: Voicemail): Promise<Built | null> {
    const user = await this.owner(voicemail.userId, voicemail.callSid);
    return user && { user, event: voicemailEvent(voicemail, user, this.deps.config.publicBaseUrl) };
  }

  /** The stored voicemail's transcription result; null when the voicemail is gone (deleted since). */
  private async transcribed(voicemailId: string): Promise<Built | null> {
    const voicemail = await this.deps.store.getVoicemail(voicemailId);
    const user = voicemail && await this.owner(voicemail.userId, voicemail.callSid);
    const event = user && voicemailTranscribedEvent(voicemail, user, this.deps.config.publicBaseUrl);
    return user && event ? { user, event } : null;
  }

  private async callback(callback: CallbackRequest): Promise<Built | null> {
    const user = await this.owner(callback.userId, callback.callSid);
    return user && { user, event: callbackEvent(callback, user) };
  }

  private async missedCall(callSid: string): Promise<Built | null> {
    const call = await this.deps.store.getCall(callSid);
    if (!call) {
      this.log.warn({ callSid }, 'notify: missed call without a call log entry: not sent');
      return null;
    }
    const user = await this.owner(call.userId, callSid);
    return user && { user, event: missedCallEvent(call, user, new Date(this.deps.clock.now()).toISOString()) };
  }

  private async owner(userId: string, callSid: string): Promise<UserRecord | null> {
    const user = await this.deps.store.getUser(userId);
    if (!user) this.log.info({ callSid, userId }, 'notify: the owner no longer exists: not sent');
    return user;
  }

  async sendTest(user: UserRecord): Promise<TestDelivery | null> {
    const url = this.receiverOf(user);
    if (!url) return null;
    const event = testEvent(user, new Date(this.deps.clock.now()).toISOString());
    const body = JSON.stringify(event);
    const outcome = await postOnce({ url, headers: this.headers(event.id, body), body, timeoutMs: this.policy.requestTimeoutMs });
    this.log.info({ userId: user.id, receiver: originOf(url), result: outcome.result }, 'notify: test event sent');
    if (outcome.result === 'delivered') return { delivered: true, status: outcome.status };
    if (outcome.result === 'refused') return { delivered: false, status: outcome.status, reason: `HTTP ${outcome.status}` };
    return { delivered: false, ...(outcome.status !== undefined ? { status: outcome.status } : {}), reason: outcome.reason };
  }

  private receiverOf(user: UserRecord): string | undefined {
    return user.notifyUrl ?? this.deps.config.notifyWebhookUrl;
  }

  /** One attempt, with the next one kept in the store until this one has settled whether it is needed. */
  private async send({ user, event }: Built, at: NotifyRetry): Promise<void> {
    const url = this.receiverOf(user);
    const log = this.log.child({ callSid: event.call.callSid, eventId: event.id, type: event.type });
    if (!url) {
      log.debug('notify: no notifyUrl for the user and no NOTIFY_WEBHOOK_URL: nothing sent');
      return;
    }
    const { attempt } = at;
    const next = attempt < this.policy.maxAttempts ? notifyRetryKey({ ...at, attempt: attempt + 1 }) : undefined;
    // should this instance stop mid-attempt, another sends the next one; not before this one has timed out
    const kept = next !== undefined && await this.schedule(next, this.policy.requestTimeoutMs + this.delayAfter(attempt), log);
    const body = JSON.stringify(event);
    const outcome = await postOnce({ url, headers: this.headers(event.id, body), body, timeoutMs: this.policy.requestTimeoutMs });
    const receiverLog = log.child({ receiver: originOf(url) });
    if (outcome.result === 'retry' && next) {
      const delayMs = this.delayAfter(attempt, outcome);
      // the first failure of an event is a warning: an operator who logs only those learns now, not at the give-up hours later
      const level = attempt === 1 ? 'warn' : 'info';
      receiverLog[level]({ attempt, reason: outcome.reason, retryInMs: delayMs }, 'notify: attempt failed: will retry');
      // the store kept neither entry of the next attempt: this instance makes it (a restart meanwhile loses it)
      if (!(await this.schedule(next, delayMs, receiverLog)) && !kept) this.retryHere({ ...at, attempt: attempt + 1 }, delayMs, receiverLog);
      return;
    }
    if (next) await this.deps.store.removeDeadline(next).catch((err: unknown) => receiverLog.warn({ err }, 'notify: could not drop the retry entry: the receiver may get the event again'));
    if (outcome.result === 'delivered') receiverLog.info({ attempt, status: outcome.status }, 'notify: delivered');
    else if (outcome.result === 'refused') receiverLog.warn({ attempt, status: outcome.status }, 'notify: the receiver refused the event: not retried');
    else receiverLog.warn({ attempt, reason: outcome.reason }, 'notify: giving up: the receiver never took the event');
  }

  /** Keeps the next attempt in the store; false (logged) when the store failed. */
  private async schedule(key: string, delayMs: number, log: Logger): Promise<boolean> {
    try {
      await this.deps.store.setDeadline(key, this.deps.clock.now() + delayMs);
      return true;
    } catch (err) {
      log.warn({ err, retryKey: key }, 'notify: the store could not keep the next attempt');
      return false;
    }
  }

  /** The next attempt, kept in this instance (a timer) when the store could not keep it. */
  private retryHere(retry: NotifyRetry, delayMs: number, log: Logger): void {
    log.warn({ attempt: retry.attempt, retryInMs: delayMs }, 'notify: this instance keeps the next attempt (a restart meanwhile loses it)');
    this.deps.clock.setTimeout(() => {
      this.deps.background.run(`notify: ${retry.type} retry`, () => this.retryDue(retry), { retry });
    }, delayMs);
  }

  private delayAfter(attempt: number, outcome?: Extract<AttemptOutcome, { result: 'retry' }>): number {
    const backoff = Math.min(this.policy.firstDelayMs * 2 ** (attempt - 1), this.policy.maxDelayMs);
    return Math.max(backoff, Math.min(outcome?.retryAfterMs ?? 0, this.policy.maxDelayMs));
  }

  /** Every attempt gets its own timestamp, signed with the body, so a receiver's freshness check also passes late retries. */
  private headers(eventId: string, body: string): Record<string, string> {
    const timestamp = String(Math.floor(this.deps.clock.now() / 1000));
    const secret = this.deps.config.notifySigningSecret;
    return {
      'Content-Type': 'application/json',
      'User-Agent': 'call-hunting-rules-notify/1',
      [NotifyHeader.EventId]: eventId,
      [NotifyHeader.Timestamp]: timestamp,
      ...(secret ? { [NotifyHeader.Signature]: signNotification(secret, timestamp, body) } : {}),
    };
  }
}

/** Only the origin is logged: a webhook URL's path or query may hold a secret. */
function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : '(invalid URL)';
}
