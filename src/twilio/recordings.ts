import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { restAuthToken, type Config } from '../config';
import { rewriteTwilioUri } from './http-client';

/**
 * Voicemail audio from Twilio: `<RecordingUrl>.mp3`, fetched with the account's credentials (HTTP basic auth)
 * from TWILIO_API_BASE_URL, like every REST request (see http-client). Redirects (Twilio hands media out from
 * a CDN) are followed; fetch drops the credentials on a redirect to another origin.
 */

/** The upstream must start answering (status and headers) within this time; the body then streams at its pace. */
export const RECORDING_HEADERS_TIMEOUT_MS = 10_000;

/** TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not configured: recordings cannot be fetched. */
export class TwilioNotConfiguredError extends Error {
  constructor() {
    super('voicemail audio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to be configured');
    this.name = 'TwilioNotConfiguredError';
  }
}

/** Twilio has no such recording (deleted in the console, or never there): 404 upstream. */
export class RecordingNotFoundError extends Error {
  constructor(readonly recordingUrl: string) {
    super('the recording no longer exists at Twilio');
    this.name = 'RecordingNotFoundError';
  }
}

/** Twilio did not hand the recording out: no answer, an error status, or a recording URL we will not send credentials to. */
export class RecordingUnavailableError extends Error {
  constructor(message: string, readonly status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordingUnavailableError';
  }
}

export interface RecordingAudio {
  readonly contentType: string;
  readonly contentLength?: number;
  readonly body: Readable;
}

/** Where a recording's MP3 is fetched from: the recording URL with `.mp3`, on TWILIO_API_BASE_URL. */
export function recordingMp3Url(recordingUrl: string, apiBaseUrl: string): string {
  const url = new URL(rewriteTwilioUri(recordingUrl, new URL(apiBaseUrl)));
  url.pathname = `${url.pathname.replace(/\.(json|mp3|wav)$/i, '')}.mp3`;
  return url.toString();
}

/**
 * Opens the recording's MP3 stream. `signal` aborts it (e.g. when the listener goes away). Throws
 * TwilioNotConfiguredError, RecordingNotFoundError or RecordingUnavailableError.
 */
export async function fetchRecordingAudio(config: Config, recordingUrl: string, signal?: AbortSignal): Promise<RecordingAudio> {
  const sid = config.twilioAccountSid;
  const token = restAuthToken(config);
  if (!sid || !token) throw new TwilioNotConfiguredError();
  let target: string;
  try {
    target = recordingMp3Url(recordingUrl, config.twilioApiBaseUrl);
  } catch (err) {
    throw new RecordingUnavailableError('the stored recording URL is not a URL', undefined, { cause: err });
  }
  if (new URL(target).origin !== new URL(config.twilioApiBaseUrl).origin) {
    throw new RecordingUnavailableError(`the recording URL is not on the Twilio API (${new URL(target).origin}): credentials not sent`);
  }
  const response = await fetchWithHeadersTimeout(target, `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`, signal);
  if (response.status === 404) {
    await response.body?.cancel();
    throw new RecordingNotFoundError(recordingUrl);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new RecordingUnavailableError(`Twilio answered HTTP ${response.status} for the recording`, response.status);
  }
  const length = Number(response.headers.get('content-length') ?? NaN);
  return {
    contentType: response.headers.get('content-type') ?? 'audio/mpeg',
    ...(Number.isSafeInteger(length) && length >= 0 ? { contentLength: length } : {}),
    body: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
  };
}

async function fetchWithHeadersTimeout(url: string, authorization: string, signal?: AbortSignal): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), RECORDING_HEADERS_TIMEOUT_MS);
  timer.unref();
  const forward = () => controller.abort();
  signal?.addEventListener('abort', forward, { once: true });
  if (signal?.aborted) controller.abort();
  try {
    return await fetch(url, { headers: { Authorization: authorization, Accept: 'audio/mpeg' }, signal: controller.signal });
  } catch (err) {
    const reason = controller.signal.aborted && !signal?.aborted ? `no answer within ${RECORDING_HEADERS_TIMEOUT_MS} ms` : String(err);
    throw new RecordingUnavailableError(`could not reach Twilio for the recording: ${reason}`, undefined, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
