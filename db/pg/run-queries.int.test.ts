import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "@/tests/support/postgres";
import { makeTempDir } from "@/tests/support/temp-database";
import { openDatabase, type DatabaseConnection } from "../client";
import * as sqliteQueries from "../run-queries";
import * as sqliteSchema from "../schema";
import { openPostgres, type PgConnection } from "./client";
import * as pgQueries from "./run-queries";
import * as pgSchema from "./schema";

// Each PostgreSQL query against its SQLite twin on the same rows: same results, same order.

let temp: ReturnType<typeof makeTempDir>;
let sqlite: DatabaseConnection;
let postgres: PgConnection;

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
  temp = makeTempDir();
  sqlite = openDatabase(temp.file("twin.db"));
  postgres = await openPostgres(await createTestDatabase(inject("postgresUrl"), "queries"), { max: 2 });
  const { runs, deadlines, votes, assignments } = seed();
  sqlite.db.insert(sqliteSchema.runs).values(runs).run();
  sqlite.db.insert(sqliteSchema.reviewDeadlines).values(deadlines).run();
  sqlite.db.insert(sqliteSchema.reviewVotes).values(votes).run();
  sqlite.db.insert(sqliteSchema.runAssignments).values(assignments).run();
  await postgres.db.insert(pgSchema.runs).values(runs);
  await postgres.db.insert(pgSchema.reviewDeadlines).values(deadlines);
  await postgres.db.insert(pgSchema.reviewVotes).values(votes);
  await postgres.db.insert(pgSchema.runAssignments).values(assignments);
});
afterAll(async () => {
  sqlite.close();
  await postgres.close();
  temp.cleanup();
});

describe("PostgreSQL run queries", () => {
  it.each<[string, { limit: number; assigneeId?: string }]>([
    ["the whole inbox", { limit: 1_000 }],
    ["a first page of it", { limit: 7 }],
    ["one person's assignments", { limit: 1_000, assigneeId: "user-1" }],
    ["nobody's", { limit: 1_000, assigneeId: "user-9" }],
  ])("lists %s as SQLite does", async (_label, params) => {
    const expected = sqliteQueries.listAwaitingReview(sqlite.db, params);
    if (params.assigneeId !== "user-9") expect(expected.length).toBeGreaterThan(0);
    expect(await pgQueries.listAwaitingReview(postgres.db, params)).toEqual(expected);
  });

  it("counts the pending draft's approvals and joins the assignees like SQLite", async () => {
    const rows = await pgQueries.listAwaitingReview(postgres.db, { limit: 1_000 });
    expect(rows.some((row) => row.approvalCount > 1)).toBe(true);
    expect(rows.some((row) => row.assigneeList?.includes("Zoë «reviewer»"))).toBe(true);
    expect(rows.some((row) => row.deadlineDueAt === null)).toBe(true);
  });
});
