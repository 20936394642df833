/**
 * The one behaviour contract for every {@link CheckpointStorage}: each store's test file calls
 * `describeCheckpointStorageContract` with a factory, instead of copying these tests per store.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CheckpointRecord, CheckpointStorage, CheckpointSummary, ResponseRecord } from "../checkpoint";
import { isWorkflowError, type WorkflowError } from "../errors";

export interface StorageUnderTest {
  storage: CheckpointStorage;
  cleanup?: () => Promise<void>;
}

const BASE_TIME = Date.parse("2026-01-01T00:00:00.000Z");

/** An ISO time `seconds` after a fixed base, so tests control `createdAt` ordering. */
export function isoAt(seconds: number): string {
  return new Date(BASE_TIME + seconds * 1000).toISOString();
}

let recordCounter = 0;

/** A valid record with unique ids; the summary follows the record's fields unless overridden. */
export function makeRecord(overrides: Partial<CheckpointRecord> = {}): CheckpointRecord {
  recordCounter += 1;
  const base = {
    checkpointId: `cp-${recordCounter}`,
    runId: "run-1",
    parentId: null,
    workflowName: "release-notes",
    superstep: 0,
    createdAt: isoAt(recordCounter),
    kind: "initial" as const,
    status: "running" as const,
    body: JSON.stringify({ schemaVersion: 1, n: recordCounter }),
    ...overrides,
  };
  const summary: CheckpointSummary = {
    checkpointId: base.checkpointId,
    parentId: base.parentId,
    runId: base.runId,
    superstep: base.superstep,
    createdAt: base.createdAt,
    kind: base.kind,
    targets: ["writer"],
    executorsWithState: [],
    pendingRequests: [],
    status: "awaiting next superstep",
    preview: null,
    details: null,
  };
  return { ...base, summary: overrides.summary ?? summary };
}

/** An answer to `requestId` applied to `baseCheckpointId` and carried by `checkpointId`. */
export function makeResponse(
  overrides: Partial<ResponseRecord> & Pick<ResponseRecord, "checkpointId">,
): ResponseRecord {
  return {
    requestId: "req-1",
    runId: "run-1",
    baseCheckpointId: "cp-base",
    response: { approved: true, feedback: "ship it" },
    answeredBy: "ada",
    answeredAt: isoAt(100),
    ...overrides,
  };
}

async function captureError(promise: Promise<unknown>): Promise<WorkflowError> {
  try {
    await promise;
  } catch (error) {
    if (isWorkflowError(error)) return error;
    throw new Error(`expected a WorkflowError, got ${String(error)}`, { cause: error });
  }
  throw new Error("expected the promise to reject");
}

