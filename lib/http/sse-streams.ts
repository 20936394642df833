import { ServiceError } from "@/lib/services";

/**
 * Caps on the live event streams this process holds open: per person and per run. A stream takes a slot
 * before it opens (the request over the cap is refused with 429 and never opens) and gives it back exactly
 * once, when it ends for whatever reason. Streams also end at their maximum lifetime, so a slot held by a
 * client that vanished without closing its connection is freed by then at the latest.
 */

export interface StreamSlotLimits {
  perUser: number;
  perRun: number;
  /** When a stream ends at the latest: tells a refused client how long to wait (`Retry-After`). */
  maxLifetimeMs: number;
}

interface Slot {
  userId: string;
  runId: string;
  openedAt: number;
}

export class StreamSlots {
  private readonly byUser = new Map<string, Set<Slot>>();
  private readonly byRun = new Map<string, Set<Slot>>();

  constructor(
    private readonly limits: StreamSlotLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes a slot for a stream of `runId` opened by `userId`; returns the function that gives it back (calling it
   * again does nothing).
   * @throws ServiceError RATE_LIMITED (429) when the person or the run already has as many streams as allowed.
   */
  acquire(userId: string, runId: string): () => void {
    const ofUser = this.byUser.get(userId);
    if (ofUser && ofUser.size >= this.limits.perUser) {
      throw this.refusal(
        `Too many live connections: at most ${this.limits.perUser} per person. Close another tab of Draftgate, or wait for one to end.`,
        ofUser,
        "person",
      );
    }
    const ofRun = this.byRun.get(runId);
    if (ofRun && ofRun.size >= this.limits.perRun) {
      throw this.refusal(
        `Too many live connections to run ${runId}: at most ${this.limits.perRun} per run. Wait for one to end; the run page keeps updating without one.`,
        ofRun,
        "run",
      );
    }
    const slot: Slot = { userId, runId, openedAt: this.now() };
    addTo(this.byUser, userId, slot);
    addTo(this.byRun, runId, slot);
    let isHeld = true;
    return () => {
      if (!isHeld) return;
      isHeld = false;
      removeFrom(this.byUser, userId, slot);
      removeFrom(this.byRun, runId, slot);
    };
  }

  /** Streams open now, in all or for one person or run. */
  count(filter: { userId?: string; runId?: string } = {}): number {
    if (filter.userId !== undefined)
      return [...(this.byUser.get(filter.userId) ?? [])].filter(
        (slot) => filter.runId === undefined || slot.runId === filter.runId,
      ).length;
    if (filter.runId !== undefined) return this.byRun.get(filter.runId)?.size ?? 0;
    let total = 0;
    for (const slots of this.byUser.values()) total += slots.size;
    return total;
  }

  /** Says to retry when the oldest of the full set of streams reaches its maximum lifetime (and frees its slot) at the latest. */
  private refusal(message: string, full: Set<Slot>, per: "person" | "run"): ServiceError {
    const oldest = Math.min(...[...full].map((slot) => slot.openedAt));
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + this.limits.maxLifetimeMs - this.now()) / 1000));
    const limit = per === "person" ? this.limits.perUser : this.limits.perRun;
    return new ServiceError("RATE_LIMITED", message, {
      details: { retryAfterSeconds, limit, action: "live-events", per },
    });
  }
}

function addTo(map: Map<string, Set<Slot>>, key: string, slot: Slot): void {
  const set = map.get(key) ?? new Set();
  set.add(slot);
  map.set(key, set);
}

function removeFrom(map: Map<string, Set<Slot>>, key: string, slot: Slot): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(slot);
  if (set.size === 0) map.delete(key);
}

const globalForSlots = globalThis as unknown as { draftgateStreamSlots?: StreamSlots };

/** This process's slots (one per server process, like the service; survives Next's dev reloads). Limits apply on first use. */
export function processStreamSlots(limits: StreamSlotLimits): StreamSlots {
  globalForSlots.draftgateStreamSlots ??= new StreamSlots(limits);
  return globalForSlots.draftgateStreamSlots;
}
