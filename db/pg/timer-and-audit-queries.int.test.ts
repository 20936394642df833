import { beforeAll, describe, expect, it } from "vitest";
import * as sqliteAudit from "../audit-queries";
import * as sqliteSchema from "../schema";
import * as sqliteTimers from "../timer-queries";
import * as pgAudit from "./audit-queries";
import * as pgSchema from "./schema";
import * as pgTimers from "./timer-queries";
import { twinStores } from "../testing/twin-stores";

// Each PostgreSQL timer and audit query against its SQLite twin on the same rows: same results, same order, and
// for writes the same outcome step by step.

const twin = twinStores("timers", { max: 8 });

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
  const timers = seedTimers();
  const audit = seedAudit();
  const runs = ["run-0", "run-1", "run-2", "run-pub", "run-race"].map(runRow);
  await twin.seed([
    [sqliteSchema.durableTimers, pgSchema.durableTimers, timers],
    [sqliteSchema.runAudit, pgSchema.runAudit, audit],
    [sqliteSchema.runs, pgSchema.runs, runs],
  ]);
});

describe("PostgreSQL timer queries", () => {
  it("lists due timers, page by page, as SQLite does", async () => {
    for (const now of [0, 8_000, 12_000, 20_000, 1_000_000]) {
      for (const limit of [3, 1_000]) {
        const expected = sqliteTimers.listDueTimers(twin.sqlite.db, { now, limit });
        if (now >= 12_000) expect(expected.length).toBeGreaterThan(2);
        expect(await pgTimers.listDueTimers(twin.postgres.db, { now, limit })).toEqual(expected);
      }
    }
  });

  it("finds a timer and lists a run's timers and the timers fired since a moment as SQLite does", async () => {
    for (const id of [1, 17, 50, 999]) {
      expect(await pgTimers.findTimer(twin.postgres.db, id)).toEqual(sqliteTimers.findTimer(twin.sqlite.db, id));
    }
    expect(await pgTimers.findTimer(twin.postgres.db, 999)).toBeUndefined();
    for (const runId of ["run-0", "run-3", "run-none"]) {
      expect(await pgTimers.listRunTimers(twin.postgres.db, runId)).toEqual(
        sqliteTimers.listRunTimers(twin.sqlite.db, runId),
      );
    }
    for (const since of [0, 51_000, 53_000, 99_000]) {
      expect(await pgTimers.listTimersFiredSince(twin.postgres.db, since)).toEqual(
        sqliteTimers.listTimersFiredSince(twin.sqlite.db, since),
      );
    }
    expect(sqliteTimers.listTimersFiredSince(twin.sqlite.db, 51_000).length).toBeGreaterThan(2);
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
        sqliteTimers.scheduleTimer(twin.sqlite.db, { key, kind: "k", runId: "run-story", requestId, dueAt }),
      cancel: async (requestId, at) => sqliteTimers.cancelRequestTimers(twin.sqlite.db, requestId, at),
      settle: async (id, at, outcome) => sqliteTimers.settleTimer(twin.sqlite.db, { id, at, outcome }),
      fail: async (id, error, retryAt) => sqliteTimers.recordTimerFailure(twin.sqlite.db, { id, error, retryAt }),
      timers: async () => sqliteTimers.listRunTimers(twin.sqlite.db, "run-story"),
    });
    const onPostgres = await story({
      schedule: (key, requestId, dueAt) =>
        pgTimers.scheduleTimer(twin.postgres.db, { key, kind: "k", runId: "run-story", requestId, dueAt }),
      cancel: (requestId, at) => pgTimers.cancelRequestTimers(twin.postgres.db, requestId, at),
      settle: (id, at, outcome) => pgTimers.settleTimer(twin.postgres.db, { id, at, outcome }),
      fail: (id, error, retryAt) => pgTimers.recordTimerFailure(twin.postgres.db, { id, error, retryAt }),
      timers: () => pgTimers.listRunTimers(twin.postgres.db, "run-story"),
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
    await pgTimers.scheduleTimer(twin.postgres.db, {
      key: "tx-1",
      kind: "k",
      runId: "run-tx",
      requestId: null,
      dueAt: 1,
    });
    const [timer] = await pgTimers.listRunTimers(twin.postgres.db, "run-tx");
    await expect(
      twin.postgres.db.transaction(async (tx) => {
        expect(await pgTimers.settleTimer(tx, { id: timer!.id, at: 5, outcome: "fired" })).toBe(true);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await pgTimers.findTimer(twin.postgres.db, timer!.id))?.firedAt).toBeNull();
    // two processes settling the same timer at once: exactly one does
    const outcomes = await Promise.all(
      [1, 2, 3, 4].map((at) =>
        twin.postgres.db.transaction((tx) => pgTimers.settleTimer(tx, { id: timer!.id, at, outcome: "fired" })),
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
        sqliteTimers.acquireSchedulerLease(twin.sqlite.db, {
          name: owner === "other-lease" ? "other" : name,
          owner,
          now,
          expiresAt: now + 10_000,
        }),
      release: async (lease) => sqliteTimers.releaseSchedulerLease(twin.sqlite.db, lease),
    });
    const onPostgres = await story({
      acquire: (owner, now) =>
        pgTimers.acquireSchedulerLease(twin.postgres.db, {
          name: owner === "other-lease" ? "other" : name,
          owner,
          now,
          expiresAt: now + 10_000,
        }),
      release: (lease) => pgTimers.releaseSchedulerLease(twin.postgres.db, lease),
    });
    expect(onSqlite).toEqual([1, undefined, 1, 2, undefined, undefined, 2, 3, 1]);
    expect(onPostgres).toEqual(onSqlite);
    const sqliteRows = twin.sqlite.db.select().from(sqliteSchema.schedulerLeases).all();
    const pgRows = await twin.postgres.db.select().from(pgSchema.schedulerLeases);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(pgRows.sort(byName)).toEqual(sqliteRows.sort(byName));
  });

  it("gives the scheduler lease to exactly one of several processes taking it at once", async () => {
    for (const now of [0, 100_000]) {
      // first on a fresh row (the insert races), then on an expired one (the update races); new owners each round,
      // so the winner is a new holder (a renewal would keep the token)
      const leases = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          pgTimers.acquireSchedulerLease(twin.postgres.db, {
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
      expect(await pgAudit.listRunAudit(twin.postgres.db, runId)).toEqual(
        sqliteAudit.listRunAudit(twin.sqlite.db, runId),
      );
    }
    for (const requestId of ["req-0", "req-1", "req-2", "req-3", "req-none"]) {
      expect(await pgAudit.findAnswerAudit(twin.postgres.db, requestId)).toEqual(
        sqliteAudit.findAnswerAudit(twin.sqlite.db, requestId),
      );
    }
    expect(sqliteAudit.findAnswerAudit(twin.sqlite.db, "req-1")?.action).toBe("answered");
    expect(await pgAudit.findAnswerAudit(twin.postgres.db, "req-none")).toBeUndefined();
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
    sqliteAudit.insertRunAudit(twin.sqlite.db, audit);
    await pgAudit.insertRunAudit(twin.postgres.db, audit);
    const publication = (n: number) => ({
      runId: "run-pub",
      text: `Version ${n} — ünïcode`,
      checkpointId: `cp-pub-${n}`,
      publishedAt: iso(60 + n),
      approvedBy: n === 2 ? null : "Ada",
      approvedById: n === 2 ? null : "user-9",
    });
    for (const n of [1, 2, 3]) {
      sqliteAudit.appendPublication(twin.sqlite.db, publication(n));
      await pgAudit.appendPublication(twin.postgres.db, publication(n));
    }
    twin.sqlite.sqlite.transaction(() => sqliteAudit.appendPublication(twin.sqlite.db, publication(4))).immediate();
    await twin.postgres.db.transaction((tx) => pgAudit.appendPublication(tx, publication(4)));
    const expected = sqliteAudit.listPublications(twin.sqlite.db, "run-pub");
    expect(expected.map((row) => row.version)).toEqual([1, 2, 3, 4]);
    expect(await pgAudit.listPublications(twin.postgres.db, "run-pub")).toEqual(expected);
    expect(await pgAudit.listPublications(twin.postgres.db, "run-none")).toEqual([]);
    expect(await pgAudit.listRunAudit(twin.postgres.db, "run-pub")).toEqual(
      sqliteAudit.listRunAudit(twin.sqlite.db, "run-pub"),
    );
    expect(await pgAudit.findAnswerAudit(twin.postgres.db, "req-pub")).toEqual(
      sqliteAudit.findAnswerAudit(twin.sqlite.db, "req-pub"),
    );
  });

  it("numbers versions appended at once by several processes without a gap or a clash", async () => {
    await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        twin.postgres.db.transaction(async (tx) => {
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
    const versions = (await pgAudit.listPublications(twin.postgres.db, "run-race")).map((row) => row.version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
