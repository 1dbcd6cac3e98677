import type { Clock } from '../clock';
import type { SimCall } from './call';
import { Deferred, type FetchSpec } from './scope';
import { newSid } from './sids';

/** Twilio's default queue size limit. */
export const DEFAULT_MAX_QUEUE_SIZE = 1000;

/** A caller taken from a queue by `<Dial><Queue>`, and the connection between the two. */
export class QueueBridge {
  /** true once both sides are connected; false when the caller left before that. */
  readonly connected = new Deferred<boolean>();
  /** Which side left first. */
  readonly ended = new Deferred<'caller' | 'agent'>();
  startedAt?: number;

  constructor(readonly agent: SimCall, readonly caller: SimCall, readonly url?: FetchSpec) {}

  connect(at: number): void {
    if (this.connected.settled) return;
    this.startedAt = at;
    this.connected.resolve(true);
  }

  /** One side left (or gave up before the connection). */
  leave(side: 'caller' | 'agent'): void {
    if (!this.connected.settled) this.connected.resolve(false);
    if (!this.ended.settled) this.ended.resolve(side);
  }

  durationS(now: number): number {
    return this.startedAt === undefined ? 0 : Math.ceil((now - this.startedAt) / 1000);
  }
}

export interface QueueMember {
  readonly call: SimCall;
  readonly queue: QueueRecord;
  readonly enqueuedAt: number;
  /** Resolved when an agent takes this caller. */
  readonly taken: Deferred<QueueBridge>;
  /** Set with `taken`: the connection being made. */
  bridge?: QueueBridge;
}

type AgentWaiter = (member: QueueMember) => void;

/** One queue of the account: created on first <Enqueue> or through REST; persists until deleted. */
export class QueueRecord {
  readonly sid = newSid('QU');
  readonly members: QueueMember[] = [];
  private readonly agents: AgentWaiter[] = [];
  private waitedMs = 0;
  private dequeued = 0;

  constructor(public name: string, public maxSize: number, readonly createdAt: number, private readonly clock: Clock) {}

  add(call: SimCall): QueueMember {
    const member: QueueMember = { call, queue: this, enqueuedAt: this.clock.now(), taken: new Deferred<QueueBridge>() };
    this.members.push(member);
    const agent = this.agents.shift();
    if (agent) agent(this.take() as QueueMember);
    return member;
  }

  /** Removes a member (idempotent); false when it was not (or no longer) waiting. */
  remove(member: QueueMember): boolean {
    const i = this.members.indexOf(member);
    if (i < 0) return false;
    this.members.splice(i, 1);
    this.waitedMs += this.clock.now() - member.enqueuedAt;
    this.dequeued++;
    return true;
  }

  front(): QueueMember | undefined {
    return this.members[0];
  }

  find(callSid: string): QueueMember | undefined {
    return this.members.find((m) => m.call.sid === callSid);
  }

  position(member: QueueMember): number {
    return this.members.indexOf(member) + 1;
  }

  get averageWaitS(): number {
    return this.dequeued === 0 ? 0 : Math.round(this.waitedMs / this.dequeued / 1000);
  }

  /** The front caller now, or the next to arrive. `cancel` gives back a caller taken too late. */
  waitForMember(): { promise: Promise<QueueMember>; cancel(): void } {
    const front = this.take();
    const got = new Deferred<QueueMember>();
    if (front) got.resolve(front);
    let member = front;
    const waiter: AgentWaiter = (m) => {
      member = m;
      got.resolve(m);
    };
    if (!front) this.agents.push(waiter);
    return {
      promise: got.promise,
      cancel: () => {
        const i = this.agents.indexOf(waiter);
        if (i >= 0) this.agents.splice(i, 1);
        if (member && !member.taken.settled) this.members.unshift(member);
      },
    };
  }

  private take(): QueueMember | undefined {
    const front = this.members[0];
    if (front) this.remove(front);
    return front;
  }
}

export class DuplicateQueueError extends Error {
  constructor(name: string) {
    super(`a queue named '${name}' already exists`);
    this.name = 'DuplicateQueueError';
  }
}

/** The account's queues. */
export class Queues {
  private readonly bySid = new Map<string, QueueRecord>();

  constructor(private readonly clock: Clock) {}

  create(name: string, maxSize = DEFAULT_MAX_QUEUE_SIZE): QueueRecord {
    if (this.findByName(name)) throw new DuplicateQueueError(name);
    const queue = new QueueRecord(name, maxSize, this.clock.now(), this.clock);
    this.bySid.set(queue.sid, queue);
    return queue;
  }

  get(sid: string): QueueRecord | undefined {
    return this.bySid.get(sid);
  }

  findByName(name: string): QueueRecord | undefined {
    return this.list().find((q) => q.name === name);
  }

  delete(sid: string): boolean {
    return this.bySid.delete(sid);
  }

  list(): QueueRecord[] {
    return [...this.bySid.values()];
  }

  memberOf(callSid: string): QueueMember | undefined {
    for (const q of this.bySid.values()) {
      const m = q.find(callSid);
      if (m) return m;
    }
    return undefined;
  }
}
