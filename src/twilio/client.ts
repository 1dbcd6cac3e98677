import twilio from 'twilio';
import { restAuthToken, type Config } from '../config';
import type { Logger } from '../log';
import { RestError, type PlaceCallRequest, type TwilioGateway } from './gateway';
import { BaseUrlRequestClient } from './http-client';

/** HTTP 429 (rate limited) is retried this often, with exponential backoff and jitter (see http-client). */
export const MAX_RATE_LIMIT_RETRIES = 4;
/** A REST request that gets no answer within this time fails (RestError, status 0). */
export const REST_TIMEOUT_MS = 10_000;

/** Twilio's error code for a realtime change (redirect, hang up) of a call that is no longer in progress. */
const INVALID_CALL_STATE = 21220;

/** Every event of an outbound leg is reported to its status callback. */
const LEG_STATUS_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];

/**
 * The TwilioGateway over the real `twilio` client, or undefined without account SID and auth token.
 * Credentials and the API base URL are handed over explicitly; edge, region and log level are set (empty, 'none')
 * so that the package does not fall back to TWILIO_EDGE, TWILIO_REGION or TWILIO_LOG_LEVEL from the environment.
 */
export function createTwilioGateway(config: Config, logger: Logger): TwilioGateway | undefined {
  const accountSid = config.twilioAccountSid;
  const authToken = restAuthToken(config);
  if (!accountSid || !authToken) return undefined;
  const httpClient = new BaseUrlRequestClient(config.twilioApiBaseUrl, {
    maxRetries: MAX_RATE_LIMIT_RETRIES, timeout: REST_TIMEOUT_MS,
  });
  const client = twilio(accountSid, authToken, {
    httpClient, autoRetry: true, maxRetries: MAX_RATE_LIMIT_RETRIES, edge: '', region: '', logLevel: 'none',
  });
  return new RestGateway(client, logger.child({ component: 'twilio' }));
}

/** What went wrong with a REST request: the HTTP status (0: no answer at all) and Twilio's error code. */
interface Failure {
  status: number;
  code?: number;
  message: string;
}

/** Twilio's answer to a failed request (RestException, or TwilioServiceException for RFC 9457 bodies), else no answer. */
function failureOf(error: unknown): Failure {
  const message = error instanceof Error ? error.message : String(error);
  const { status, code } = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; code?: unknown };
  if (typeof status === 'number' && status >= 100) return { status, code: typeof code === 'number' ? code : undefined, message };
  return { status: 0, message };
}

/** The call or queue no longer exists, or the call already ended: expected when a caller or a leg hangs up first. */
function isAlreadyGone(failure: Failure): boolean {
  return failure.status === 404 || (failure.status === 400 && failure.code === INVALID_CALL_STATE);
}

/** Where Twilio's recording URLs point (the REST client sends them on to TWILIO_API_BASE_URL, see http-client). */
const TWILIO_API_ORIGIN = 'https://api.twilio.com';

class RestGateway implements TwilioGateway {
  constructor(private readonly client: twilio.Twilio, private readonly logger: Logger) {}

  async placeCall(request: PlaceCallRequest): Promise<{ sid: string }> {
    try {
      const call = await this.client.calls.create({
        to: request.to,
        from: request.from,
        url: request.url,
        method: 'POST',
        ...(request.fallbackUrl ? { fallbackUrl: request.fallbackUrl, fallbackMethod: 'POST' } : {}),
        timeout: request.timeout,
        statusCallback: request.statusCallback,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: LEG_STATUS_EVENTS,
        ...(request.machineDetection ? { machineDetection: 'Enable' } : {}),
      });
      return { sid: call.sid };
    } catch (error) {
      throw restError(`placing a call to ${request.to}`, error);
    }
  }

  /**
   * `canceled` does not touch a call already answered (Twilio answers with it still in progress): a leg answered
   * since the caller last heard of it is then hung up with `completed`.
   */
  async endCall(callSid: string, status: 'canceled' | 'completed'): Promise<string | false> {
    let answered = '';
    const changed = await this.unlessGone({ callSid, action: `end (${status})` }, async () => {
      const call = await this.client.calls(callSid).update({ status });
      answered = call.status;
      if (status === 'canceled' && call.status === 'in-progress') answered = (await this.client.calls(callSid).update({ status: 'completed' })).status;
    });
    return changed && answered;
  }

  redirectCall(callSid: string, url: string): Promise<boolean> {
    return this.unlessGone({ callSid, action: 'redirect' }, () => this.client.calls(callSid).update({ url, method: 'POST' }));
  }

  /** Twilio refuses to dequeue a caller who is no longer a member with a 400 ("only the first request will succeed"). */
  dequeueCaller(queueSid: string, callSid: string, url: string): Promise<boolean> {
    return this.unlessGone({ callSid, queueSid, action: 'dequeue' },
      () => this.client.queues(queueSid).members(callSid).update({ url, method: 'POST' }), (failure) => failure.status === 400);
  }

  async callStatus(callSid: string): Promise<string | undefined> {
    try {
      return (await this.client.calls(callSid).fetch()).status;
    } catch (error) {
      if (failureOf(error).status === 404) return undefined;
      throw restError(`fetching call ${callSid}`, error);
    }
  }

  async recording(recordingSid: string): Promise<{ status: string; durationSeconds: number; url: string } | undefined> {
    try {
      const recording = await this.client.recordings(recordingSid).fetch();
      // the same URL Twilio's callbacks give: the API's origin and the resource's path, without .json
      const url = new URL(recording.uri.replace(/\.json$/, ''), TWILIO_API_ORIGIN).toString();
      return { status: recording.status, durationSeconds: Number(recording.duration) || 0, url };
    } catch (error) {
      if (failureOf(error).status === 404) return undefined;
      throw restError(`fetching recording ${recordingSid}`, error);
    }
  }

  deleteQueue(queueSid: string): Promise<boolean> {
    return this.unlessGone({ queueSid, action: 'delete queue' }, () => this.client.queues(queueSid).remove());
  }

  /** True once the change is made; false (logged at debug) when its call or queue was already gone; RestError otherwise. */
  private async unlessGone(
    context: { action: string; callSid?: string; queueSid?: string }, change: () => Promise<unknown>,
    alsoGone: (failure: Failure) => boolean = () => false,
  ): Promise<boolean> {
    try {
      await change();
      return true;
    } catch (error) {
      const failure = failureOf(error);
      if (!isAlreadyGone(failure) && !alsoGone(failure)) throw restError(`${context.action} ${context.callSid ?? context.queueSid}`, error);
      this.logger.debug({ ...context, status: failure.status, code: failure.code }, 'nothing to change: already gone');
      return false;
    }
  }
}

function restError(what: string, error: unknown): RestError {
  const failure = failureOf(error);
  const answer = failure.status === 0 ? 'no answer' : `HTTP ${failure.status}${failure.code ? ` (${failure.code})` : ''}`;
  return new RestError(`Twilio REST ${what} failed: ${answer}: ${failure.message}`, failure.status, failure.code, {
    cause: error, ...(failure.status === 0 ? {} : { reason: failure.message }),
  });
}