export function describeCheckpointStorageContract(name: string, makeStorage: () => Promise<StorageUnderTest>): void {
  describe(`${name} (CheckpointStorage contract)`, () => {
    let storage: CheckpointStorage;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ storage, cleanup } = await makeStorage());
    });

    afterEach(async () => {
      await cleanup?.();
    });

    /** Saves a base checkpoint holding a pending request, as a `responses` checkpoint would need. */
    async function saveBase(checkpointId: string): Promise<CheckpointRecord> {
      const base = makeRecord({ checkpointId, status: "awaiting_input", kind: "superstep", superstep: 1 });
      await storage.save(base);
      return base;
    }

    describe("save and load", () => {
      it("loads a saved record with every field, the summary and the body text unchanged", async () => {
        const body = '{ "schemaVersion": 1,  "text": "h\\u00e9llo\\n",\n  "emoji": "😀 é \u2028", "n": 1.50 }';
        const record = makeRecord({
          runId: "run-round-trip",
          parentId: "cp-parent",
          workflowName: "release-notes",
          superstep: 7,
          kind: "responses",
          status: "awaiting_input",
          body,
        });
        record.summary = {
          ...record.summary,
          targets: ["reviewer", "writer"],
          executorsWithState: ["writer"],
          pendingRequests: [
            {
              requestId: "req-9",
              sourceExecutorId: "writer",
              type: "HumanApprovalRequest",
              payload: {
                prompt: "Approve?",
                draft: "# Notes\n- fixed <b>bug</b>",
                iteration: 2,
                tags: [null, true, 1.5],
              },
            },
          ],
          status: "awaiting human response",
          preview: "# Notes — fixed a bug",
        };

        await storage.save(record);

        const loaded = await storage.load(record.checkpointId);
        expect(loaded).toEqual(record);
        expect(loaded?.body).toBe(body);
      });

      it("returns undefined when loading a checkpoint that was never saved", async () => {
        expect(await storage.load("cp-unknown")).toBeUndefined();
      });

      it("keeps the stored record unchanged when callers mutate the saved or loaded object", async () => {
        const record = makeRecord();
        const expected = structuredClone(record);
        await storage.save(record);
        record.summary.targets.push("mutated after save");
        record.runId = "mutated";

        const loaded = await storage.load(record.checkpointId);
        expect(loaded).toEqual(expected);
        loaded?.summary.targets.push("mutated after load");

        expect(await storage.load(record.checkpointId)).toEqual(expected);
      });

      it("rejects saving a checkpoint id that already exists and keeps the original", async () => {
        const original = makeRecord({ checkpointId: "cp-dup", body: '{"original":true}' });
        await storage.save(original);
        const duplicate = makeRecord({ checkpointId: "cp-dup", body: '{"original":false}', runId: "run-other" });

        const error = await captureError(
          storage.save(duplicate, {
            blobs: [{ hash: "blob-from-duplicate", data: "x" }],
            responses: [makeResponse({ requestId: "req-dup", checkpointId: "cp-dup" })],
          }),
        );

        expect(error.code).toBe("CHECKPOINT_WRITE_FAILED");
        expect(error.message).toContain("cp-dup");
        expect(await storage.load("cp-dup")).toEqual(original);
        expect((await storage.loadBlobs(["blob-from-duplicate"])).size).toBe(0);
        expect(await storage.findResponses("req-dup")).toEqual([]);
      });
    });

    describe("list", () => {
      it("returns an empty list when nothing is stored", async () => {
        expect(await storage.list()).toEqual([]);
      });

      it("lists headers newest first by createdAt, whatever the save order", async () => {
        await storage.save(makeRecord({ checkpointId: "cp-b", createdAt: isoAt(2000) }));
        await storage.save(makeRecord({ checkpointId: "cp-c", createdAt: isoAt(3000) }));
        await storage.save(makeRecord({ checkpointId: "cp-a", createdAt: isoAt(1000) }));

        const ids = (await storage.list()).map((h) => h.checkpointId);
        expect(ids).toEqual(["cp-c", "cp-b", "cp-a"]);
      });

      it("orders checkpoints with the same createdAt by save order, last saved first", async () => {
        const sameTime = isoAt(5000);
        await storage.save(makeRecord({ checkpointId: "cp-z-first", createdAt: sameTime }));
        await storage.save(makeRecord({ checkpointId: "cp-a-second", createdAt: sameTime }));
        await storage.save(makeRecord({ checkpointId: "cp-m-third", createdAt: sameTime }));
        await storage.save(makeRecord({ checkpointId: "cp-older", createdAt: isoAt(4000) }));

        const ids = (await storage.list()).map((h) => h.checkpointId);
        expect(ids).toEqual(["cp-m-third", "cp-a-second", "cp-z-first", "cp-older"]);
      });

      it("lists headers with every field but the body", async () => {
        const record = makeRecord({ parentId: "cp-p", superstep: 3, kind: "superstep", status: "completed" });
        await storage.save(record);

        const [header] = await storage.list();
        const { checkpointId, runId, parentId, workflowName, superstep, createdAt, kind, status, summary } = record;
        expect(header).toEqual({
          checkpointId,
          runId,
          parentId,
          workflowName,
          superstep,
          createdAt,
          kind,
          status,
          summary,
        });
        expect(header).not.toHaveProperty("body");
      });

      it("filters the list by runId", async () => {
        await storage.save(makeRecord({ checkpointId: "cp-r1-a", runId: "run-a", createdAt: isoAt(1) }));
        await storage.save(makeRecord({ checkpointId: "cp-r2", runId: "run-b", createdAt: isoAt(2) }));
        await storage.save(makeRecord({ checkpointId: "cp-r1-b", runId: "run-a", createdAt: isoAt(3) }));

        const ids = (await storage.list({ runId: "run-a" })).map((h) => h.checkpointId);
        expect(ids).toEqual(["cp-r1-b", "cp-r1-a"]);
        expect(await storage.list({ runId: "run-none" })).toEqual([]);
      });

      it("filters the list by workflowName, alone and together with runId", async () => {
        await storage.save(
          makeRecord({ checkpointId: "cp-w1", workflowName: "wf-one", runId: "run-a", createdAt: isoAt(1) }),
        );
        await storage.save(
          makeRecord({ checkpointId: "cp-w2", workflowName: "wf-two", runId: "run-b", createdAt: isoAt(2) }),
        );
        await storage.save(
          makeRecord({ checkpointId: "cp-w3", workflowName: "wf-one", runId: "run-c", createdAt: isoAt(3) }),
        );

        const byWorkflow = (await storage.list({ workflowName: "wf-one" })).map((h) => h.checkpointId);
        expect(byWorkflow).toEqual(["cp-w3", "cp-w1"]);
        const both = (await storage.list({ workflowName: "wf-one", runId: "run-a" })).map((h) => h.checkpointId);
        expect(both).toEqual(["cp-w1"]);
      });

      it("returns at most limit headers, the newest ones", async () => {
        for (let i = 1; i <= 5; i++) {
          await storage.save(makeRecord({ checkpointId: `cp-l${i}`, createdAt: isoAt(i) }));
        }

        const ids = (await storage.list({ limit: 2 })).map((h) => h.checkpointId);
        expect(ids).toEqual(["cp-l5", "cp-l4"]);
        expect(await storage.list({ limit: 0 })).toEqual([]);
      });

      it("lists only checkpoints created strictly before the given time", async () => {
        for (let i = 1; i <= 4; i++) {
          await storage.save(makeRecord({ checkpointId: `cp-t${i}`, createdAt: isoAt(i * 10) }));
        }

        const ids = (await storage.list({ before: isoAt(30) })).map((h) => h.checkpointId);
        expect(ids).toEqual(["cp-t2", "cp-t1"]);
        const paged = (await storage.list({ before: isoAt(40), limit: 1 })).map((h) => h.checkpointId);
        expect(paged).toEqual(["cp-t3"]);
      });
    });

    describe("latest", () => {
      it("returns the newest checkpoint of a run, with its body", async () => {
        await storage.save(makeRecord({ checkpointId: "cp-old", runId: "run-x", createdAt: isoAt(1) }));
        const newest = makeRecord({ checkpointId: "cp-new", runId: "run-x", createdAt: isoAt(3) });
        await storage.save(newest);
        await storage.save(makeRecord({ checkpointId: "cp-other-run", runId: "run-y", createdAt: isoAt(9) }));
        await storage.save(makeRecord({ checkpointId: "cp-mid", runId: "run-x", createdAt: isoAt(2) }));

        expect(await storage.latest("run-x")).toEqual(newest);
      });

      it("breaks a createdAt tie by taking the last saved checkpoint as latest", async () => {
        await storage.save(makeRecord({ checkpointId: "cp-tie-2", runId: "run-tie", createdAt: isoAt(7) }));
        await storage.save(makeRecord({ checkpointId: "cp-tie-1", runId: "run-tie", createdAt: isoAt(7) }));

        expect((await storage.latest("run-tie"))?.checkpointId).toBe("cp-tie-1");
      });

      it("returns undefined as latest for a run with no checkpoints", async () => {
        await storage.save(makeRecord({ runId: "run-known" }));
        expect(await storage.latest("run-unknown")).toBeUndefined();
      });
    });

    describe("delete", () => {
      it("deletes a checkpoint and reports that it existed", async () => {
        const kept = makeRecord();
        const doomed = makeRecord();
        await storage.save(kept);
        await storage.save(doomed);

        expect(await storage.delete(doomed.checkpointId)).toBe(true);
        expect(await storage.load(doomed.checkpointId)).toBeUndefined();
        expect((await storage.list()).map((h) => h.checkpointId)).toEqual([kept.checkpointId]);
        expect(await storage.load(kept.checkpointId)).toEqual(kept);
      });

      it("reports false when deleting a checkpoint that does not exist", async () => {
        expect(await storage.delete("cp-never-saved")).toBe(false);
      });

      it("keeps blobs when a checkpoint that referred to them is deleted", async () => {
        const record = makeRecord();
        await storage.save(record, { blobs: [{ hash: "h-shared", data: '"shared"' }] });

        await storage.delete(record.checkpointId);

        expect(await storage.loadBlobs(["h-shared"])).toEqual(new Map([["h-shared", '"shared"']]));
      });

      it("drops the answers a deleted checkpoint carried, so the request can be answered again", async () => {
        await saveBase("cp-base");
        const answer = makeRecord({ kind: "responses" });
        await storage.save(answer, {
          responses: [makeResponse({ checkpointId: answer.checkpointId })],
          exclusive: true,
        });

        await storage.delete(answer.checkpointId);

        expect(await storage.findResponses("req-1")).toEqual([]);
        const retry = makeRecord({ kind: "responses" });
        await storage.save(retry, { responses: [makeResponse({ checkpointId: retry.checkpointId })], exclusive: true });
        expect((await storage.findResponses("req-1")).map((r) => r.checkpointId)).toEqual([retry.checkpointId]);
      });
    });

    describe("blobs", () => {
      it("loads saved blobs and omits hashes that are missing", async () => {
        await storage.save(makeRecord(), {
          blobs: [
            { hash: "h-1", data: '{"conversation":["a","b"]}' },
            { hash: "h-2", data: '"brief text\\n"' },
          ],
        });

        const found = await storage.loadBlobs(["h-2", "h-missing", "h-1"]);
        expect(found).toEqual(
          new Map([
            ["h-2", '"brief text\\n"'],
            ["h-1", '{"conversation":["a","b"]}'],
          ]),
        );
        expect(found.has("h-missing")).toBe(false);
        expect(await storage.loadBlobs([])).toEqual(new Map());
      });

      it("keeps one copy when the same blob hash is saved twice, without failing", async () => {
        await storage.save(makeRecord(), { blobs: [{ hash: "h-same", data: '"value"' }] });
        await storage.save(makeRecord(), {
          blobs: [
            { hash: "h-same", data: '"value"' },
            { hash: "h-new", data: "1" },
          ],
        });

        expect(await storage.loadBlobs(["h-same", "h-new"])).toEqual(
          new Map([
            ["h-same", '"value"'],
            ["h-new", "1"],
          ]),
        );
      });
    });

    describe("responses", () => {
      it("returns the responses saved with checkpoints, oldest first", async () => {
        await saveBase("cp-base");
        const first = makeRecord({ kind: "responses" });
        const firstAnswer = makeResponse({
          checkpointId: first.checkpointId,
          answeredAt: isoAt(100),
          answeredBy: "ada",
        });
        const otherRequest = makeResponse({
          checkpointId: first.checkpointId,
          requestId: "req-other",
          response: ["x", 1, null],
          answeredBy: null,
        });
        await storage.save(first, { responses: [firstAnswer, otherRequest] });
        const second = makeRecord({ kind: "responses" });
        const secondAnswer = makeResponse({
          checkpointId: second.checkpointId,
          baseCheckpointId: "cp-other-base",
          answeredAt: isoAt(200),
          answeredBy: "grace",
          response: { approved: false, feedback: "more detail" },
        });
        await storage.save(second, { responses: [secondAnswer] });

        expect(await storage.findResponses("req-1")).toEqual([firstAnswer, secondAnswer]);
        expect(await storage.findResponses("req-other")).toEqual([otherRequest]);
      });

      it("returns no responses for a request that was never answered", async () => {
        expect(await storage.findResponses("req-unknown")).toEqual([]);
      });

      it("accepts an exclusive first answer", async () => {
        await saveBase("cp-base");
        const answer = makeRecord({ kind: "responses" });
        const response = makeResponse({ checkpointId: answer.checkpointId });

        await storage.save(answer, { responses: [response], exclusive: true });

        expect(await storage.load(answer.checkpointId)).toEqual(answer);
        expect(await storage.findResponses("req-1")).toEqual([response]);
      });

      it("rejects an exclusive answer to a request already answered on the same base with REQUEST_ALREADY_ANSWERED naming the first answer", async () => {
        await saveBase("cp-base");
        const first = makeRecord({ kind: "responses" });
        await storage.save(first, {
          responses: [makeResponse({ checkpointId: first.checkpointId, answeredBy: "ada", answeredAt: isoAt(100) })],
          exclusive: true,
        });
        const late = makeRecord({ kind: "responses" });

        const error = await captureError(
          storage.save(late, {
            responses: [makeResponse({ checkpointId: late.checkpointId, answeredBy: "grace", answeredAt: isoAt(200) })],
            exclusive: true,
          }),
        );

        expect(error.code).toBe("REQUEST_ALREADY_ANSWERED");
        expect(error.details).toMatchObject({ requestId: "req-1", answeredBy: "ada", answeredAt: isoAt(100) });
        expect(error.message).toContain("req-1");
        expect(error.message).toContain("ada");
      });

      it("writes nothing of an exclusive save that is rejected", async () => {
        await saveBase("cp-base");
        const first = makeRecord({ kind: "responses" });
        const firstAnswer = makeResponse({ checkpointId: first.checkpointId });
        await storage.save(first, {
          blobs: [{ hash: "h-existing", data: '"old"' }],
          responses: [firstAnswer],
          exclusive: true,
        });
        const late = makeRecord({ kind: "responses" });

        await expect(
          storage.save(late, {
            blobs: [
              { hash: "h-existing", data: '"old"' },
              { hash: "h-new-from-loser", data: '"new"' },
            ],
            responses: [
              makeResponse({ checkpointId: late.checkpointId, requestId: "req-unanswered" }),
              makeResponse({ checkpointId: late.checkpointId, answeredBy: "grace" }),
            ],
            exclusive: true,
          }),
        ).rejects.toSatisfy((error) => isWorkflowError(error, "REQUEST_ALREADY_ANSWERED"));

        expect(await storage.load(late.checkpointId)).toBeUndefined();
        expect((await storage.list()).map((h) => h.checkpointId)).not.toContain(late.checkpointId);
        expect(await storage.loadBlobs(["h-existing", "h-new-from-loser"])).toEqual(new Map([["h-existing", '"old"']]));
        expect(await storage.findResponses("req-1")).toEqual([firstAnswer]);
        expect(await storage.findResponses("req-unanswered")).toEqual([]);
      });

      it("accepts an exclusive answer to the same request on a different base checkpoint", async () => {
        await saveBase("cp-base");
        await saveBase("cp-branch-base");
        const first = makeRecord({ kind: "responses" });
        await storage.save(first, { responses: [makeResponse({ checkpointId: first.checkpointId })], exclusive: true });
        const onBranch = makeRecord({ kind: "responses" });
        const branchAnswer = makeResponse({ checkpointId: onBranch.checkpointId, baseCheckpointId: "cp-branch-base" });

        await storage.save(onBranch, { responses: [branchAnswer], exclusive: true });

        expect(await storage.load(onBranch.checkpointId)).toEqual(onBranch);
        expect((await storage.findResponses("req-1")).map((r) => r.baseCheckpointId)).toEqual([
          "cp-base",
          "cp-branch-base",
        ]);
      });

      it("accepts a non-exclusive second answer on the same base checkpoint, as a branch", async () => {
        await saveBase("cp-base");
        const first = makeRecord({ kind: "responses" });
        await storage.save(first, { responses: [makeResponse({ checkpointId: first.checkpointId })], exclusive: true });
        const branch = makeRecord({ kind: "responses" });

        await storage.save(branch, {
          responses: [makeResponse({ checkpointId: branch.checkpointId, answeredBy: "grace" })],
        });

        expect(await storage.load(branch.checkpointId)).toEqual(branch);
        expect((await storage.findResponses("req-1")).map((r) => r.answeredBy)).toEqual(["ada", "grace"]);
      });

      it("lets exactly one of two concurrent exclusive answers to the same request win", async () => {
        await saveBase("cp-base");
        const a = makeRecord({ kind: "responses" });
        const b = makeRecord({ kind: "responses" });

        const results = await Promise.allSettled([
          storage.save(a, {
            responses: [makeResponse({ checkpointId: a.checkpointId, answeredBy: "ada" })],
            exclusive: true,
          }),
          storage.save(b, {
            responses: [makeResponse({ checkpointId: b.checkpointId, answeredBy: "grace" })],
            exclusive: true,
          }),
        ]);

        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        const [rejected] = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(isWorkflowError(rejected?.reason, "REQUEST_ALREADY_ANSWERED")).toBe(true);
        expect(await storage.findResponses("req-1")).toHaveLength(1);
      });
    });
  });
}
