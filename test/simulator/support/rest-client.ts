import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { ACCOUNT_SID, AUTH_TOKEN } from './twiml-app';

/** Rewrites https://api.twilio.com to another base URL (what the app's gateway does with TWILIO_API_BASE_URL). */
class RewritingClient extends RequestClient {
  constructor(private readonly baseUrl: string, opts: RequestClient.RequestClientOptions) {
    super(opts);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request({ ...opts, uri: opts.uri.replace('https://api.twilio.com', this.baseUrl) });
  }
}

/** The real `twilio` client pointed at the emulator. */
export function restClient(baseUrl: string, opts: { autoRetry?: boolean; authToken?: string } = {}): twilio.Twilio {
  const httpClient = new RewritingClient(baseUrl, { autoRetry: opts.autoRetry ?? false, maxRetryDelay: 100, maxRetries: 3 });
  return twilio(ACCOUNT_SID, opts.authToken ?? AUTH_TOKEN, { httpClient });
}
