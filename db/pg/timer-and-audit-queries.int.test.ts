import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "@/tests/support/postgres";
import { makeTempDir } from "@/tests/support/temp-database";
import * as sqliteAudit from "../audit-queries";
import { openDatabase, type DatabaseConnection } from "../client";
import * as sqliteSchema from "../schema";
import * as sqliteTimers from "../timer-queries";
import * as pgAudit from "./audit-queries";
import { openPostgres, type PgConnection } from "./client";
import * as pgSchema from "./schema";
import * as pgTimers from "./timer-queries";

// Each PostgreSQL timer and audit query against its SQLite twin on the same rows: same results, same order, and
// for writes the same outcome step by step.

let temp: ReturnType<typeof makeTempDir>;
let sqlite: DatabaseConnection;
let postgres: PgConnection;

const iso = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 9, 0) + minutes * 60_000).toISOString();

/** 50 timers over 5 runs: due at tied and distinct times, some fired (some at the same moment), some cancelled. */
function seedTimers() {
  return Array.from({ length: 50 }, (_, i) => ({
    key: `timer-${i}`,
    kind: i % 3 === 0 ? "review-reminder" : "review-escalation",
    runId: `run-${i % 5}`,
    requestId: i % 4 === 0 ? null : `req-${i % 7}`,
    // ties on purpose: equal due times are ordered by id
    dueAt: 1_000 * (20 - (i % 13)),
    firedAt: i % 6 === 1 ? 50_000 + 1_000 * (i % 4) : null,
    cancelledAt: i % 10 === 3 ? 60_000 : null,
    attempts: i % 3,
    lastError: i % 3 === 0 ? null : `error ${i} — ünïcode`,
  }));
}

function seedAudit() {
  const actions = ["submitted", "answered", "approved", "assigned", "answered", "reopened"] as const;
  return Array.from({ length: 30 }, (_, i) => ({
    runId: `run-${i % 3}`,
    at: iso(i),
    action: actions[i % actions.length]!,
    actorId: i % 4 === 0 ? null : `user-${i % 5}`,
    actorName: `Person ${i % 5} «reviewer»`,
    actorRole: "reviewer",
    actorMethod: i % 2 === 0 ? "password" : "oidc",
    requestId: i % 6 === 0 ? null : `req-${i % 4}`,
    checkpointId: `cp-${i}`,
    reason: i % 5 === 0 ? "because" : null,
    subjectId: null,
    subjectName: null,
  }));
}

const runRow = (runId: string) => ({
  runId,
  brief: "b",
  status: "running" as const,
  writer: "w",
  createdAt: iso(0),
  updatedAt: iso(0),
});

beforeAll(async () => {
  temp = makeTempDir();
  sqlite = openDatabase(temp.file("twin.db"));
  postgres = await openPostgres(await createTestDatabase(inject("postgresUrl"), "timers"), { max: 8 });
  const timers = seedTimers();
  const audit = seedAudit();
  const runs = ["run-0", "run-1", "run-2", "run-pub", "run-race"].map(runRow);
  sqlite.db.insert(sqliteSchema.durableTimers).values(timers).run();
  sqlite.db.insert(sqliteSchema.runAudit).values(audit).run();
  sqlite.db.insert(sqliteSchema.runs).values(runs).run();
  await postgres.db.insert(pgSchema.durableTimers).values(timers);
  await postgres.db.insert(pgSchema.runAudit).values(audit);
  await postgres.db.insert(pgSchema.runs).values(runs);
});
afterAll(async () => {
  sqlite.close();
  await postgres.close();
  temp.cleanup();
});

