/**
 * One POST of a notification to a receiver, and what it means for retrying: 2xx delivered; a network error,
 * a timeout, 5xx or 429 worth another try; anything else (3xx, 4xx but 429) refused for good.
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

/** Redirects are not followed: a webhook URL that moved is a configuration to fix, not a hop to take with the payload. */
export async function postOnce(request: PostRequest): Promise<AttemptOutcome> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
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
  if (status === 429 || status >= 500) {
    const retryAfterMs = retryAfter(response.headers.get('retry-after'));
    return { result: 'retry', status, reason: `HTTP ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { result: 'refused', status };
}

function networkReason(err: unknown, timeoutMs: number): string {
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err instanceof Error ? err.message : String(err)}${cause}`;
}

/** `Retry-After: <seconds>` in ms (an HTTP date is ignored: backoff applies). */
function retryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
