import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isWorkflowError } from "@/lib/workflow";
import { describeCheckpointStorageContract, makeRecord, makeResponse } from "@/lib/workflow/testing";
import { openDatabase, type DatabaseConnection } from "./client";
import { SqliteCheckpointStorage } from "./sqlite-checkpoint-storage";

/** How many migrations db/migrations holds (each one row in __drizzle_migrations once applied). */
function migrationCount(): number {
  const journal = JSON.parse(
    fs.readFileSync(path.join(import.meta.dirname, "migrations/meta/_journal.json"), "utf8"),
  ) as { entries: unknown[] };
  return journal.entries.length;
}

/** A fresh temp directory; every database in these tests lives inside one. */
function makeTempDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "draftgate-sqlite-store-"));
}

describeCheckpointStorageContract("SqliteCheckpointStorage", async () => {
  const directory = makeTempDirectory();
  const connection = openDatabase(path.join(directory, "checkpoints.db"));
  return {
    storage: new SqliteCheckpointStorage(connection),
    cleanup: async () => {
      connection.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
});

describe("SQLite checkpoint database", () => {
  let directory: string;
  let file: string;
  const connections: DatabaseConnection[] = [];

  function open(): DatabaseConnection {
    const connection = openDatabase(file);
    connections.push(connection);
    return connection;
  }

  beforeEach(() => {
    directory = makeTempDirectory();
    file = path.join(directory, "nested", "draftgate.db");
  });

  afterEach(() => {
    for (const connection of connections.splice(0)) connection.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("creates the parent directory, the checkpoint tables and their indexes through the migrations", () => {
    const { sqlite } = open();

    const objects = sqlite
      .prepare(
        "select type, name, tbl_name as tableName from sqlite_master where name not like 'sqlite_%' order by name",
      )
      .all() as Array<{ type: string; name: string; tableName: string }>;
    const tables = objects.filter((o) => o.type === "table").map((o) => o.name);
    const indexes = objects.filter((o) => o.type === "index").map((o) => `${o.tableName}.${o.name}`);

    expect(tables).toEqual(
      expect.arrayContaining(["checkpoints", "checkpoint_blobs", "request_responses", "__drizzle_migrations"]),
    );
    expect(indexes).toEqual(
      expect.arrayContaining([
        "checkpoints.checkpoints_seq_idx",
        "checkpoints.checkpoints_run_created_idx",
        "request_responses.request_responses_request_base_idx",
        "request_responses.request_responses_checkpoint_idx",
      ]),
    );
    const runIndexColumns = (
      sqlite.prepare("pragma index_info('checkpoints_run_created_idx')").all() as Array<{ name: string }>
    ).map((c) => c.name);
    expect(runIndexColumns).toEqual(["run_id", "created_at", "seq"]);
  });

  it("opens connections in WAL mode with foreign keys on and a busy timeout", () => {
    const { sqlite } = open();

    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(sqlite.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
  });

  it("opens an already migrated file again without re-running the migrations", () => {
    open().close();
    const { sqlite } = open();

    expect(sqlite.prepare("select count(*) as n from __drizzle_migrations").get()).toEqual({ n: migrationCount() });
  });

  it("lists newest first from the run index without a temporary sort", () => {
    const { sqlite } = open();

    const plan = (
      sqlite
        .prepare(
          "explain query plan select checkpoint_id from checkpoints where run_id = ? order by created_at desc, seq desc limit 10",
        )
        .all("run-1") as Array<{ detail: string }>
    ).map((row) => row.detail);

    expect(plan.join("\n")).toContain("checkpoints_run_created_idx");
    expect(plan.join("\n")).not.toContain("TEMP B-TREE");
  });

  it("returns a row with a corrupted body as stored, leaving decoding to the engine", async () => {
    const connection = open();
    const storage = new SqliteCheckpointStorage(connection);
    const record = makeRecord({ checkpointId: "cp-corrupt-body", runId: "run-corrupt" });
    await storage.save(record);
    connection.sqlite
      .prepare("update checkpoints set body = ? where checkpoint_id = ?")
      .run('{"schemaVersion": 1, "trunc', record.checkpointId);

    expect(await storage.load(record.checkpointId)).toEqual({ ...record, body: '{"schemaVersion": 1, "trunc' });
    expect((await storage.latest("run-corrupt"))?.body).toBe('{"schemaVersion": 1, "trunc');
  });

  it("reports a row whose summary does not parse as CHECKPOINT_CORRUPT naming the checkpoint and the field", async () => {
    const connection = open();
    const storage = new SqliteCheckpointStorage(connection);
    await storage.save(makeRecord({ checkpointId: "cp-bad-summary" }));
    connection.sqlite
      .prepare("update checkpoints set summary = '{not json' where checkpoint_id = 'cp-bad-summary'")
      .run();

    const error = await storage.load("cp-bad-summary").catch((e: unknown) => e);

    expect(isWorkflowError(error, "CHECKPOINT_CORRUPT")).toBe(true);
    expect(isWorkflowError(error) && error.details).toMatchObject({ checkpointId: "cp-bad-summary", field: "summary" });
    expect(String((error as Error).message)).toContain("cp-bad-summary");
  });

  it("reports a row with an unknown status as CHECKPOINT_CORRUPT naming the field", async () => {
    const connection = open();
    const storage = new SqliteCheckpointStorage(connection);
    await storage.save(makeRecord({ checkpointId: "cp-bad-status" }));
    connection.sqlite.prepare("update checkpoints set status = 'exploded' where checkpoint_id = 'cp-bad-status'").run();

    const error = await storage.list().catch((e: unknown) => e);

    expect(isWorkflowError(error) && error.details).toMatchObject({ checkpointId: "cp-bad-status", field: "status" });
  });

  it("lets exactly one of two connections on the same file record an exclusive answer to the same request", async () => {
    const first = new SqliteCheckpointStorage(open());
    const second = new SqliteCheckpointStorage(open());
    await first.save(makeRecord({ checkpointId: "cp-base", status: "awaiting_input" }));
    const fromFirst = makeRecord({ checkpointId: "cp-answer-first", kind: "responses" });
    const fromSecond = makeRecord({ checkpointId: "cp-answer-second", kind: "responses" });

    const results = await Promise.allSettled([
      first.save(fromFirst, {
        responses: [makeResponse({ checkpointId: fromFirst.checkpointId, answeredBy: "ada" })],
        exclusive: true,
      }),
      second.save(fromSecond, {
        responses: [makeResponse({ checkpointId: fromSecond.checkpointId, answeredBy: "grace" })],
        exclusive: true,
      }),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(isWorkflowError(rejected?.reason, "REQUEST_ALREADY_ANSWERED")).toBe(true);
    expect(rejected?.reason.details).toMatchObject({ answeredBy: "ada" });
    expect(await first.findResponses("req-1")).toHaveLength(1);
    expect(await second.load("cp-answer-first")).toEqual(fromFirst);
    expect(await first.load("cp-answer-second")).toBeUndefined();
  });

  it("makes a save wait for another process's write transaction rather than fail with SQLITE_BUSY", async () => {
    const storage = new SqliteCheckpointStorage(open());
    // A second process takes the write lock and holds it for 300 ms.
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(process.argv[1]);
         db.exec("BEGIN IMMEDIATE"); console.log("locked");
         setTimeout(() => { db.exec("COMMIT"); db.close(); }, 300);`,
        file,
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    await once(holder.stdout, "data");

    // Blocks on BEGIN IMMEDIATE until the holder commits; busy_timeout (5 s) carries it through.
    await storage.save(makeRecord({ checkpointId: "cp-after-wait" }));
    await once(holder, "exit");

    expect(await storage.load("cp-after-wait")).toBeDefined();
  });

  it("lets exactly one of two processes record an exclusive answer to the same request", async () => {
    const storage = new SqliteCheckpointStorage(open());
    await storage.save(makeRecord({ checkpointId: "cp-base", status: "awaiting_input" }));
    const fixture = path.join("db", "testing", "save-answer-process.ts");
    const startAt = Date.now() + 1500; // both children are loaded by then

    const outputs = await Promise.all(
      ["ada", "grace"].map(async (who) => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", fixture, file, `cp-answer-${who}`, who, String(startAt)],
          {
            cwd: process.cwd(),
            stdio: ["ignore", "pipe", "inherit"],
          },
        );
        let stdout = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        const [exitCode] = await once(child, "exit");
        expect(exitCode).toBe(0);
        return JSON.parse(stdout) as {
          ok: boolean;
          answeredBy: string;
          code?: string;
          details?: { answeredBy?: string };
        };
      }),
    );

    const winners = outputs.filter((o) => o.ok);
    const losers = outputs.filter((o) => !o.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]).toMatchObject({
      code: "REQUEST_ALREADY_ANSWERED",
      details: { answeredBy: winners[0]?.answeredBy },
    });
    const responses = await storage.findResponses("req-1");
    expect(responses.map((r) => r.answeredBy)).toEqual([winners[0]?.answeredBy]);
    expect(await storage.load(`cp-answer-${losers[0]?.answeredBy}`)).toBeUndefined();
  });
});
