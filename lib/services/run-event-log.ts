import { randomBytes } from "node:crypto";
import type { RunEvent } from "./dto";

/**
 * The recent engine events of one execution, each with an id that stays valid across connections
 * (`<executionId>.<sequence>`), so a client that reconnects with the last id it saw gets exactly the events
 * after it. Bounded: the oldest events are dropped past `maxEvents` or `maxBytes`; an id whose successor was
 * dropped (or from another execution, or another process) is unknown, and the client needs a fresh snapshot.
 */

export const RUN_EVENT_LOG_MAX_EVENTS = 2_000;
export const RUN_EVENT_LOG_MAX_BYTES = 1024 * 1024;

export interface LoggedRunEvent<T = RunEvent> {
  id: string;
  event: T;
}

interface Entry<T> {
  seq: number;
  event: T;
  bytes: number;
}

export class RunEventLog<T = RunEvent> {
  /** Random, so an id from an execution of another process (or before a restart) is never taken for one of ours. */
  readonly executionId: string;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly sizeOf: (event: T) => number;
  private lastSeq = 0;
  private entries: Entry<T>[] = [];
  /** Index in `entries` of the oldest retained event; dropped ones are compacted away now and then. */
  private first = 0;
  private bytes = 0;

  constructor(
    options: { executionId?: string; maxEvents?: number; maxBytes?: number; sizeOf?: (event: T) => number } = {},
  ) {
    this.executionId = options.executionId ?? randomBytes(6).toString("base64url");
    this.maxEvents = options.maxEvents ?? RUN_EVENT_LOG_MAX_EVENTS;
    this.maxBytes = options.maxBytes ?? RUN_EVENT_LOG_MAX_BYTES;
    this.sizeOf = options.sizeOf ?? ((event) => JSON.stringify(event).length);
  }

  /** The id of the newest event (`<executionId>.0` before the first): a snapshot taken now reflects everything up to it. */
  get lastId(): string {
    return `${this.executionId}.${this.lastSeq}`;
  }

  /** How many events are retained. */
  get size(): number {
    return this.entries.length - this.first;
  }

  /** Records an event and returns its id. */
  append(event: T): string {
    return this.appendAt(this.lastSeq + 1, event);
  }

  /**
   * Records an event under the sequence number another process gave it (a mirror of that process's log): numbers
   * only grow; one that skips ahead leaves the events in between unknown, so a client that saw them needs a snapshot.
   */
  appendAt(seq: number, event: T): string {
    if (seq <= this.lastSeq) throw new Error(`event ${seq} is not after ${this.lastSeq}`);
    if (seq > this.lastSeq + 1) {
      // what lies between was never seen: forget what came before, so `after` cannot replay across the hole
      this.entries = [];
      this.first = 0;
      this.bytes = 0;
    }
    this.lastSeq = seq;
    const entry = { seq, event, bytes: this.sizeOf(event) };
    this.entries.push(entry);
    this.bytes += entry.bytes;
    while (this.size > 0 && (this.size > this.maxEvents || this.bytes > this.maxBytes)) {
      this.bytes -= this.entries[this.first]!.bytes;
      this.first++;
    }
    // drop the evicted prefix in one go once it is half the array, so eviction stays O(1) amortized
    if (this.first > 1_000 && this.first * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.first);
      this.first = 0;
    }
    return this.lastId;
  }

  /**
   * The events after `eventId`, oldest first (empty when it is the newest), or `undefined` when the id is not
   * one of this execution's or the events after it were already dropped: then only a snapshot can catch up.
   */
  after(eventId: string): LoggedRunEvent<T>[] | undefined {
    const dot = eventId.lastIndexOf(".");
    if (dot === -1 || eventId.slice(0, dot) !== this.executionId) return undefined;
    const digits = eventId.slice(dot + 1);
    if (!/^\d{1,15}$/.test(digits)) return undefined;
    const seq = Number(digits);
    const oldestSeq = this.entries[this.first]?.seq ?? this.lastSeq + 1;
    if (seq > this.lastSeq || seq < oldestSeq - 1) return undefined;
    return this.entries
      .slice(this.first + (seq + 1 - oldestSeq))
      .map((entry) => ({ id: `${this.executionId}.${entry.seq}`, event: entry.event }));
  }
}

/** What a new subscriber is caught up with when its last event id cannot be replayed: the live state right now. */
export interface LiveSnapshot {
  /** The text the writer has streamed in the current superstep, or null when the run is not executing here. */
  liveText: string | null;
  /** The model-call attempt `liveText` belongs to (a retried call starts its text over), or null. */
  liveAttempt: number | null;
  /** The id of the newest event the snapshot reflects, or null when the run is not executing here. */
  eventId: string | null;
}

/** How a subscription catches up before live events follow (both synchronously, so nothing is missed or doubled). */
export interface CatchUp {
  /** The last event id the client saw: the events after it are replayed if still buffered. */
  afterEventId?: string;
  /** Called instead (no id, or one that cannot be replayed) with the live state to send as a snapshot. */
  onSnapshot?: (snapshot: LiveSnapshot) => void;
  /**
   * Called when this process may have missed events of a run executing elsewhere (the relay between processes
   * lost its connection): the subscriber should start over, subscribing again for a fresh snapshot.
   */
  onGap?: () => void;
}
