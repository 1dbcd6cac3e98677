/**
 * One POST of a notification to a receiver, and what it means for retrying: 2xx delivered; a network error,
 * a timeout, 5xx, 429 or 408 (the receiver gave up waiting for the request, which HTTP lets a client repeat) worth
 * another try; anything else (3xx, another 4xx) refused for good.
 */

export type AttemptOutcome =
  | { readonly result: 'delivered'; readonly status: number }
  | { readonly result: 'retry'; readonly status?: number; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly result: 'refused'; readonly status: number };

export interface PostRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Real time: the receiver must answer (status and headers) within it. */
  readonly timeoutMs: number;
}

/**
 * Redirects are not followed: a webhook URL that moved is a configuration to fix, not a hop to take with the payload.
 * A URL with credentials (`https://user:password@host/…`, which fetch refuses) is sent with them as Basic auth.
 */
export async function postOnce(request: PostRequest): Promise<AttemptOutcome> {
  let response: Response;
  try {
    const { url, authorization } = withoutCredentials(request.url);
    response = await fetch(url, {
      method: 'POST',
      headers: authorization ? { ...request.headers, Authorization: authorization } : request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    await response.body?.cancel();
  } catch (err) {
    return { result: 'retry', reason: networkReason(err, request.timeoutMs) };
  }
  const { status } = response;
  if (status >= 200 && status < 300) return { result: 'delivered', status };
  if (RETRIED_STATUSES.has(status) || status >= 500) {
    const retryAfterMs = retryAfter(response.headers.get('retry-after'));
    return { result: 'retry', status, reason: `HTTP ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { result: 'refused', status };
}

/** 4xx answers worth another try: Request Timeout and Too Many Requests. */
const RETRIED_STATUSES: ReadonlySet<number> = new Set([408, 429]);

/** The URL without its user and password, and those as an Authorization header. */
function withoutCredentials(raw: string): { url: string; authorization?: string } {
  if (!URL.canParse(raw)) return { url: raw };
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: raw };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** Why an attempt got no answer; logged, so any `user:password@` an error message quotes is cut out. */
function networkReason(err: unknown, timeoutMs: number): string {
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err instanceof Error ? err.message : String(err)}${cause}`.replace(/\/\/[^/\s@]*@/g, '//');
}

/** `Retry-After: <seconds>` in ms (an HTTP date is ignored: backoff applies). */
function retryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
