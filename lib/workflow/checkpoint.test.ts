import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  Executor,
  StringMessage,
  WorkflowBuilder,
  defineMessageType,
  type CheckpointRecord,
  type CheckpointStorage,
  type SaveOptions,
} from ".";
import { InMemoryCheckpointStorage } from "./testing/memory-checkpoint-storage";

const Note = defineMessageType("Note", z.object({ text: z.string() }));

function build(storage: CheckpointStorage, options: { extraEdge?: boolean; name?: string } = {}) {
  const a = new Executor("a").on(StringMessage, (text, ctx) => {
    ctx.setSharedState("seen", text);
    ctx.sendMessage(Note.of({ text: `${text}!` }));
  });
  const b = new Executor("b").on(Note, (note, ctx) => ctx.yieldOutput(note.text.length));
  const builder = new WorkflowBuilder({ name: options.name ?? "notes" })
    .setStartExecutor(a)
    .addEdge(a, b)
    .withCheckpointing(storage);
  if (options.extraEdge) builder.addEdge(b, a);
  return builder.build();
}

async function checkpointWithQueuedNote(storage: InMemoryCheckpointStorage): Promise<CheckpointRecord> {
  const result = await build(storage).run("hello");
  const headers = await storage.list({ runId: result.runId });
  return (await storage.load(headers.find((h) => h.superstep === 1)!.checkpointId))!;
}

/** Saves a tampered copy of `record` under a new id and returns the id. */
async function tampered(
  storage: InMemoryCheckpointStorage,
  record: CheckpointRecord,
  change: ((body: Record<string, unknown>) => void) | string,
): Promise<string> {
  const body = JSON.parse(record.body) as Record<string, unknown>;
  if (typeof change === "function") change(body);
  const checkpointId = `${record.checkpointId}-tampered-${Math.random()}`;
  await storage.save({ ...record, checkpointId, body: typeof change === "string" ? change : JSON.stringify(body) });
  return checkpointId;
}

describe("checkpoints", () => {
  it("saves an initial checkpoint holding the input and one per superstep, linked by parent", async () => {
    const storage = new InMemoryCheckpointStorage();
    const result = await build(storage).run("hi");
    const headers = (await storage.list({ runId: result.runId })).reverse();
    expect(headers.map((h) => [h.kind, h.superstep, h.status])).toEqual([
      ["initial", 0, "running"],
      ["superstep", 1, "running"],
      ["superstep", 2, "completed"],
    ]);
    expect(headers.map((h) => h.parentId)).toEqual([null, headers[0]!.checkpointId, headers[1]!.checkpointId]);
    const initial = await build(storage).loadCheckpoint(headers[0]!.checkpointId);
    expect(initial.messages).toEqual([{ sourceId: "$input", targetId: "a", type: "string", value: "hi" }]);
    const last = await build(storage).loadCheckpoint(headers[2]!.checkpointId);
    expect(last).toMatchObject({
      sharedState: { seen: "hi" },
      outputs: [{ sourceExecutorId: "b", data: 3 }],
      schemaVersion: 1,
    });
  });

  it("fails with CHECKPOINT_NOT_FOUND for an unknown id", async () => {
    await expect(build(new InMemoryCheckpointStorage()).resume("no-such-checkpoint")).rejects.toMatchObject({
      code: "CHECKPOINT_NOT_FOUND",
      message: expect.stringContaining("no-such-checkpoint"),
    });
  });

  it("fails with CHECKPOINT_CORRUPT naming the checkpoint and field for a damaged body", async () => {
    const storage = new InMemoryCheckpointStorage();
    const record = await checkpointWithQueuedNote(storage);
    const cases: Array<[((body: Record<string, unknown>) => void) | string, RegExp]> = [
      ["{not json", /body: not valid JSON/],
      [(body) => void (body.schemaVersion = "1"), /schemaVersion: expected a whole number/],
      [
        (body) => void ((body.messages as Array<{ type: string }>)[0]!.type = "process.exit"),
        /messages\[0\]: unknown message type "process.exit"/,
      ],
      [
        (body) => void ((body.messages as Array<{ value: unknown }>)[0]!.value = { text: 5 }),
        /messages\[0\]: value does not match type "Note"/,
      ],
      [(body) => void (body.sharedState = "oops"), /sharedState/],
    ];
    for (const [change, message] of cases) {
      const id = await tampered(storage, record, change);
      const error = await build(storage)
        .resume(id)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "CHECKPOINT_CORRUPT", details: { checkpointId: id } });
      expect((error as Error).message).toMatch(message);
    }
  });

  it("fails with CHECKPOINT_CORRUPT when a referenced blob is missing", async () => {
    const storage = new InMemoryCheckpointStorage();
    const record = await checkpointWithQueuedNote(storage);
    const id = await tampered(
      storage,
      record,
      (body) => void ((body.messages as Array<{ value: unknown }>)[0]!.value = { $b: "missing-hash" }),
    );
    await expect(build(storage).resume(id)).rejects.toMatchObject({
      code: "CHECKPOINT_CORRUPT",
      message: expect.stringContaining("missing blob missing-hash"),
    });
  });

  it("fails with CHECKPOINT_INCOMPATIBLE when the graph changed or the workflow differs", async () => {
    const storage = new InMemoryCheckpointStorage();
    const record = await checkpointWithQueuedNote(storage);
    await expect(build(storage, { extraEdge: true }).resume(record.checkpointId)).rejects.toMatchObject({
      code: "CHECKPOINT_INCOMPATIBLE",
    });
    await expect(build(storage, { name: "other" }).resume(record.checkpointId)).rejects.toMatchObject({
      code: "CHECKPOINT_INCOMPATIBLE",
    });
  });

  it("fails the run with CHECKPOINT_WRITE_FAILED when a save fails, and the previous checkpoint stays resumable", async () => {
    class FailingStorage extends InMemoryCheckpointStorage {
      failAt = 2;
      saves = 0;
      override async save(record: CheckpointRecord, options?: SaveOptions): Promise<void> {
        if (++this.saves === this.failAt) throw new Error("disk full");
        return super.save(record, options);
      }
    }
    const storage = new FailingStorage();
    const result = await build(storage).run("hi");
    expect(result.status).toBe("FAILED");
    expect(result.error).toMatchObject({
      code: "CHECKPOINT_WRITE_FAILED",
      message: expect.stringContaining("disk full"),
    });
    const [only] = await storage.list({ runId: result.runId });
    expect(only?.kind).toBe("initial");
    storage.failAt = -1;
    expect((await build(storage).resume(only!.checkpointId)).outputs).toEqual([3]);
  });

  it("stores a value that did not change once, however many checkpoints hold it", async () => {
    const storage = new InMemoryCheckpointStorage();
    const blobs: string[] = [];
    const original = storage.save.bind(storage);
    storage.save = async (record, options) => {
      blobs.push(...(options?.blobs ?? []).map((b) => b.data));
      return original(record, options);
    };
    const big = "x".repeat(5000);
    const keep = new Executor("keep").on(StringMessage, (t, ctx) => {
      ctx.setSharedState("big", big);
      const n = Number(t);
      if (n < 10) ctx.sendMessage(String(n + 1));
    });
    await new WorkflowBuilder({ name: "dedupe", maxIterations: 20 })
      .setStartExecutor(keep)
      .addEdge(keep, keep)
      .withCheckpointing(storage)
      .build()
      .run("0");
    expect(blobs.filter((data) => data.includes(big))).toHaveLength(1);
    expect((await storage.list()).length).toBe(12);
  });
});
