import { beforeAll, describe, expect, it } from "vitest";
import * as sqliteQueries from "../review-queries";
import * as sqliteSchema from "../schema";
import * as pgQueries from "./review-queries";
import * as pgSchema from "./schema";
import { twinStores } from "../testing/twin-stores";

// Each PostgreSQL review query against its SQLite twin on the same rows: same results, same order, and for writes
// the same outcome step by step. Then what only PostgreSQL's concurrent writers can show (two pools racing).

const twin = twinStores("reviews", { max: 4 });

const iso = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 9, 0) + minutes * 60_000).toISOString();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Vote ids are each store's own (PostgreSQL's identity skips the values of refused inserts): compared without. */
const withoutIds = (votes: ReadonlyArray<{ id: number }>) => votes.map(({ id: _id, ...vote }) => vote);

const policy = (workflowName: string, i: number) => ({
  workflowName,
  requiredApprovals: 1 + (i % 3),
  deadlineMinutes: 60 * (i + 1),
  reminderMinutesBefore: i % 2 === 0 ? 30 : null,
  escalateToUserIds: JSON.stringify([`user-${i}`]),
  expireAfterMinutes: i % 3 === 0 ? null : 600,
  createdAt: iso(i),
  createdById: i % 2 === 0 ? `admin-${i}` : null,
  createdByName: `Admin «${i}»`,
});

const vote = (runId: string, requestId: string, voter: number, extra: Partial<sqliteSchema.NewReviewVoteRow> = {}) => ({
  runId,
  requestId,
  kind: "approve" as const,
  draftSha256: `sha-${requestId}`,
  voterKey: `voter-${voter}`,
  voterId: voter % 2 === 0 ? `user-${voter}` : null,
  voterName: `Voter ${voter}`,
  voterRole: "reviewer",
  voterMethod: "password",
  votedAt: iso(voter),
  ...extra,
});

/** 40 runs (most awaiting review, some with deadlines), votes with edits, assignments, and one answered request. */
function seed() {
  const statuses = ["awaiting_review", "awaiting_review", "running", "completed"] as const;
  const runs = Array.from({ length: 40 }, (_, i) => ({
    runId: `run-${String((i * 17) % 40).padStart(2, "0")}`,
    brief: `Brief ${i}`,
    status: statuses[i % statuses.length]!,
    pendingRequestId: i % 10 === 9 ? null : `req-${i}`,
    pendingSince: iso(Math.floor(i / 3)),
    pendingDraftSha256: `sha-req-${i}`,
    pendingEditedFrom: i % 5 === 0 ? `req-${i}-old` : null,
    writer: "Offline writer",
    createdAt: iso(i),
    updatedAt: iso(i),
    policyVersion: i % 3 === 0 ? null : 1 + (i % 2),
    requiredApprovals: 1 + (i % 3),
  }));
  const deadlines = runs
    .filter((run, i) => i % 3 !== 1 && run.pendingRequestId)
    .map((run, i) => ({ requestId: run.pendingRequestId!, runId: run.runId, askedAt: iso(i), dueAt: iso(i + 60) }));
  const votes = runs.flatMap((run, i) => {
    if (!run.pendingRequestId) return [];
    const request = run.pendingRequestId;
    return [
      ...Array.from({ length: i % 4 }, (_, v) => vote(run.runId, request, v)),
      // an edit of the request it came from: it counts when its hash is the pending draft's
      ...(run.pendingEditedFrom
        ? [
            vote(run.runId, run.pendingEditedFrom, 7, { kind: "edit" as const, draftSha256: `sha-${request}` }),
            vote(run.runId, run.pendingEditedFrom, 8, { kind: "edit" as const, draftSha256: "sha-other" }),
            vote(run.runId, run.pendingEditedFrom, 0, { kind: "edit" as const, draftSha256: `sha-${request}` }),
          ]
        : []),
    ];
  });
  const assignments = runs.flatMap((run, i) =>
    Array.from({ length: i % 3 }, (_, a) => ({
      runId: run.runId,
      assigneeId: `user-${a}`,
      assigneeName: a === 0 ? "Zoë «reviewer»" : "Rita",
      assignedAt: iso(i % 2),
      assignedById: null,
      assignedByName: "Ada",
    })),
  );
  return { runs, deadlines, votes, assignments };
}

