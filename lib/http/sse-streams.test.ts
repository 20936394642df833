import { describe, expect, it } from "vitest";
import { isServiceError } from "@/lib/services";
import { toErrorResponse } from "./errors";
import { StreamSlots } from "./sse-streams";

function slots(limits: Partial<ConstructorParameters<typeof StreamSlots>[0]> = {}, clock = { now: 1_000_000 }) {
  return new StreamSlots({ perUser: 2, perRun: 3, maxLifetimeMs: 600_000, ...limits }, () => clock.now);
}

function refusalOf(acquire: () => unknown) {
  try {
    acquire();
  } catch (error) {
    if (isServiceError(error)) return error;
    throw error;
  }
  throw new Error("expected the slot to be refused");
}

describe("StreamSlots", () => {
  it("refuses a person's n+1-th stream with 429 RATE_LIMITED and a message that says what to do", () => {
    const counter = slots({ perUser: 2 });
    counter.acquire("pat", "run-1");
    counter.acquire("pat", "run-2");
    const refusal = refusalOf(() => counter.acquire("pat", "run-3"));
    expect(refusal.code).toBe("RATE_LIMITED");
    expect(refusal.message).toBe(
      "Too many live connections: at most 2 per person. Close another tab of Draftgate, or wait for one to end.",
    );
    expect(toErrorResponse(refusal).status).toBe(429);
    expect(refusal.details).toMatchObject({ limit: 2, action: "live-events", per: "person" });
    expect(counter.count({ userId: "pat" })).toBe(2);
  });

  it("counts people separately", () => {
    const counter = slots({ perUser: 1 });
    counter.acquire("pat", "run-1");
    expect(() => counter.acquire("rita", "run-1")).not.toThrow();
    expect(counter.count()).toBe(2);
  });

  it("refuses a run's m+1-th stream, whoever opens it", () => {
    const counter = slots({ perUser: 10, perRun: 2 });
    counter.acquire("pat", "run-1");
    counter.acquire("rita", "run-1");
    const refusal = refusalOf(() => counter.acquire("ada", "run-1"));
    expect(refusal.code).toBe("RATE_LIMITED");
    expect(refusal.message).toContain("at most 2 per run");
    expect(refusal.details).toMatchObject({ limit: 2, action: "live-events", per: "run" });
    expect(() => counter.acquire("ada", "run-2")).not.toThrow();
  });

  it("lets a released slot be taken again", () => {
    const counter = slots({ perUser: 1 });
    const release = counter.acquire("pat", "run-1");
    expect(() => counter.acquire("pat", "run-1")).toThrow();
    release();
    expect(counter.count({ userId: "pat" })).toBe(0);
    expect(() => counter.acquire("pat", "run-1")).not.toThrow();
  });

  it("releases exactly once: a second call does not free someone else's slot", () => {
    const counter = slots({ perUser: 2 });
    const first = counter.acquire("pat", "run-1");
    counter.acquire("pat", "run-1");
    first();
    first();
    expect(counter.count({ userId: "pat" })).toBe(1);
    expect(counter.count({ runId: "run-1" })).toBe(1);
    counter.acquire("pat", "run-1");
    expect(() => counter.acquire("pat", "run-1")).toThrow();
  });

  it("tells the refused client when the oldest stream ends at the latest (Retry-After)", () => {
    const clock = { now: 1_000_000 };
    const counter = slots({ perUser: 2, maxLifetimeMs: 600_000 }, clock);
    counter.acquire("pat", "run-1");
    clock.now += 100_000;
    counter.acquire("pat", "run-2");
    clock.now += 50_500;
    expect(refusalOf(() => counter.acquire("pat", "run-3")).details).toMatchObject({ retryAfterSeconds: 450 });
    clock.now += 10_000_000; // long past the lifetime (a stream that ends late): never less than a second
    expect(refusalOf(() => counter.acquire("pat", "run-3")).details).toMatchObject({ retryAfterSeconds: 1 });
  });
});
