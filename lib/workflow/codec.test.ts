import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  CHECKPOINT_SCHEMA_VERSION,
  Executor,
  StringMessage,
  WorkflowBuilder,
  blobHash,
  decodeCheckpoint,
  defineMessageType,
  upgradeCheckpointBody,
  type JsonValue,
} from ".";
import { MessageTypeRegistry } from "./messages";
import { InMemoryCheckpointStorage } from "./testing/memory-checkpoint-storage";

/** A workflow whose one executor stores `value` as its state and under a shared-state key, then stops. */
function storing(value: JsonValue, key = "value", storage = new InMemoryCheckpointStorage()) {
  const keeper = new Executor("keeper").on(StringMessage, (_input, ctx) => {
    ctx.setState(value);
    ctx.setSharedState(key, value);
    ctx.yieldOutput(value);
  });
  const workflow = new WorkflowBuilder({ name: "keep" }).setStartExecutor(keeper).withCheckpointing(storage).build();
  return { storage, workflow };
}

/** Saves `value` through a run and loads the last checkpoint back with a new instance. */
async function roundTrip(value: JsonValue, key = "value") {
  const { storage, workflow } = storing(value, key);
  const result = await workflow.run("go");
  return storing(value, key, storage).workflow.loadCheckpoint(result.lastCheckpointId!);
}

/** JSON text with object keys in insertion order: equal text means equal values with the same own keys. */
const canonical = (value: unknown) => JSON.stringify(value);

/** JSON values with keys that look like the codec's markers, `__proto__`, and values long enough to become blobs and chunks. */
const jsonWithAwkwardKeys: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    fc.string(),
    fc.string({ minLength: 200, maxLength: 260 }),
    fc.array(tie("value"), { maxLength: 40 }),
    fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom("$b", "$c", "$o", "$", "__proto__", "constructor", "toString"),
            fc.string({ maxLength: 6 }),
          ),
          tie("value"),
        ),
        {
          maxLength: 6,
        },
      )
      .map((entries) => Object.fromEntries(entries) as JsonValue),
  ),
})).value;

