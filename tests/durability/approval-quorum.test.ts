import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, startServer, waitForStatus, type ServerProcess } from "./harness";

// Two approvals racing for the last place of a quorum, from two `next start` processes on one database file:
// exactly one applies the answer (one publish), and both approvals are recorded.

let first: ServerProcess;
let second: ServerProcess;
const temp = makeTempDir();
const dbFile = temp.file("quorum.db");

beforeAll(async () => {
  first = await startServer({ dbFile });
  second = await startServer({ dbFile });
});
afterAll(async () => {
  await Promise.all([first.crash(), second.crash()]);
  temp.cleanup();
});

interface AnswerBody {
  status: string;
  approvals: { count: number; required: number } | null;
}

describe("a quorum of two across two server processes", () => {
  it("publishes once when two reviewers approve the same draft at the same moment, in each of 20 rounds, and records both", async () => {
    expect((await api(first.url, "PUT", "/api/review-policy", { requiredApprovals: 2 })).status).toBe(200);
    const rounds = 20;
    for (let round = 1; round <= rounds; round++) {
      const created = await api<{ runId: string }>(
        first.url,
        "POST",
        "/api/runs",
        { brief: `Quorum race ${round}` },
        first.as("Pat"),
      );
      const run = await waitForStatus(first.url, created.body.runId, "awaiting_review");
      const request = run.pendingRequests[0]!;
      const [a, b] = await Promise.all(
        (
          [
            [first, "Ana"],
            [second, "Ben"],
          ] as const
        ).map(([target, name]) =>
          api<AnswerBody>(
            target.url,
            "POST",
            `/api/runs/${run.runId}/responses`,
            { responses: { [request.requestId]: { decision: "approve" } } },
            target.as(name),
          ),
        ),
      );
      expect([a!.status, b!.status], `round ${round}: ${JSON.stringify([a!.body, b!.body])}`).toEqual([202, 202]);
      expect([a!.body.status, b!.body.status].sort()).toEqual(["awaiting_review", "running"]);
      const done = await waitForStatus(second.url, run.runId, "completed");
      expect(done.publishedText).toBe(request.draft);
    }
    const db = new Database(dbFile, { readonly: true });
    const publications = db
      .prepare("select count(*) as n, count(distinct run_id) as runs from run_publications")
      .get() as { n: number; runs: number };
    const votes = db
      .prepare("select count(*) as n, sum(checkpoint_id is not null) as applied from review_votes")
      .get() as { n: number; applied: number };
    const answers = db.prepare("select count(*) as n from request_responses").get() as { n: number };
    const audit = db
      .prepare(
        "select action, count(*) as n from run_audit where action in ('approved', 'answered') group by action order by action",
      )
      .all();
    db.close();
    expect(publications).toEqual({ n: rounds, runs: rounds });
    expect(votes).toEqual({ n: 2 * rounds, applied: rounds });
    expect(answers.n).toBe(rounds);
    expect(audit).toEqual([
      { action: "answered", n: rounds },
      { action: "approved", n: rounds },
    ]);
  }, 240_000);
});
