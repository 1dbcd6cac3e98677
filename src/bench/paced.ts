import net from 'node:net';
import { CallSids, INCOMING_PATH, signedIncoming } from './fixtures';

/**
 * An open-loop load generator: one signed /voice/incoming request every 1000/rate ms, whether or not earlier ones
 * were answered (calls arrive independently). autocannon's overallRate is not that: each connection sends its
 * per-second quota back to back at the start of every second, so its latencies include the queueing of that burst.
 *
 * The generator shares the machine with what it measures, so it does as little as it can while it runs: every
 * request (a new CallSid, its own signature) is built as raw HTTP/1.1 bytes before the first is sent, and goes out
 * on an idle keep-alive socket with one write; an answer is read up to its Content-Length and checked for status 200
 * and the expected TwiML verb. A response time runs from that write to the last byte of the answer.
 */

export interface PacedResult {
  sent: number;
  /** Response times in ms (request written → answer fully read), sorted ascending. */
  times: number[];
  /** Answers that were not 200 with the expected verb. */
  bad: number;
  /** Requests whose socket failed or closed before the answer was complete. */
  errors: number;
  /** The largest delay between a request's scheduled time and its sending: the generator's own lag. */
  maxSendLagMs: number;
  /** From the first request sent to the last answer read. */
  elapsedMs: number;
}

/** Sockets opened before the first request, so that connecting is not part of the first times. */
const INITIAL_SOCKETS = 16;
const HEADER_END = '\r\n\r\n';
const sids = new CallSids();

/** The raw request bytes of one new signed call to `url`'s /voice/incoming. */
function rawRequest(url: URL): Buffer {
  const { body, headers } = signedIncoming(url.origin, sids.next());
  const lines = [`POST ${INCOMING_PATH} HTTP/1.1`, `Host: ${url.host}`, 'Connection: keep-alive', `Content-Length: ${Buffer.byteLength(body)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}${HEADER_END}${body}`);
}

/** Whether `text` holds a whole answer: headers, then as many body bytes as Content-Length says. */
function isComplete(text: string): boolean {
  const end = text.indexOf(HEADER_END);
  if (end < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end));
  return text.length >= end + HEADER_END.length + Number(length?.[1] ?? 0);
}

/** One keep-alive connection carrying one request at a time. */
class Connection {
  readonly socket: net.Socket;
  private answer = '';
  private started = 0;
  private onAnswer?: (text: string | null, ms: number) => void;

  constructor(url: URL, onClose: (connection: Connection) => void) {
    this.socket = net.connect(Number(url.port), url.hostname);
    this.socket.setNoDelay(true);
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => {
      this.answer += chunk;
      if (isComplete(this.answer)) this.settle(this.answer);
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.settle(null);
      onClose(this);
    });
  }

  send(request: Buffer, onAnswer: (text: string | null, ms: number) => void): void {
    this.answer = '';
    this.onAnswer = onAnswer;
    this.started = performance.now();
    this.socket.write(request);
  }

  private settle(text: string | null): void {
    const onAnswer = this.onAnswer;
    this.onAnswer = undefined;
    onAnswer?.(text, performance.now() - this.started);
  }
}

export async function paced(baseUrl: string, options: { rate: number; durationS: number; verb: string }): Promise<PacedResult> {
  const url = new URL(baseUrl);
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.durationS);
  const requests = Array.from({ length: total }, () => rawRequest(url));
  const result: PacedResult = { sent: 0, times: [], bad: 0, errors: 0, maxSendLagMs: 0, elapsedMs: 0 };
  const idle: Connection[] = [];
  const open = new Set<Connection>();
  const connect = (): Connection => {
    const connection = new Connection(url, (closed) => {
      open.delete(closed);
      const at = idle.indexOf(closed);
      if (at >= 0) idle.splice(at, 1);
    });
    open.add(connection);
    return connection;
  };
  for (let i = 0; i < INITIAL_SOCKETS; i++) idle.push(connect());
  await Promise.all([...open].map((c) => new Promise((resolve) => c.socket.once('connect', resolve).once('close', resolve))));

  let answered = 0;
  let allAnswered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    allAnswered = resolve;
  });
  const send = (request: Buffer): void => {
    const connection = idle.pop() ?? connect();
    connection.send(request, (text, ms) => {
      if (text === null) result.errors += 1;
      else {
        result.times.push(ms);
        if (!text.startsWith('HTTP/1.1 200') || !text.includes(options.verb)) result.bad += 1;
        idle.push(connection);
      }
      answered += 1;
      if (answered === total) allAnswered();
    });
  };

  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      for (; result.sent < due; result.sent++) {
        result.maxSendLagMs = Math.max(result.maxSendLagMs, now - (start + result.sent * interval));
        send(requests[result.sent]!);
      }
      if (result.sent >= total) return resolve();
      setTimeout(tick, Math.max(0, start + result.sent * interval - performance.now()));
    };
    tick();
  });
  if (total > 0) await done;
  result.elapsedMs = performance.now() - start;
  for (const connection of open) connection.socket.destroy();
  result.times.sort((a, b) => a - b);
  return result;
}
