import twilio from 'twilio';
import type { Clock } from '../clock';
import { TWILIO_SIGNATURE_HEADER } from '../twilio/constants';
import { WEBHOOK_TIMEOUT_MS } from './durations';
import type { InflightTracker } from './tracker';
import type { WebhookExchange, WebhookPurpose } from './types';

export interface WebhookRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly params: Record<string, string>;
  readonly purpose: WebhookPurpose;
  readonly callSid?: string;
  /** Where else to file the exchange (the call's own request list). */
  readonly log?: WebhookExchange[];
}

/**
 * Sends requests the way Twilio does: form-encoded POST (or GET with the parameters in the query),
 * signed with X-Twilio-Signature over the full URL and the sorted parameters, 15 s timeout.
 * Never throws: a network failure is recorded on the exchange.
 */
export class WebhookClient {
  readonly exchanges: WebhookExchange[] = [];

  constructor(
    private readonly authToken: string,
    private readonly clock: Clock,
    private readonly tracker: InflightTracker,
  ) {}

  send(req: WebhookRequest): Promise<WebhookExchange> {
    const exchange: WebhookExchange = {
      at: this.clock.now(),
      ...(req.callSid ? { callSid: req.callSid } : {}),
      purpose: req.purpose,
      url: req.url,
      method: req.method,
      params: { ...req.params },
    };
    this.exchanges.push(exchange);
    req.log?.push(exchange);
    return this.tracker.track(this.perform(exchange));
  }

  private async perform(ex: WebhookExchange): Promise<WebhookExchange> {
    const { url, body, signature } = this.sign(ex);
    try {
      const res = await fetch(url, {
        method: ex.method,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': 'TwilioProxy/1.1 (emulator)',
          [TWILIO_SIGNATURE_HEADER]: signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      ex.status = res.status;
      ex.contentType = res.headers.get('content-type') ?? undefined;
      ex.body = await res.text();
    } catch (err) {
      ex.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    return ex;
  }

  private sign(ex: WebhookExchange): { url: string; body?: string; signature: string } {
    if (ex.method === 'GET') {
      const query = new URLSearchParams(ex.params).toString();
      const url = query ? `${ex.url}${ex.url.includes('?') ? '&' : '?'}${query}` : ex.url;
      return { url, signature: twilio.getExpectedTwilioSignature(this.authToken, url, {}) };
    }
    return {
      url: ex.url,
      body: new URLSearchParams(ex.params).toString(),
      signature: twilio.getExpectedTwilioSignature(this.authToken, ex.url, ex.params),
    };
  }
}

/** The problem Twilio would report for a TwiML response (11205 connection/timeout, 11200 HTTP status, 12300 Content-Type), or undefined. */
export function twimlResponseProblem(ex: WebhookExchange): { code: number; message: string } | undefined {
  if (ex.error !== undefined) {
    const timedOut = /timeout|abort/i.test(ex.error);
    return { code: 11205, message: `${timedOut ? 'no response within 15 s' : 'connection failed'}: ${ex.error}` };
  }
  if (ex.status === undefined || ex.status < 200 || ex.status > 299) {
    return { code: 11200, message: `HTTP ${ex.status} from ${ex.url}` };
  }
  if (!/xml/i.test(ex.contentType ?? '')) {
    return { code: 12300, message: `invalid Content-Type '${ex.contentType ?? ''}'` };
  }
  return undefined;
}
