import { beforeAll, describe, expect, it } from "vitest";
import * as sqliteQueries from "../run-queries";
import * as sqliteSchema from "../schema";
import * as pgQueries from "./run-queries";
import * as pgSchema from "./schema";
import { twinStores } from "../testing/twin-stores";

// Each PostgreSQL query against its SQLite twin on the same rows: same results, same order.

const twin = twinStores("queries", { max: 2 });

const iso = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 9, 0) + minutes * 60_000).toISOString();

/** 60 runs: most awaiting review (some due, some overdue, some with ties), others in every other status. */
function seed() {
  const statuses = ["awaiting_review", "awaiting_review", "awaiting_review", "running", "completed", "failed"] as const;
  const runs = Array.from({ length: 60 }, (_, i) => ({
    runId: `run-${String((i * 37) % 60).padStart(2, "0")}`,
    brief: `Brief ${i} — ünïcode, <b>html</b>`,
    submittedBy: i % 7 === 0 ? null : `Person ${i % 5}`,
    status: statuses[i % statuses.length]!,
    iteration: 1 + (i % 3),
    pendingRequestId: `req-${i}`,
    // ties on purpose: equal waits are ordered by run id
    pendingSince: iso(Math.floor(i / 4)),
    pendingDraftSha256: `sha-${i}`,
    pendingEditedFrom: i % 9 === 0 ? `req-${i - 1}` : null,
    draftPreview: `Draft ${i}`,
    writer: "Offline writer",
    createdAt: iso(i),
    updatedAt: iso(i + 1),
    requiredApprovals: 1 + (i % 2),
    // some running runs wait for a model slot (shown as queued), two of them since the same moment
    queuedAt: statuses[i % statuses.length] === "running" && i % 4 === 3 ? iso(Math.min(i, 20)) : null,
  }));
  const deadlines = runs
    .filter((_, i) => i % 4 !== 1)
    .map((run, i) => ({
      requestId: run.pendingRequestId,
      runId: run.runId,
      askedAt: run.pendingSince,
      dueAt: iso(30 - (i % 11) * 7),
      remindedAt: i % 3 === 0 ? iso(5) : null,
      escalatedAt: i % 5 === 0 ? iso(6) : null,
      escalatedTo: i % 5 === 0 ? "admins" : null,
    }));
  const votes = runs.flatMap((run, i) =>
    Array.from({ length: i % 3 }, (_, v) => ({
      runId: run.runId,
      requestId: i % 9 === 0 && v === 0 ? run.pendingEditedFrom! : run.pendingRequestId,
      kind: i % 9 === 0 && v === 0 ? ("edit" as const) : ("approve" as const),
      draftSha256: run.pendingDraftSha256,
      voterKey: `voter-${v}`,
      voterName: `Voter ${v}`,
      voterRole: "reviewer",
      voterMethod: "password",
      votedAt: iso(i),
    })),
  );
  const assignments = runs.flatMap((run, i) =>
    Array.from({ length: i % 4 === 0 ? 2 : 0 }, (_, a) => ({
      runId: run.runId,
      assigneeId: `user-${a}`,
      assigneeName: a === 0 ? "Rita" : "Zoë «reviewer»",
      assignedAt: iso(i),
      assignedByName: "Ada",
    })),
  );
  return { runs, deadlines, votes, assignments };
}

beforeAll(async () => {
  const { runs, deadlines, votes, assignments } = seed();
  await twin.seed([
    [sqliteSchema.runs, pgSchema.runs, runs],
    [sqliteSchema.reviewDeadlines, pgSchema.reviewDeadlines, deadlines],
    [sqliteSchema.reviewVotes, pgSchema.reviewVotes, votes],
    [sqliteSchema.runAssignments, pgSchema.runAssignments, assignments],
  ]);
});