const checkpoint = {
  checkpointId: "cp-answer",
  runId: "run-answered",
  parentId: null,
  workflowName: "release-notes",
  superstep: 1,
  createdAt: iso(0),
  kind: "responses" as const,
  status: "running" as const,
  summary: "{}",
  body: "{}",
};
const answer = {
  requestId: "req-answered",
  runId: "run-answered",
  baseCheckpointId: "cp-base",
  checkpointId: "cp-answer",
  response: "{}",
  answeredBy: null,
  answeredAt: iso(1),
};

beforeAll(async () => {
  const { runs, deadlines, votes, assignments } = seed();
  await twin.seed([
    [sqliteSchema.runs, pgSchema.runs, runs],
    [sqliteSchema.reviewDeadlines, pgSchema.reviewDeadlines, deadlines],
    [sqliteSchema.reviewVotes, pgSchema.reviewVotes, votes],
    [sqliteSchema.runAssignments, pgSchema.runAssignments, assignments],
  ]);
  twin.sqlite.db
    .insert(sqliteSchema.checkpoints)
    .values({ ...checkpoint, seq: 1 })
    .run();
  await twin.postgres.db.insert(pgSchema.checkpoints).values(checkpoint);
  await twin.insertBoth(sqliteSchema.requestResponses, pgSchema.requestResponses, answer);
});

const openPool = (max: number) => twin.openPool(max);

const seededRunIds = () => seed().runs.map((run) => run.runId);

