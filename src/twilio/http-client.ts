import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

/** Twilio's own API hosts: api.twilio.com, and the regional or edge variants the client may build (*.twilio.com). */
function isTwilioHost(hostname: string): boolean {
  return hostname === 'twilio.com' || hostname.endsWith('.twilio.com');
}

/**
 * Where a request for Twilio's API goes instead: the origin (and any path prefix) of `baseUrl`, keeping the
 * request's own path and query. Requests for other hosts are left alone.
 */
export function rewriteTwilioUri(uri: string, baseUrl: URL): string {
  const target = new URL(uri);
  if (!isTwilioHost(target.hostname)) return uri;
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  return `${baseUrl.origin}${prefix}${target.pathname}${target.search}`;
}

/**
 * The `twilio` package's own HTTP client (axios, auth, 429 backoff when `autoRetry` is set), sending every request
 * for Twilio's API to TWILIO_API_BASE_URL: the real API in production, a Twilio-compatible API or the project's
 * emulator otherwise. The retry options must be given here: the `twilio()` client only applies its own retry
 * options to the client it creates itself.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly baseUrl: URL;

  constructor(baseUrl: string, options: RequestClient.RequestClientOptions) {
    super(options);
    this.baseUrl = new URL(baseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request({ ...opts, uri: rewriteTwilioUri(opts.uri, this.baseUrl) });
  }
}
