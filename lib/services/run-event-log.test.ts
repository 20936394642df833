import { describe, expect, it } from "vitest";
import { RunEventLog } from "./run-event-log";

function logOf(count: number, options: ConstructorParameters<typeof RunEventLog<string>>[0] = {}) {
  const log = new RunEventLog<string>({ executionId: "exec", ...options });
  const ids = Array.from({ length: count }, (_, index) => log.append(`event ${index + 1}`));
  return { log, ids };
}

describe("RunEventLog", () => {
  it("numbers events per execution, starting after the id a snapshot gets before the first", () => {
    const log = new RunEventLog<string>({ executionId: "exec" });
    expect(log.lastId).toBe("exec.0");
    expect(log.append("a")).toBe("exec.1");
    expect(log.append("b")).toBe("exec.2");
    expect(log.lastId).toBe("exec.2");
  });

  it("gives every execution its own random prefix", () => {
    expect(new RunEventLog().executionId).not.toBe(new RunEventLog().executionId);
  });

  it("replays exactly the events after an id, in order", () => {
    const { log, ids } = logOf(5);
    expect(log.after(ids[1]!)).toEqual([
      { id: "exec.3", event: "event 3" },
      { id: "exec.4", event: "event 4" },
      { id: "exec.5", event: "event 5" },
    ]);
    expect(log.after("exec.0")).toHaveLength(5);
  });

  it("replays nothing after the newest id (the client is up to date)", () => {
    const { log, ids } = logOf(3);
    expect(log.after(ids[2]!)).toEqual([]);
    expect(new RunEventLog<string>({ executionId: "exec" }).after("exec.0")).toEqual([]);
  });

  it("does not know ids of another execution, from the future, or malformed ones", () => {
    const { log } = logOf(3);
    for (const id of [
      "other.1",
      "exec.4",
      "exec",
      "exec.",
      "exec.-1",
      "exec.1.5",
      "exec.1e2",
      "0",
      "",
      "exec.99999999999999999999",
    ]) {
      expect(log.after(id), id).toBeUndefined();
    }
  });

  it("keeps at most maxEvents, and an id whose successor was dropped is too old", () => {
    const { log, ids } = logOf(10, { maxEvents: 4 });
    expect(log.size).toBe(4);
    expect(log.after(ids[4]!)).toBeUndefined(); // exec.5: exec.6 was dropped
    expect(log.after(ids[5]!)?.map((entry) => entry.id)).toEqual(["exec.7", "exec.8", "exec.9", "exec.10"]);
  });

  it("keeps at most maxBytes, dropping the oldest first", () => {
    const { log, ids } = logOf(10, { maxBytes: 30, sizeOf: () => 10 });
    expect(log.size).toBe(3);
    expect(log.after(ids[6]!)?.map((entry) => entry.event)).toEqual(["event 8", "event 9", "event 10"]);
    expect(log.after(ids[5]!)).toBeUndefined();
  });

  it("drops an event larger than maxBytes on its own, so a client that missed it gets a snapshot", () => {
    const log = new RunEventLog<string>({ executionId: "exec", maxBytes: 100 });
    const small = log.append("ok");
    log.append("x".repeat(500));
    expect(log.size).toBe(0);
    expect(log.after(small)).toBeUndefined();
    expect(log.after(log.lastId)).toEqual([]);
  });

  it("stays bounded and correct over many more events than it keeps", () => {
    const { log, ids } = logOf(50_000, { maxEvents: 2_000 });
    expect(log.size).toBe(2_000);
    expect(log.after(ids[47_999]!)).toHaveLength(2_000);
    expect(log.after(ids[47_998]!)).toBeUndefined();
    expect(log.after(ids[49_997]!)).toEqual([
      { id: "exec.49999", event: "event 49999" },
      { id: "exec.50000", event: "event 50000" },
    ]);
  });

  it("mirrors another process's log under its ids, forgetting what came before a hole", () => {
    const mirror = new RunEventLog<string>({ executionId: "worker" });
    // joined late: the first event heard is the worker's 57th
    expect(mirror.appendAt(57, "e57")).toBe("worker.57");
    expect(mirror.appendAt(58, "e58")).toBe("worker.58");
    expect(mirror.after("worker.56")).toEqual([
      { id: "worker.57", event: "e57" },
      { id: "worker.58", event: "e58" },
    ]);
    expect(mirror.after("worker.55")).toBeUndefined(); // 56 was never heard
    // a missed message: 59 and 60 never came
    mirror.appendAt(61, "e61");
    expect(mirror.after("worker.58")).toBeUndefined();
    expect(mirror.after("worker.60")).toEqual([{ id: "worker.61", event: "e61" }]);
    expect(() => mirror.appendAt(61, "again")).toThrow();
  });
});