describe("checkpoint codec", () => {
  it("round-trips any JSON value exactly, including marker-like keys and __proto__", async () => {
    await fc.assert(
      fc.asyncProperty(jsonWithAwkwardKeys, async (value) => {
        const loaded = await roundTrip(value);
        expect(canonical(loaded.executorStates.keeper)).toBe(canonical(value));
        expect(canonical(loaded.sharedState.value)).toBe(canonical(value));
        expect(canonical(loaded.outputs[0]?.data)).toBe(canonical(value));
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    ["a blob marker", { $b: "hello" }],
    ["a chunk marker", { $c: ["x"] }],
    ["an escape marker", { $o: { $b: "x" } }],
    ["an own __proto__ key", JSON.parse('{"__proto__": {"admin": true}, "name": "n"}') as JsonValue],
  ])("keeps executor state that holds %s", async (_label, value) => {
    const loaded = await roundTrip(value);
    expect(canonical(loaded.executorStates.keeper)).toBe(canonical(value));
    expect(Object.getPrototypeOf(loaded.executorStates.keeper)).toBe(Object.prototype);
  });

  it("keeps a shared-state key named __proto__ as a key", async () => {
    const loaded = await roundTrip("kept", "__proto__");
    expect(Object.hasOwn(loaded.sharedState, "__proto__")).toBe(true);
    expect(canonical(loaded.sharedState)).toBe('{"__proto__":"kept"}');
  });

  it("reports a blob whose content no longer matches its hash as CHECKPOINT_CORRUPT naming the checkpoint", async () => {
    const long = "A long draft that becomes a blob. ".repeat(20);
    const { storage, workflow } = storing(long);
    const result = await workflow.run("go");
    const hash = blobHash(JSON.stringify(long));
    expect((await storage.loadBlobs([hash])).get(hash)).toBe(JSON.stringify(long));
    // tamper with the stored blob (the in-memory store keeps it in a private map)
    (storage as unknown as { blobs: Map<string, string> }).blobs.set(
      hash,
      JSON.stringify(long.replace("long", "LONG")),
    );
    const error = await storing(long, "value", storage)
      .workflow.loadCheckpoint(result.lastCheckpointId!)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "CHECKPOINT_CORRUPT", details: { checkpointId: result.lastCheckpointId } });
    expect((error as Error).message).toMatch(new RegExp(`blob ${hash} does not match its hash`));
  });
});

describe("checkpoint body versions", () => {
  const Note = defineMessageType("Note", z.object({ text: z.string() }));
  const registry = new MessageTypeRegistry([Note]);

  /** A body exactly as release 1 wrote it (version 1): one queued Note, no state. */
  const releaseOneBody = JSON.stringify({
    schemaVersion: 1,
    graphSignature: "0123456789abcdef0123456789abcdef",
    messages: [{ sourceId: "a", targetId: "b", type: "Note", value: { text: "hi!" } }],
    sharedState: { seen: "hi" },
    executorStates: {},
    fanInBuffers: {},
    pendingRequests: [],
    answeredRequests: [],
    outputs: [],
  });

  function record(body: string) {
    return {
      checkpointId: "cp-old",
      runId: "run-old",
      parentId: null,
      workflowName: "notes",
      superstep: 1,
      createdAt: "2026-11-01T00:00:00.000Z",
      kind: "superstep" as const,
      status: "running" as const,
      summary: {
        checkpointId: "cp-old",
        parentId: null,
        runId: "run-old",
        superstep: 1,
        createdAt: "2026-11-01T00:00:00.000Z",
        kind: "superstep" as const,
        targets: ["b"],
        executorsWithState: [],
        pendingRequests: [],
        status: "awaiting next superstep" as const,
        preview: null,
        details: null,
      },
      body,
    };
  }

  it("decodes a hand-made version 1 body, the format release 1 wrote", async () => {
    expect(CHECKPOINT_SCHEMA_VERSION).toBe(1);
    const checkpoint = await decodeCheckpoint(record(releaseOneBody), new InMemoryCheckpointStorage(), registry);
    expect(checkpoint).toMatchObject({
      checkpointId: "cp-old",
      schemaVersion: 1,
      messages: [{ type: "Note", value: { text: "hi!" } }],
      sharedState: { seen: "hi" },
    });
  });

  it("upgrades an older body one version at a time, in order", () => {
    const upgrades = {
      1: (body: Record<string, unknown>) => ({
        ...body,
        sharedState: { ...(body.sharedState as object), upgradedFrom1: true },
      }),
      2: (body: Record<string, unknown>) => ({ ...body, steps: [...((body.steps as string[]) ?? []), "2->3"] }),
    };
    const upgraded = upgradeCheckpointBody(JSON.parse(releaseOneBody) as Record<string, unknown>, {
      checkpointId: "cp-old",
      target: 3,
      upgrades,
    });
    expect(upgraded).toMatchObject({
      schemaVersion: 3,
      sharedState: { seen: "hi", upgradedFrom1: true },
      steps: ["2->3"],
    });
  });

  it("refuses a body without an upgrade path, or from a newer release, as CHECKPOINT_INCOMPATIBLE", async () => {
    expect(() =>
      upgradeCheckpointBody(
        { schemaVersion: 1 },
        { checkpointId: "cp-old", target: 3, upgrades: { 2: (body) => body } },
      ),
    ).toThrow(
      expect.objectContaining({
        code: "CHECKPOINT_INCOMPATIBLE",
        message: expect.stringMatching(/no upgrade from version 1/),
      }),
    );
    const newer = releaseOneBody.replace('"schemaVersion":1', `"schemaVersion":${CHECKPOINT_SCHEMA_VERSION + 1}`);
    await expect(decodeCheckpoint(record(newer), new InMemoryCheckpointStorage(), registry)).rejects.toMatchObject({
      code: "CHECKPOINT_INCOMPATIBLE",
      message: expect.stringMatching(/newer release/),
    });
  });

  it("reports a checkpoint of another graph as CHECKPOINT_INCOMPATIBLE before checking its messages against today's types", async () => {
    // the stored message type no longer exists in today's workflow: decoding it first would call it corrupt
    const renamed = releaseOneBody.replace('"type":"Note"', '"type":"OldNote"');
    await expect(
      decodeCheckpoint(record(renamed), new InMemoryCheckpointStorage(), registry, {
        expected: { workflowName: "notes", graphSignature: "fedcba9876543210fedcba9876543210" },
      }),
    ).rejects.toMatchObject({ code: "CHECKPOINT_INCOMPATIBLE", details: { checkpointId: "cp-old" } });
    await expect(decodeCheckpoint(record(renamed), new InMemoryCheckpointStorage(), registry)).rejects.toMatchObject({
      code: "CHECKPOINT_CORRUPT",
    });
  });
});
