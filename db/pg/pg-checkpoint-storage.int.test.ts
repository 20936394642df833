import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isWorkflowError } from "@/lib/workflow";
import { describeCheckpointStorageContract, makeRecord, makeResponse } from "@/lib/workflow/testing";
import { createTestDatabase } from "@/tests/support/postgres";
import { openPostgres, type PgConnection } from "./client";
import { PgCheckpointStorage } from "./pg-checkpoint-storage";

// The PostgreSQL store against a real server (tests/support/postgres-global-setup.ts starts a throwaway one):
// the contract every store meets, then what only a shared server can show (two pools racing, collation).
// Migrating a fresh database: client.int.test.ts.

describeCheckpointStorageContract("PgCheckpointStorage", async () => {
  const connection = await openPostgres(await createTestDatabase(inject("postgresUrl"), "contract"), { max: 4 });
  return { storage: new PgCheckpointStorage(connection), cleanup: () => connection.close() };
});

describe("PostgreSQL checkpoint database", () => {
  let url: string;
  const connections: PgConnection[] = [];
  const open = async (max = 4) => {
    const connection = await openPostgres(url, { max });
    connections.push(connection);
    return connection;
  };

  beforeAll(async () => {
    url = await createTestDatabase(inject("postgresUrl"), "pgstore");
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
  });

  it("applies exactly one of two exclusive answers racing from two pools (two processes), in each of 50 rounds", async () => {
    const first = new PgCheckpointStorage(await open());
    const second = new PgCheckpointStorage(await open());
    let applied = 0;
    const losers: string[] = [];
    for (let round = 0; round < 50; round++) {
      const base = makeRecord({ runId: `race-${round}`, status: "awaiting_input" });
      await first.save(base);
      const answer = (storage: PgCheckpointStorage, who: string) => {
        const record = makeRecord({ runId: base.runId, parentId: base.checkpointId, kind: "responses" });
        return storage.save(record, {
          exclusive: true,
          responses: [
            makeResponse({
              requestId: `req-${round}`,
              runId: base.runId,
              baseCheckpointId: base.checkpointId,
              checkpointId: record.checkpointId,
              answeredBy: who,
            }),
          ],
        });
      };
      const outcomes = await Promise.allSettled([answer(first, "Rita"), answer(second, "Ana")]);
      applied += outcomes.filter((outcome) => outcome.status === "fulfilled").length;
      for (const outcome of outcomes) {
        if (outcome.status === "rejected") {
          expect(isWorkflowError(outcome.reason) && outcome.reason.code).toBe("REQUEST_ALREADY_ANSWERED");
          losers.push(outcome.reason.message);
        }
      }
      expect(await first.findResponses(`req-${round}`)).toHaveLength(1);
    }
    expect(applied).toBe(50);
    expect(losers).toHaveLength(50);
  });

  it("orders by creation time byte by byte, whatever the database's collation", async () => {
    const storage = new PgCheckpointStorage(await open());
    const times = ["2026-01-01T00:00:09.000Z", "2026-01-01T00:00:10.000Z", "2026-01-01T00:00:09.500Z"];
    for (const [index, createdAt] of times.entries())
      await storage.save(makeRecord({ runId: "collation", checkpointId: `collation-${index}`, createdAt }));
    expect((await storage.list({ runId: "collation" })).map((header) => header.createdAt)).toEqual([
      times[1],
      times[2],
      times[0],
    ]);
    expect((await storage.list({ runId: "collation", before: times[1] })).map((header) => header.checkpointId)).toEqual(
      ["collation-2", "collation-0"],
    );
  });

  it("reports a corrupt summary as CHECKPOINT_CORRUPT, naming the checkpoint", async () => {
    const connection = await open();
    const storage = new PgCheckpointStorage(connection);
    await storage.save(makeRecord({ runId: "corrupt", checkpointId: "corrupt-1" }));
    await connection.pool.query("update checkpoints set summary = 'not json' where checkpoint_id = 'corrupt-1'");
    await expect(storage.load("corrupt-1")).rejects.toMatchObject({
      code: "CHECKPOINT_CORRUPT",
      message: expect.stringContaining("corrupt-1"),
    });
  });
});
