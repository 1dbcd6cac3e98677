import { SimCall, type CallInit } from './call';
import { DEFAULT_PLAY_SECONDS } from './durations';
import type { RunProgram, VerbHandler } from './program';
import { Queues } from './queues';
import { newSid } from './sids';
import { Timeline } from './timeline';
import { InflightTracker } from './tracker';
import type { CalleeScript, EmulatorError, EmulatorOptions, RecordingView } from './types';
import type { VirtualClock } from './virtual-clock';
import { WebhookClient } from './webhooks';

/** Resolved emulator settings (EmulatorOptions with defaults applied). */
export interface Settings {
  playMs(url: string): number;
  dialSlackMs: number;
  cancelOtherLegsAt: 'answer' | 'bridge';
  whisperRejectedDialStatus: 'completed' | 'no-answer';
  redirectedQueueAction: 'ignored' | 'followed';
}

function resolveSettings(opts: EmulatorOptions): Settings {
  const play = opts.playSeconds;
  return {
    playMs: (url) => 1000 * ((typeof play === 'function' ? play(url) : play) ?? DEFAULT_PLAY_SECONDS),
    dialSlackMs: 1000 * (opts.dialTimeoutSlackSeconds ?? 0),
    cancelOtherLegsAt: opts.uncertain?.cancelOtherLegsAt ?? 'bridge',
    whisperRejectedDialStatus: opts.uncertain?.whisperRejectedDialStatus ?? 'completed',
    redirectedQueueAction: opts.uncertain?.redirectedQueueAction ?? 'ignored',
  };
}

/** Scripts per destination; a list plays out one entry per attempt, the last one repeating. */
export class CalleeBook {
  private readonly scripts = new Map<string, { list: CalleeScript[]; used: number }>();

  set(target: string, script: CalleeScript | CalleeScript[]): void {
    const list = Array.isArray(script) ? script : [script];
    if (list.length === 0) throw new Error(`callee ${target}: empty script list`);
    this.scripts.set(target.trim(), { list, used: 0 });
  }

  /** The script for the next call to `target`; undefined = it never answers. */
  next(target: string): CalleeScript | undefined {
    const entry = this.scripts.get(target.trim());
    if (!entry) return undefined;
    const script = entry.list[Math.min(entry.used, entry.list.length - 1)];
    entry.used++;
    return script;
  }
}

/** Everything a verb needs: clock, HTTP, the record of what happened, the calls. Owned by TwilioEmulator. */
export class Core {
  readonly clock: VirtualClock;
  readonly timeline: Timeline;
  readonly tracker = new InflightTracker();
  readonly webhooks: WebhookClient;
  readonly settings: Settings;
  readonly callees = new CalleeBook();
  readonly calls = new Map<string, SimCall>();
  readonly queues: Queues;
  readonly errors: EmulatorError[] = [];
  readonly recordings: RecordingView[] = [];
  readonly internalErrors: unknown[] = [];
  /** Base of recording URLs; the fake REST API's address once started. */
  apiBaseUrl = 'https://api.twilio.com';
  verbs: Readonly<Record<string, VerbHandler>> = {};
  runProgram!: RunProgram;
  private pendingDeliveries = 0;

  constructor(readonly opts: EmulatorOptions) {
    this.clock = opts.clock;
    this.timeline = new Timeline(opts.clock);
    this.queues = new Queues(opts.clock);
    this.webhooks = new WebhookClient(opts.authToken, opts.clock, this.tracker);
    this.settings = resolveSettings(opts);
  }

  get accountSid(): string {
    return this.opts.accountSid;
  }

  newCall(init: Omit<CallInit, 'sid' | 'accountSid' | 'createdAt'>): SimCall {
    const call = new SimCall({ ...init, sid: newSid('CA'), accountSid: this.accountSid, createdAt: this.clock.now() });
    this.calls.set(call.sid, call);
    return call;
  }

  report(error: Omit<EmulatorError, 'at'>): void {
    this.errors.push({ at: this.clock.now(), ...error });
  }

  /** Runs emulator work detached; a crash is an emulator bug, surfaced by run(). */
  spawn(name: string, task: () => Promise<unknown>): void {
    task().catch((err: unknown) => {
      this.internalErrors.push(err);
      this.timeline.add('-', 'emulator', 'warning', `internal error in ${name}: ${String(err)}`);
    });
  }

  /** Schedules a delivery (a callback) `delayMs` from now; run() waits for every pending delivery. */
  later(delayMs: number, name: string, task: () => Promise<unknown>): void {
    this.pendingDeliveries++;
    this.clock.setTimeout(() => {
      this.spawn(name, async () => {
        try {
          await task();
        } finally {
          this.pendingDeliveries--;
        }
      });
    }, delayMs);
  }

  get hasPendingDeliveries(): boolean {
    return this.pendingDeliveries > 0;
  }

  /** Webhook callbacks whose body Twilio ignores: a failure is recorded, never fatal. */
  async callback(call: SimCall | undefined, req: Parameters<WebhookClient['send']>[0]): Promise<void> {
    const ex = await this.webhooks.send({ ...req, log: call?.requests });
    const failed = ex.error !== undefined || ex.status === undefined || ex.status < 200 || ex.status > 299;
    if (!failed) return;
    const message = `${req.purpose} ${req.url} failed: ${ex.error ?? `HTTP ${ex.status}`}`;
    this.report({ kind: 'callback-failed', code: 11200, url: req.url, message, callSid: call?.sid });
    this.timeline.add(call?.sid ?? '-', call?.who ?? 'app', 'callback-error', message);
  }
}
