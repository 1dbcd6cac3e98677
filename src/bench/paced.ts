import http from 'node:http';
import { CallSids, INCOMING_PATH, signedIncoming } from './fixtures';

/**
 * An open-loop load generator: one signed /voice/incoming request every 1000/rate ms, whether or not earlier ones
 * were answered (calls arrive independently). autocannon's overallRate is not that: each connection sends its
 * per-second quota back to back at the start of every second, so its latencies include the queueing of that burst.
 */

export interface PacedResult {
  sent: number;
  /** Response times in ms (request written → answer fully read), sorted ascending. */
  times: number[];
  /** Answers that were not 200 with the expected verb. */
  bad: number;
  errors: number;
  /** The largest delay between a request's scheduled time and its sending: the generator's own lag. */
  maxSendLagMs: number;
  /** From the first request sent to the last answer read. */
  elapsedMs: number;
}

const sids = new CallSids();

export async function paced(url: string, options: { rate: number; durationS: number; verb: string }): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.durationS);
  const result: PacedResult = { sent: 0, times: [], bad: 0, errors: 0, maxSendLagMs: 0, elapsedMs: 0 };
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      for (; result.sent < due; result.sent++) {
        result.maxSendLagMs = Math.max(result.maxSendLagMs, now - (start + result.sent * interval));
        pending.push(send(url, agent, options.verb, result));
      }
      if (result.sent >= total) return resolve();
      setTimeout(tick, Math.max(0, start + result.sent * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  result.elapsedMs = performance.now() - start;
  agent.destroy();
  result.times.sort((a, b) => a - b);
  return result;
}

function send(url: string, agent: http.Agent, verb: string, result: PacedResult): Promise<void> {
  const { body, headers } = signedIncoming(url, sids.next());
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(url + INCOMING_PATH, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        result.times.push(performance.now() - started);
        if (res.statusCode !== 200 || !text.includes(verb)) result.bad += 1;
        resolve();
      });
    });
    req.on('error', () => {
      result.errors += 1;
      resolve();
    });
    req.end(body);
  });
}