describe("PostgreSQL review queries", () => {
  it("appends policy versions, finds the current one and lists them, step for step as SQLite does", async () => {
    for (const [i, workflowName] of ["wf-a", "wf-a", "wf-b", "wf-a"].entries()) {
      const appended = await pgQueries.appendPolicy(twin.postgres.db, policy(workflowName, i));
      expect(appended).toEqual(sqliteQueries.appendPolicy(twin.sqlite.db, policy(workflowName, i)));
    }
    for (const workflowName of ["wf-a", "wf-b", "wf-none"]) {
      expect(await pgQueries.currentPolicy(twin.postgres.db, workflowName)).toEqual(
        sqliteQueries.currentPolicy(twin.sqlite.db, workflowName),
      );
      expect(await pgQueries.listPolicies(twin.postgres.db, workflowName)).toEqual(
        sqliteQueries.listPolicies(twin.sqlite.db, workflowName),
      );
    }
    expect((await pgQueries.listPolicies(twin.postgres.db, "wf-a")).map((row) => row.version)).toEqual([1, 2, 3]);
    expect(await pgQueries.currentPolicy(twin.postgres.db, "wf-none")).toBeUndefined();
  });

  it("appends a policy inside a caller's transaction, and rolls it back with it", async () => {
    const appended = await twin.postgres.db.transaction((tx) => pgQueries.appendPolicy(tx, policy("wf-tx", 0)));
    expect(appended.version).toBe(1);
    await expect(
      twin.postgres.db.transaction(async (tx) => {
        await pgQueries.appendPolicy(tx, policy("wf-tx", 1));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await pgQueries.listPolicies(twin.postgres.db, "wf-tx")).map((row) => row.version)).toEqual([1]);
  });

  it("finds the policy a run started with (a saved version, a missing one, none) as SQLite does", async () => {
    for (const workflowName of ["wf-a", "wf-b"])
      for (const policyVersion of [null, 1, 2, 3, 99])
        for (const requiredApprovals of [1, 3]) {
          const run = { policyVersion, requiredApprovals };
          expect(await pgQueries.policyForRun(twin.postgres.db, run, workflowName)).toEqual(
            sqliteQueries.policyForRun(twin.sqlite.db, run, workflowName),
          );
        }
  });

  it("lists each run's votes and counts each pending draft's approvals as SQLite does", async () => {
    let counted = 0;
    for (const { runId, pendingRequestId, pendingDraftSha256, pendingEditedFrom } of seed().runs) {
      expect(withoutIds(await pgQueries.listRunVotes(twin.postgres.db, runId))).toEqual(
        withoutIds(sqliteQueries.listRunVotes(twin.sqlite.db, runId)),
      );
      if (!pendingRequestId) continue;
      const pending = { requestId: pendingRequestId, draftSha256: pendingDraftSha256, editedFrom: pendingEditedFrom };
      const expected = sqliteQueries.countedApprovals(twin.sqlite.db, pending);
      counted += expected.length;
      expect(withoutIds(await pgQueries.countedApprovals(twin.postgres.db, pending))).toEqual(withoutIds(expected));
    }
    expect(counted).toBeGreaterThan(20);
    expect(await pgQueries.listRunVotes(twin.postgres.db, "nope")).toEqual([]);
  });

  it("inserts votes once per person and request, step for step as SQLite does", async () => {
    const steps = [
      vote("run-v", "req-v", 1),
      vote("run-v", "req-v", 1, { kind: "edit" }), // same person, same request: refused
      vote("run-v", "req-v", 2, { checkpointId: "cp-1" }),
      vote("run-v", "req-v2", 1),
    ];
    const onSqlite = steps.map((row) => sqliteQueries.insertVote(twin.sqlite.db, row));
    const onPostgres: boolean[] = [];
    for (const row of steps) onPostgres.push(await pgQueries.insertVote(twin.postgres.db, row));
    expect(onSqlite).toEqual([true, false, true, true]);
    expect(onPostgres).toEqual(onSqlite);
    expect(withoutIds(await pgQueries.listRunVotes(twin.postgres.db, "run-v"))).toEqual(
      withoutIds(sqliteQueries.listRunVotes(twin.sqlite.db, "run-v")),
    );
  });

  it("records approvals unless final, step for step as SQLite does", async () => {
    const runId = "run-approve";
    const run = {
      runId,
      brief: "b",
      status: "awaiting_review" as const,
      writer: "w",
      createdAt: iso(0),
      updatedAt: iso(0),
      pendingRequestId: "req-approve",
      pendingDraftSha256: "sha-req-approve",
    };
    twin.sqlite.db.insert(sqliteSchema.runs).values(run).run();
    await twin.postgres.db.insert(pgSchema.runs).values(run);
    const pending = { requestId: "req-approve", draftSha256: "sha-req-approve", editedFrom: null };
    const steps: Array<{ voter: number; pending?: typeof pending; runId?: string; required: number }> = [
      { voter: 1, required: 3 }, // recorded, 1 of 3
      { voter: 1, required: 3 }, // duplicate
      { voter: 2, required: 3 }, // recorded, 2 of 3
      { voter: 3, required: 3 }, // completes: nothing written
      { voter: 3, required: 4 }, // recorded, 3 of 4
      { voter: 4, required: 2 }, // completes
      { voter: 5, required: 3, pending: { ...pending, requestId: "req-stale" } }, // not the pending request
      { voter: 5, required: 3, runId: "run-none" }, // no such run
      { voter: 5, required: 3, runId: "run-answered", pending: { ...pending, requestId: "req-answered" } }, // answered
    ];
    const onSqlite = steps.map((step) =>
      twin.sqlite.sqlite
        .transaction(() =>
          sqliteQueries.recordApprovalUnlessFinal(twin.sqlite.db, {
            vote: vote(step.runId ?? runId, (step.pending ?? pending).requestId, step.voter),
            pending: step.pending ?? pending,
            required: step.required,
          }),
        )
        .immediate(),
    );
    const onPostgres: sqliteQueries.VoteOutcome[] = [];
    for (const step of steps)
      onPostgres.push(
        await twin.postgres.db.transaction((tx) =>
          pgQueries.recordApprovalUnlessFinal(tx, {
            vote: vote(step.runId ?? runId, (step.pending ?? pending).requestId, step.voter),
            pending: step.pending ?? pending,
            required: step.required,
          }),
        ),
      );
    expect(onSqlite.map((outcome) => outcome.kind)).toEqual([
      "recorded",
      "duplicate",
      "recorded",
      "completes",
      "recorded",
      "completes",
      "not_pending",
      "not_pending",
      "not_pending",
    ]);
    expect(onPostgres).toEqual(onSqlite);
    expect(withoutIds(await pgQueries.listRunVotes(twin.postgres.db, runId))).toEqual(
      withoutIds(sqliteQueries.listRunVotes(twin.sqlite.db, runId)),
    );
    // a run no longer awaiting review
    const stopped = { ...run, runId: "run-stopped", status: "completed" as const };
    twin.sqlite.db.insert(sqliteSchema.runs).values(stopped).run();
    await twin.postgres.db.insert(pgSchema.runs).values(stopped);
    const params = { vote: vote("run-stopped", "req-approve", 9), pending, required: 3 };
    expect(await pgQueries.recordApprovalUnlessFinal(twin.postgres.db, params)).toEqual(
      sqliteQueries.recordApprovalUnlessFinal(twin.sqlite.db, params),
    );
  });

  it("rolls a recorded approval back when the rest of its transaction fails", async () => {
    const runId = "run-rollback";
    const run = {
      runId,
      brief: "b",
      status: "awaiting_review" as const,
      writer: "w",
      createdAt: iso(0),
      updatedAt: iso(0),
      pendingRequestId: "req-rollback",
    };
    twin.sqlite.db.insert(sqliteSchema.runs).values(run).run(); // kept alike: later tests list both stores' runs
    await twin.postgres.db.insert(pgSchema.runs).values(run);
    const pending = { requestId: "req-rollback", draftSha256: "sha-req-rollback", editedFrom: null };
    await expect(
      twin.postgres.db.transaction(async (tx) => {
        const outcome = await pgQueries.recordApprovalUnlessFinal(tx, {
          vote: vote(runId, "req-rollback", 1),
          pending,
          required: 2,
        });
        expect(outcome.kind).toBe("recorded");
        throw new Error("audit failed");
      }),
    ).rejects.toThrow("audit failed");
    expect(await pgQueries.listRunVotes(twin.postgres.db, runId)).toEqual([]);
  });

  it("lists, adds and removes assignments, step for step as SQLite does", async () => {
    for (const runId of seededRunIds())
      expect(await pgQueries.listRunAssignments(twin.postgres.db, runId)).toEqual(
        sqliteQueries.listRunAssignments(twin.sqlite.db, runId),
      );
    const row = (assigneeId: string, assigneeName: string, minute: number) => ({
      runId: "run-assign",
      assigneeId,
      assigneeName,
      assignedAt: iso(minute),
      assignedById: "admin",
      assignedByName: "Ada",
    });
    const story = async (store: {
      insert: (r: sqliteSchema.RunAssignmentRow) => Promise<boolean>;
      remove: (assigneeId: string) => Promise<boolean>;
      list: () => Promise<sqliteSchema.RunAssignmentRow[]>;
    }) => [
      await store.insert(row("u-1", "Zoë", 1)),
      await store.insert(row("u-2", "Ada", 1)),
      await store.insert(row("u-1", "Zoë again", 2)), // already assigned
      await store.insert(row("u-3", "Émile", 0)),
      await store.list(),
      await store.remove("u-2"),
      await store.remove("u-2"), // no longer assigned
      await store.remove("u-9"),
      await store.list(),
    ];
    const onSqlite = await story({
      insert: async (r) => sqliteQueries.insertAssignment(twin.sqlite.db, r),
      remove: async (assigneeId) => sqliteQueries.deleteAssignment(twin.sqlite.db, "run-assign", assigneeId),
      list: async () => sqliteQueries.listRunAssignments(twin.sqlite.db, "run-assign"),
    });
    const onPostgres = await story({
      insert: (r) => pgQueries.insertAssignment(twin.postgres.db, r),
      remove: (assigneeId) => pgQueries.deleteAssignment(twin.postgres.db, "run-assign", assigneeId),
      list: () => pgQueries.listRunAssignments(twin.postgres.db, "run-assign"),
    });
    expect(onSqlite.filter((step) => typeof step === "boolean")).toEqual([true, true, false, true, true, false, false]);
    expect(onPostgres).toEqual(onSqlite);
  });

  it("lists the runs awaiting review without a deadline as SQLite does", async () => {
    // neither store orders these rows (the caller plans a deadline for each): compared as sets
    const byRunId = (rows: Array<{ runId: string }>) => [...rows].sort((a, b) => (a.runId < b.runId ? -1 : 1));
    const all = sqliteQueries.listRunsWithoutDeadline(twin.sqlite.db, 1_000);
    expect(all.length).toBeGreaterThan(3);
    expect(byRunId(await pgQueries.listRunsWithoutDeadline(twin.postgres.db, 1_000))).toEqual(byRunId(all));
    const page = await pgQueries.listRunsWithoutDeadline(twin.postgres.db, 3);
    expect(page).toHaveLength(3);
    for (const row of page) expect(all).toContainEqual(row);
  });

  it("inserts, finds and updates deadlines, step for step as SQLite does", async () => {
    const story = async (store: {
      insert: (requestId: string, minute: number) => Promise<boolean>;
      find: (requestId: string) => Promise<sqliteSchema.ReviewDeadlineRow | undefined>;
      update: (requestId: string, changes: Parameters<typeof sqliteQueries.updateDeadline>[2]) => Promise<void>;
      without: () => Promise<Array<{ runId: string }>>;
    }) => {
      const steps: unknown[] = [];
      const runsWithout = (await store.without()).map((row) => row.runId).sort();
      steps.push(await store.insert("req-d", 10), await store.insert("req-d", 20), await store.find("req-d"));
      await store.update("req-d", { remindedAt: iso(30) });
      steps.push(await store.find("req-d"));
      await store.update("req-d", { escalatedAt: iso(40), escalatedTo: '["admin"]', remindedAt: null });
      await store.update("req-missing", { closedAt: iso(41) });
      steps.push(await store.find("req-d"), await store.find("req-missing"));
      await store.update("req-d", { expiredAt: iso(50), closedAt: iso(50) });
      steps.push(await store.find("req-d"));
      // a deadline for a run's pending request takes that run off the list
      const [first] = runsWithout;
      const { pendingRequestId } = seed().runs.find((run) => run.runId === first)!;
      steps.push(await store.insert(pendingRequestId!, 0));
      steps.push((await store.without()).map((row) => row.runId).sort(), runsWithout.length);
      for (const { pendingRequestId: requestId } of seed().runs) if (requestId) steps.push(await store.find(requestId));
      return steps;
    };
    const deadline = (requestId: string, minute: number) => ({
      requestId,
      runId: "run-d",
      askedAt: iso(minute),
      dueAt: iso(minute + 60),
    });
    const onSqlite = await story({
      insert: async (requestId, minute) => sqliteQueries.insertDeadline(twin.sqlite.db, deadline(requestId, minute)),
      find: async (requestId) => sqliteQueries.findDeadline(twin.sqlite.db, requestId),
      update: async (requestId, changes) => sqliteQueries.updateDeadline(twin.sqlite.db, requestId, changes),
      without: async () => sqliteQueries.listRunsWithoutDeadline(twin.sqlite.db, 1_000),
    });
    const onPostgres = await story({
      insert: (requestId, minute) => pgQueries.insertDeadline(twin.postgres.db, deadline(requestId, minute)),
      find: (requestId) => pgQueries.findDeadline(twin.postgres.db, requestId),
      update: (requestId, changes) => pgQueries.updateDeadline(twin.postgres.db, requestId, changes),
      without: () => pgQueries.listRunsWithoutDeadline(twin.postgres.db, 1_000),
    });
    expect(onSqlite.slice(0, 2)).toEqual([true, false]);
    expect(onSqlite[5]).toBeUndefined();
    expect(onSqlite[7]).toBe(true);
    expect(onPostgres).toEqual(onSqlite);
  });
});

describe("PostgreSQL review queries with concurrent writers", () => {
  it("gives policies appended at once from two pools (two processes) distinct versions, all saved", async () => {
    const [first, second] = [await openPool(5), await openPool(5)];
    for (const workflowName of ["wf-race-1", "wf-race-2"]) {
      const appended = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          pgQueries.appendPolicy((i % 2 ? first : second).db, policy(workflowName, i)),
        ),
      );
      expect(appended.map((row) => row.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await pgQueries.listPolicies(twin.postgres.db, workflowName)).map((row) => row.createdAt).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => iso(i)).sort(),
      );
    }
  });

  it("lets exactly one of two approvals racing for the last place from two pools complete, in each of 20 rounds", async () => {
    const [first, second] = [await openPool(2), await openPool(2)];
    for (let round = 0; round < 20; round++) {
      const runId = `run-race-${round}`;
      const requestId = `req-race-${round}`;
      await twin.postgres.db.insert(pgSchema.runs).values({
        runId,
        brief: "b",
        status: "awaiting_review",
        writer: "w",
        createdAt: iso(0),
        updatedAt: iso(0),
        pendingRequestId: requestId,
        requiredApprovals: 3,
      });
      await pgQueries.insertVote(twin.postgres.db, vote(runId, requestId, 0));
      const pending = { requestId, draftSha256: `sha-${requestId}`, editedFrom: null };
      const outcomes = await Promise.all(
        [first, second].map((connection, i) =>
          connection.db.transaction(async (tx) => {
            const outcome = await pgQueries.recordApprovalUnlessFinal(tx, {
              vote: vote(runId, requestId, i + 1),
              pending,
              required: 3,
            });
            // hold the transaction open: without the lock the other approval would count the same two
            await sleep(20);
            return outcome;
          }),
        ),
      );
      expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(["completes", "recorded"]);
      expect(outcomes).toContainEqual({ kind: "recorded", count: 2 });
      expect(outcomes).toContainEqual({ kind: "completes", count: 2 });
      expect(await pgQueries.listRunVotes(twin.postgres.db, runId)).toHaveLength(2);
    }
  });
});
