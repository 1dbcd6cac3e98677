import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Core } from './core';
import { startInbound, type NumberConfig } from './inbound';
import { OutboundCalls } from './outbound';
import { runProgram } from './program';
import { createRestHandler, FaultBook, type RestFault, type RestRequestLog } from './rest/server';
import { DEFAULT_MAX_RUN_SECONDS, playFor, playUntilDone } from './runner';
import type {
  CalleeScript, CallerScript, EmulatorError, EmulatorOptions, LegView, QueueView, RecordingAtTwilio, RecordingView, TimelineEntry,
  WebhookExchange,
} from './types';
import { EmulatedCall, legView } from './views';
import { VERBS } from './verbs';

export type { EmulatorOptions } from './types';
export type { RestFault, RestRequestLog } from './rest/server';

/**
 * Plays Twilio's part for tests, `npm run simulate` and rule previews. It knows URLs, the auth token and
 * TwiML, nothing of the app: it sends signed webhooks, carries out the TwiML it gets back verb by verb,
 * rings scripted callees, and keeps a timeline. Time is virtual (EmulatorOptions.clock); run() plays it.
 */
export class TwilioEmulator {
  private readonly core: Core;
  private readonly numbers = new Map<string, NumberConfig>();
  private readonly callerIds = new Set<string>();
  private readonly outbound: OutboundCalls;
  private readonly faults = new FaultBook();
  private readonly restLog: RestRequestLog[] = [];
  private server?: http.Server;
  private baseUrl?: string;

  constructor(private readonly opts: EmulatorOptions) {
    this.core = new Core(opts);
    this.core.verbs = VERBS;
    this.core.runProgram = runProgram;
    this.outbound = new OutboundCalls(this.core);
  }

  /** Starts the fake REST API (on 127.0.0.1, EmulatorOptions.port or an ephemeral port). */
  async start(): Promise<void> {
    if (this.server) return;
    const isOwnNumber = (n: string) => this.numbers.has(n) || this.callerIds.has(n);
    const server = http.createServer(createRestHandler(this.core, this.outbound, this.faults, this.restLog, isOwnNumber));
    await new Promise<void>((resolve) => server.listen(this.opts.port ?? 0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.core.apiBaseUrl = this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Where the fake REST API listens (TWILIO_API_BASE_URL). Requires start(). */
  get apiBaseUrl(): string {
    if (!this.baseUrl) throw new Error('TwilioEmulator.start() has not been called');
    return this.baseUrl;
  }

  /** Configures a Twilio number of the account: where incoming calls to it are sent. */
  configureNumber(number: string, urls: NumberConfig): void {
    this.numbers.set(number, { ...urls });
  }

  /** A verified caller ID: allowed as `From` of API-created calls, like the account's own numbers. */
  verifyCallerId(number: string): void {
    this.callerIds.add(number);
  }

  /**
   * How `target` ('+1555…', 'client:john', 'sip:…') behaves when called. A list gives one script per
   * successive call to it, the last one repeating. Unscripted targets never answer.
   */
  callee(target: string, script: CalleeScript | CalleeScript[]): void {
    this.core.callees.set(target, script);
  }

  /** A caller dials a configured number. Virtual time does not move until run(). */
  async placeCall(p: { from: string; to: string; caller?: CallerScript }): Promise<EmulatedCall> {
    const number = this.numbers.get(p.to);
    if (!number) throw new Error(`${p.to} is not a configured number (configureNumber first)`);
    return new EmulatedCall(startInbound(this.core, p.to, number, p.from, p.caller));
  }

  /** Plays virtual time until every call has ended and every callback was delivered, or `maxSeconds` passed. */
  run(opts: { maxSeconds?: number } = {}): Promise<void> {
    return playUntilDone(this.core, this.opts.quiesce, opts.maxSeconds ?? DEFAULT_MAX_RUN_SECONDS);
  }

  /** Plays exactly `seconds` of virtual time whether or not a call is live (the app's own timers run too). */
  advance(seconds: number): Promise<void> {
    return playFor(this.core, this.opts.quiesce, seconds);
  }

  get timeline(): readonly TimelineEntry[] {
    return this.core.timeline.entries;
  }

  /** The timeline for humans, one event per line ("0:40  Home (+15551230002)  ringing"). */
  formatTimeline(opts: { verbose?: boolean } = {}): string {
    return this.core.timeline.format(opts);
  }

  /** Every outbound attempt (Dial legs and API-created calls), in creation order. */
  legs(): LegView[] {
    return [...this.core.calls.values()].filter((c) => c.direction !== 'inbound').map(legView);
  }

  recordings(): RecordingView[] {
    return [...this.core.recordings];
  }

  /**
   * Twilio's record of a recording, as GET …/Recordings/{sid}.json answers it from now on: added, or replacing the one
   * with that SID (one still `processing`, later `completed`; one Twilio found `absent` or `failed`). A SID neither
   * recorded nor set is unknown to Twilio (404).
   */
  setRecording(recording: RecordingAtTwilio): RecordingView {
    const { sid, callSid, status, seconds = 0, errorCode } = recording;
    if (!/^RE[0-9a-f]{32}$/i.test(sid)) throw new Error(`${sid} is not a recording SID (RE and 32 hex digits)`);
    const at = this.core.recordings.findIndex((r) => r.sid === sid);
    const before = this.core.recordings[at];
    const view: RecordingView = {
      sid, callSid, status, seconds, startedAt: before?.startedAt ?? this.core.clock.now(),
      url: `${this.core.apiBaseUrl}/2010-04-01/Accounts/${this.core.accountSid}/Recordings/${sid}`,
      ...(errorCode !== undefined ? { errorCode } : {}),
      ...(before?.transcript !== undefined ? { transcript: before.transcript } : {}),
    };
    if (before) this.core.recordings[at] = view;
    else this.core.recordings.push(view);
    return view;
  }

  /** Application errors, fallbacks, failed callbacks, TwiML warnings — what Twilio's debugger would show. */
  get errors(): readonly EmulatorError[] {
    return this.core.errors;
  }

  /** Every request made to the app, in order. */
  get webhooks(): readonly WebhookExchange[] {
    return this.core.webhooks.exchanges;
  }

  /** The next `times` REST requests matching `method` and `pathMatch` fail with `status` (429 tests autoRetry). */
  injectRestFault(fault: RestFault): void {
    this.faults.add(fault);
  }

  /** Every REST request received, with the status answered. */
  get restRequests(): readonly RestRequestLog[] {
    return this.restLog;
  }

  /** The account's queues that still exist (not deleted). */
  queues(): QueueView[] {
    return this.core.queues.list().map((q) => ({ sid: q.sid, name: q.name, maxSize: q.maxSize, members: q.members.map((m) => m.call.sid) }));
  }

  call(sid: string): EmulatedCall | undefined {
    const call = this.core.calls.get(sid);
    return call ? new EmulatedCall(call) : undefined;
  }
}