describe("PostgreSQL timer queries", () => {
  it("lists due timers, page by page, as SQLite does", async () => {
    for (const now of [0, 8_000, 12_000, 20_000, 1_000_000]) {
      for (const limit of [3, 1_000]) {
        const expected = sqliteTimers.listDueTimers(sqlite.db, { now, limit });
        if (now >= 12_000) expect(expected.length).toBeGreaterThan(2);
        expect(await pgTimers.listDueTimers(postgres.db, { now, limit })).toEqual(expected);
      }
    }
  });

  it("finds a timer and lists a run's timers and the timers fired since a moment as SQLite does", async () => {
    for (const id of [1, 17, 50, 999]) {
      expect(await pgTimers.findTimer(postgres.db, id)).toEqual(sqliteTimers.findTimer(sqlite.db, id));
    }
    expect(await pgTimers.findTimer(postgres.db, 999)).toBeUndefined();
    for (const runId of ["run-0", "run-3", "run-none"]) {
      expect(await pgTimers.listRunTimers(postgres.db, runId)).toEqual(sqliteTimers.listRunTimers(sqlite.db, runId));
    }
    for (const since of [0, 51_000, 53_000, 99_000]) {
      expect(await pgTimers.listTimersFiredSince(postgres.db, since)).toEqual(
        sqliteTimers.listTimersFiredSince(sqlite.db, since),
      );
    }
    expect(sqliteTimers.listTimersFiredSince(sqlite.db, 51_000).length).toBeGreaterThan(2);
  });

  it("schedules, cancels, settles and retries timers step for step as on SQLite", async () => {
    const story = async (store: {
      schedule: (key: string, requestId: string | null, dueAt: number) => Promise<void>;
      cancel: (requestId: string, at: number) => Promise<void>;
      settle: (id: number, at: number, outcome: "fired" | "obsolete") => Promise<boolean>;
      fail: (id: number, error: string, retryAt: number) => Promise<void>;
      timers: () => Promise<sqliteSchema.DurableTimerRow[]>;
    }) => {
      const steps: unknown[] = [];
      await store.schedule("s-1", "req-s", 100_000);
      await store.schedule("s-1", "req-other", 1); // same key: the first plan wins
      await store.schedule("s-2", "req-s", 200_000);
      await store.schedule("s-3", "req-s", 300_000);
      await store.schedule("s-4", null, 400_000);
      const ids = (await store.timers()).map((timer) => timer.id);
      steps.push(ids.length);
      await store.cancel("req-s", 200_000); // s-1 and s-2 are due by then: only s-3 is cancelled
      steps.push(await store.settle(ids[0]!, 210_000, "fired"), await store.settle(ids[0]!, 220_000, "obsolete"));
      steps.push(await store.settle(ids[1]!, 230_000, "obsolete"), await store.settle(ids[1]!, 240_000, "fired"));
      steps.push(await store.settle(ids[2]!, 250_000, "fired")); // cancelled: already settled
      await store.fail(ids[3]!, "x".repeat(3_000), 500_000);
      await store.fail(ids[3]!, "down — again", 600_000);
      steps.push(await store.settle(ids[3]!, 600_000, "fired"), await store.settle(999_999, 1, "fired"));
      steps.push(await store.timers());
      return steps;
    };
    const onSqlite = await story({
      schedule: async (key, requestId, dueAt) =>
        sqliteTimers.scheduleTimer(sqlite.db, { key, kind: "k", runId: "run-story", requestId, dueAt }),
      cancel: async (requestId, at) => sqliteTimers.cancelRequestTimers(sqlite.db, requestId, at),
      settle: async (id, at, outcome) => sqliteTimers.settleTimer(sqlite.db, { id, at, outcome }),
      fail: async (id, error, retryAt) => sqliteTimers.recordTimerFailure(sqlite.db, { id, error, retryAt }),
      timers: async () => sqliteTimers.listRunTimers(sqlite.db, "run-story"),
    });
    const onPostgres = await story({
      schedule: (key, requestId, dueAt) =>
        pgTimers.scheduleTimer(postgres.db, { key, kind: "k", runId: "run-story", requestId, dueAt }),
      cancel: (requestId, at) => pgTimers.cancelRequestTimers(postgres.db, requestId, at),
      settle: (id, at, outcome) => pgTimers.settleTimer(postgres.db, { id, at, outcome }),
      fail: (id, error, retryAt) => pgTimers.recordTimerFailure(postgres.db, { id, error, retryAt }),
      timers: () => pgTimers.listRunTimers(postgres.db, "run-story"),
    });
    expect(onSqlite.slice(0, -1)).toEqual([4, true, false, true, false, false, true, false]);
    const timers = onSqlite.at(-1) as sqliteSchema.DurableTimerRow[];
    expect(timers.map((timer) => [timer.key, timer.requestId, timer.cancelledAt, timer.attempts])).toEqual([
      ["s-1", "req-s", null, 0],
      ["s-2", "req-s", 230_000, 0],
      ["s-3", "req-s", 200_000, 0],
      ["s-4", null, null, 2],
    ]);
    expect(timers[3]!.lastError).toBe("down — again");
    expect(onPostgres).toEqual(onSqlite);
  });

  it("settles a timer inside the caller's transaction, and a rollback undoes it", async () => {
    await pgTimers.scheduleTimer(postgres.db, { key: "tx-1", kind: "k", runId: "run-tx", requestId: null, dueAt: 1 });
    const [timer] = await pgTimers.listRunTimers(postgres.db, "run-tx");
    await expect(
      postgres.db.transaction(async (tx) => {
        expect(await pgTimers.settleTimer(tx, { id: timer!.id, at: 5, outcome: "fired" })).toBe(true);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await pgTimers.findTimer(postgres.db, timer!.id))?.firedAt).toBeNull();
    // two processes settling the same timer at once: exactly one does
    const outcomes = await Promise.all(
      [1, 2, 3, 4].map((at) =>
        postgres.db.transaction((tx) => pgTimers.settleTimer(tx, { id: timer!.id, at, outcome: "fired" })),
      ),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it("fences the scheduler lease, step for step as on SQLite", async () => {
    const story = async (store: {
      acquire: (owner: string, now: number) => Promise<sqliteTimers.SchedulerLease | undefined>;
      release: (lease: sqliteTimers.SchedulerLease) => Promise<void>;
    }) => {
      const steps: unknown[] = [];
      const a = await store.acquire("A", 1_000); // A holds until 11,000
      steps.push(a?.token, (await store.acquire("B", 1_500))?.token); // B is refused
      steps.push((await store.acquire("A", 5_000))?.token); // A renews (to 15,000): same token
      const b = await store.acquire("B", 20_000); // A's lease expired: B takes it with a higher token
      steps.push(b?.token);
      steps.push((await store.acquire("A", 20_500))?.token); // A's renewal is refused: it is fenced out
      await store.release(a!); // not A's any more: B keeps it
      steps.push((await store.acquire("C", 21_000))?.token);
      steps.push((await store.acquire("B", 25_000))?.token); // B renews: same token
      await store.release(b!); // B gives it up: C takes over at once, with a higher token
      steps.push((await store.acquire("C", 25_001))?.token);
      steps.push((await store.acquire("other-lease", 0))?.token); // another name: a lease of its own
      return steps;
    };
    const name = "timers";
    const onSqlite = await story({
      acquire: async (owner, now) =>
        sqliteTimers.acquireSchedulerLease(sqlite.db, {
          name: owner === "other-lease" ? "other" : name,
          owner,
          now,
          expiresAt: now + 10_000,
        }),
      release: async (lease) => sqliteTimers.releaseSchedulerLease(sqlite.db, lease),
    });
    const onPostgres = await story({
      acquire: (owner, now) =>
        pgTimers.acquireSchedulerLease(postgres.db, {
          name: owner === "other-lease" ? "other" : name,
          owner,
          now,
          expiresAt: now + 10_000,
        }),
      release: (lease) => pgTimers.releaseSchedulerLease(postgres.db, lease),
    });
    expect(onSqlite).toEqual([1, undefined, 1, 2, undefined, undefined, 2, 3, 1]);
    expect(onPostgres).toEqual(onSqlite);
    const sqliteRows = sqlite.db.select().from(sqliteSchema.schedulerLeases).all();
    const pgRows = await postgres.db.select().from(pgSchema.schedulerLeases);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(pgRows.sort(byName)).toEqual(sqliteRows.sort(byName));
  });

  it("gives the scheduler lease to exactly one of several processes taking it at once", async () => {
    for (const now of [0, 100_000]) {
      // first on a fresh row (the insert races), then on an expired one (the update races); new owners each round,
      // so the winner is a new holder (a renewal would keep the token)
      const leases = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          pgTimers.acquireSchedulerLease(postgres.db, {
            name: "race",
            owner: `p-${now}-${i}`,
            now,
            expiresAt: now + 50_000,
          }),
        ),
      );
      const winners = leases.filter((lease) => lease !== undefined);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.token).toBe(now === 0 ? 1 : 2);
    }
  });
});

describe("PostgreSQL audit queries", () => {
  it("lists a run's audit trail and finds the answer's audit row as SQLite does", async () => {
    for (const runId of ["run-0", "run-1", "run-2", "run-none"]) {
      expect(await pgAudit.listRunAudit(postgres.db, runId)).toEqual(sqliteAudit.listRunAudit(sqlite.db, runId));
    }
    for (const requestId of ["req-0", "req-1", "req-2", "req-3", "req-none"]) {
      expect(await pgAudit.findAnswerAudit(postgres.db, requestId)).toEqual(
        sqliteAudit.findAnswerAudit(sqlite.db, requestId),
      );
    }
    expect(sqliteAudit.findAnswerAudit(sqlite.db, "req-1")?.action).toBe("answered");
    expect(await pgAudit.findAnswerAudit(postgres.db, "req-none")).toBeUndefined();
  });

  it("appends audit rows and published versions as SQLite does", async () => {
    const audit = {
      runId: "run-pub",
      at: iso(50),
      action: "answered" as const,
      actorId: "user-9",
      actorName: "Ada",
      actorRole: "admin",
      actorMethod: "api-key",
      requestId: "req-pub",
    };
    sqliteAudit.insertRunAudit(sqlite.db, audit);
    await pgAudit.insertRunAudit(postgres.db, audit);
    const publication = (n: number) => ({
      runId: "run-pub",
      text: `Version ${n} — ünïcode`,
      checkpointId: `cp-pub-${n}`,
      publishedAt: iso(60 + n),
      approvedBy: n === 2 ? null : "Ada",
      approvedById: n === 2 ? null : "user-9",
    });
    for (const n of [1, 2, 3]) {
      sqliteAudit.appendPublication(sqlite.db, publication(n));
      await pgAudit.appendPublication(postgres.db, publication(n));
    }
    sqlite.sqlite.transaction(() => sqliteAudit.appendPublication(sqlite.db, publication(4))).immediate();
    await postgres.db.transaction((tx) => pgAudit.appendPublication(tx, publication(4)));
    const expected = sqliteAudit.listPublications(sqlite.db, "run-pub");
    expect(expected.map((row) => row.version)).toEqual([1, 2, 3, 4]);
    expect(await pgAudit.listPublications(postgres.db, "run-pub")).toEqual(expected);
    expect(await pgAudit.listPublications(postgres.db, "run-none")).toEqual([]);
    expect(await pgAudit.listRunAudit(postgres.db, "run-pub")).toEqual(sqliteAudit.listRunAudit(sqlite.db, "run-pub"));
    expect(await pgAudit.findAnswerAudit(postgres.db, "req-pub")).toEqual(
      sqliteAudit.findAnswerAudit(sqlite.db, "req-pub"),
    );
  });

  it("numbers versions appended at once by several processes without a gap or a clash", async () => {
    await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        postgres.db.transaction(async (tx) => {
          await pgAudit.appendPublication(tx, {
            runId: "run-race",
            text: `t${n}`,
            checkpointId: `cp-race-${n}`,
            publishedAt: iso(n),
            approvedBy: null,
            approvedById: null,
          });
          await new Promise((resolve) => setTimeout(resolve, 20)); // hold the transaction open a while
        }),
      ),
    );
    const versions = (await pgAudit.listPublications(postgres.db, "run-race")).map((row) => row.version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