describe("PostgreSQL run queries", () => {
  it.each<[string, { limit: number; assigneeId?: string }]>([
    ["the whole inbox", { limit: 1_000 }],
    ["a first page of it", { limit: 7 }],
    ["one person's assignments", { limit: 1_000, assigneeId: "user-1" }],
    ["nobody's", { limit: 1_000, assigneeId: "user-9" }],
  ])("lists %s as SQLite does", async (_label, params) => {
    const expected = sqliteQueries.listAwaitingReview(twin.sqlite.db, params);
    if (params.assigneeId !== "user-9") expect(expected.length).toBeGreaterThan(0);
    expect(await pgQueries.listAwaitingReview(twin.postgres.db, params)).toEqual(expected);
  });

  it("counts the pending draft's approvals and joins the assignees like SQLite", async () => {
    const rows = await pgQueries.listAwaitingReview(twin.postgres.db, { limit: 1_000 });
    expect(rows.some((row) => row.approvalCount > 1)).toBe(true);
    expect(rows.some((row) => row.assigneeList?.includes("Zoë «reviewer»"))).toBe(true);
    expect(rows.some((row) => row.deadlineDueAt === null)).toBe(true);
  });

  it("pages the runs list, by every status filter, as SQLite does", async () => {
    for (const status of [undefined, "queued", "running", "awaiting_review", "completed", "failed"] as const) {
      const first = sqliteQueries.listRunsPage(twin.sqlite.db, { status, limit: 7 });
      expect(await pgQueries.listRunsPage(twin.postgres.db, { status, limit: 7 })).toEqual(first);
      const last = first.at(-1);
      if (!last) continue;
      const after = { createdAt: last.createdAt, runId: last.runId };
      expect(await pgQueries.listRunsPage(twin.postgres.db, { status, limit: 100, after })).toEqual(
        sqliteQueries.listRunsPage(twin.sqlite.db, { status, limit: 100, after }),
      );
    }
  });

  it("finds a run, counts runs by status and places queued runs in line as SQLite does", async () => {
    expect(await pgQueries.findRun(twin.postgres.db, "run-07")).toEqual(
      sqliteQueries.findRun(twin.sqlite.db, "run-07"),
    );
    expect(await pgQueries.findRun(twin.postgres.db, "nope")).toBeUndefined();
    expect(await pgQueries.countRunsGroupedByStatus(twin.postgres.db)).toEqual(
      sqliteQueries.countRunsGroupedByStatus(twin.sqlite.db),
    );
    expect(await pgQueries.countRunsByStatus(twin.postgres.db, "awaiting_review")).toBe(
      sqliteQueries.countRunsByStatus(twin.sqlite.db, "awaiting_review"),
    );
    const queued = sqliteQueries.listRunsPage(twin.sqlite.db, { status: "queued", limit: 100 });
    expect(queued.length).toBeGreaterThan(2);
    for (const run of queued) {
      const position = { runId: run.runId, queuedAt: run.queuedAt! };
      expect(await pgQueries.queuePositionOf(twin.postgres.db, position)).toBe(
        sqliteQueries.queuePositionOf(twin.sqlite.db, position),
      );
    }
  });

  it("fences every write of an execution by its lease, step for step as on SQLite", async () => {
    // the same story on both stores; each step's outcome must agree
    const story = async (store: {
      acquire: (owner: string, now: number) => Promise<sqliteQueries.Lease | undefined>;
      renew: (lease: sqliteQueries.Lease) => Promise<boolean>;
      project: (lease: sqliteQueries.Lease) => Promise<boolean>;
      queue: (lease: sqliteQueries.Lease) => Promise<boolean>;
      fail: (lease: sqliteQueries.Lease) => Promise<boolean>;
      release: (lease: sqliteQueries.Lease) => Promise<void>;
      owner: () => Promise<string | null | undefined>;
    }) => {
      const steps: unknown[] = [];
      const a = await store.acquire("A", 1_000);
      steps.push(a?.token, await store.acquire("B", 1_500)); // A's lease runs to 11,000: B is refused
      steps.push(await store.renew(a!), await store.project(a!), await store.queue(a!));
      const b = await store.acquire("B", 40_000); // A renewed to 30,000, now expired: B takes over with a higher token
      steps.push(b?.token);
      // A stalled past its lease: nothing it writes lands
      steps.push(await store.renew(a!), await store.project(a!), await store.queue(a!), await store.fail(a!));
      await store.release(a!);
      steps.push(await store.owner(), await store.project(b!), await store.fail(b!));
      await store.release(b!);
      steps.push(await store.owner());
      return steps;
    };
    const head = {
      status: "awaiting_review" as const,
      headCheckpointId: "cp-9",
      updatedAt: iso(90),
      iteration: null,
      pendingRequestId: "req-x",
      pendingSince: iso(90),
      pendingDraftSha256: "sha-x",
      pendingEditedFrom: null,
      draftPreview: "x",
      publishedText: null,
    };
    const failure = { errorCode: "MODEL_ERROR", errorMessage: "down", errorDetail: null, updatedAt: iso(91) };
    const runId = "run-lease";
    const row = { runId, brief: "b", status: "running" as const, writer: "w", createdAt: iso(0), updatedAt: iso(0) };
    sqliteQueries.insertRun(twin.sqlite.db, row);
    await pgQueries.insertRun(twin.postgres.db, row);
    const onSqlite = await story({
      acquire: async (owner, now) =>
        sqliteQueries.acquireLease(twin.sqlite.db, { runId, owner, now, expiresAt: now + 10_000 }),
      renew: async (lease) => sqliteQueries.renewLease(twin.sqlite.db, lease, 30_000),
      project: async (lease) => sqliteQueries.projectRunHead(twin.sqlite.db, lease, head),
      queue: async (lease) => sqliteQueries.setRunQueued(twin.sqlite.db, lease, iso(92)),
      fail: async (lease) => sqliteQueries.recordRunFailure(twin.sqlite.db, lease, failure),
      release: async (lease) => sqliteQueries.releaseLease(twin.sqlite.db, lease),
      owner: async () => sqliteQueries.findRun(twin.sqlite.db, runId)?.leaseOwner,
    });
    const onPostgres = await story({
      acquire: (owner, now) => pgQueries.acquireLease(twin.postgres.db, { runId, owner, now, expiresAt: now + 10_000 }),
      renew: (lease) => pgQueries.renewLease(twin.postgres.db, lease, 30_000),
      project: (lease) => pgQueries.projectRunHead(twin.postgres.db, lease, head),
      queue: (lease) => pgQueries.setRunQueued(twin.postgres.db, lease, iso(92)),
      fail: (lease) => pgQueries.recordRunFailure(twin.postgres.db, lease, failure),
      release: (lease) => pgQueries.releaseLease(twin.postgres.db, lease),
      owner: async () => (await pgQueries.findRun(twin.postgres.db, runId))?.leaseOwner,
    });
    expect(onSqlite).toEqual([1, undefined, true, true, true, 2, false, false, false, false, "B", true, true, null]);
    expect(onPostgres).toEqual(onSqlite);
    expect(await pgQueries.findRun(twin.postgres.db, runId)).toEqual(sqliteQueries.findRun(twin.sqlite.db, runId));
  });
});
