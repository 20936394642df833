import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import {
  api,
  freshDatabase,
  queryRows,
  runCli,
  startServer,
  STORES,
  waitFor,
  waitForStatus,
  type ServerProcess,
  type StoreKind,
} from "./harness";

let server: ServerProcess;
const temp = makeTempDir();
const dbFile = temp.file("concurrency.db");

beforeAll(async () => {
  server = await startServer({ dbFile }); // offline writer at zero latency
});
afterAll(async () => {
  await server.crash();
  temp.cleanup();
});

interface ErrorBody {
  error: { code: string; message: string; details?: { answeredBy?: string } };
}

describe("two reviewers at once", () => {
  it("applies exactly one of two concurrent answers in each of 100 rounds and names the winner to the loser", async () => {
    const { body } = await api<{ runId: string }>(server.url, "POST", "/api/runs", { brief: "Concurrency rounds" });
    let run = await waitForStatus(server.url, body.runId, "awaiting_review");
    const rounds = 100;
    let conflicts = 0;
    for (let round = 1; round <= rounds; round++) {
      const requestId = run.pendingRequests[0]!.requestId;
      const [a, b] = await Promise.all([
        api<ErrorBody>(
          server.url,
          "POST",
          `/api/runs/${body.runId}/responses`,
          { responses: { [requestId]: `Round ${round}: guidance from ana` } },
          server.as("Ana"),
        ),
        api<ErrorBody>(
          server.url,
          "POST",
          `/api/runs/${body.runId}/responses`,
          { responses: { [requestId]: `Round ${round}: guidance from ben` } },
          server.as("Ben"),
        ),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([202, 409]);
      const loser = a.status === 409 ? a : b;
      const winnerName = a.status === 202 ? "Ana" : "Ben";
      expect(loser.body.error.code).toBe("REQUEST_ALREADY_ANSWERED");
      expect(loser.body.error.message).toContain(`by ${winnerName}`);
      conflicts++;
      run = await waitFor(`round ${round} to pause again`, async () => {
        const next = await api<typeof run>(server.url, "GET", `/api/runs/${body.runId}`);
        return next.body.status === "awaiting_review" && next.body.iteration === round + 1 ? next.body : undefined;
      });
    }
    expect(conflicts).toBe(rounds);
    const db = new Database(dbFile, { readonly: true });
    const answers = db
      .prepare("select count(*) as n, count(distinct request_id) as d from request_responses where run_id = ?")
      .get(body.runId) as { n: number; d: number };
    db.close();
    expect(answers).toEqual({ n: rounds, d: rounds });
    console.info(`concurrent reviewers: ${rounds} rounds, ${rounds} answers applied, ${conflicts} refused with 409`);
  }, 180_000);

  it("does the same across processes: the API and the CLI answering one request on one database file", async () => {
    const rounds = 5;
    let applied = 0;
    for (let round = 1; round <= rounds; round++) {
      const { body } = await api<{ runId: string }>(server.url, "POST", "/api/runs", {
        brief: `Cross-process round ${round}`,
      });
      const run = await waitForStatus(server.url, body.runId, "awaiting_review");
      const request = run.pendingRequests[0]!;
      const [viaApi, viaCli] = await Promise.all([
        api<ErrorBody>(
          server.url,
          "POST",
          `/api/runs/${body.runId}/responses`,
          { responses: { [request.requestId]: "Guidance via the API" } },
          server.as("Rita"),
        ),
        runCli(
          [
            "resume",
            request.checkpointId,
            "--respond",
            `${request.requestId}=approve`,
            "--as",
            server.people.Ben.email,
            "--no-input",
          ],
          { dbFile },
        ),
      ]);
      const apiWon = viaApi.status === 202;
      const cliWon = viaCli.code === 0 || viaCli.code === 2;
      expect([apiWon, cliWon].filter(Boolean)).toHaveLength(1);
      if (apiWon) expect(viaCli.stderr).toMatch(/already answered by Rita/);
      else expect(viaApi.body.error.message).toMatch(/already answered by Ben/);
      applied++;
      const db = new Database(dbFile, { readonly: true });
      const n = (
        db.prepare("select count(*) as n from request_responses where request_id = ?").get(request.requestId) as {
          n: number;
        }
      ).n;
      db.close();
      expect(n).toBe(1);
    }
    expect(applied).toBe(rounds);
  }, 180_000);
});

/** Fewer rounds on PostgreSQL, whose per-test setup costs more; each round is a fresh race either way. */
const ROUNDS: Record<StoreKind, number> = { sqlite: 100, postgres: 30 };

describe.each(STORES)("two server processes on one %s database", (store) => {
  it(`applies exactly one of two answers racing from two server processes in each of ${ROUNDS[store]} rounds`, async () => {
    // the in-process lock cannot decide here: only the store's exclusive check, in one transaction, can
    const database = await freshDatabase(store, "two-servers.db", temp);
    const server = await startServer({ dbFile: database });
    const other = await startServer({ dbFile: database });
    try {
      const { body } = await api<{ runId: string }>(server.url, "POST", "/api/runs", {
        brief: "Two servers, one request",
      });
      let run = await waitForStatus(server.url, body.runId, "awaiting_review");
      const rounds = ROUNDS[store];
      const wins = { first: 0, second: 0 };
      for (let round = 1; round <= rounds; round++) {
        const requestId = run.pendingRequests[0]!.requestId;
        const [a, b] = await Promise.all(
          (
            [
              [server, "Ana"],
              [other, "Ben"],
            ] as const
          ).map(([target, name]) =>
            api<ErrorBody>(
              target.url,
              "POST",
              `/api/runs/${body.runId}/responses`,
              { responses: { [requestId]: `Round ${round}: guidance from ${name}` } },
              target.as(name),
            ),
          ),
        );
        expect([a!.status, b!.status].sort()).toEqual([202, 409]);
        const loser = a!.status === 409 ? a! : b!;
        expect(loser.body.error.code).toBe("REQUEST_ALREADY_ANSWERED");
        expect(loser.body.error.message).toContain(`by ${a!.status === 202 ? "Ana" : "Ben"}`);
        wins[a!.status === 202 ? "first" : "second"]++;
        run = await waitFor(`round ${round} to pause again`, async () => {
          const next = await api<typeof run>(other.url, "GET", `/api/runs/${body.runId}`);
          return next.body.status === "awaiting_review" && next.body.iteration === round + 1 ? next.body : undefined;
        });
      }
      const [answers] = await queryRows(
        database,
        `select cast(count(*) as integer) as "n", cast(count(distinct request_id) as integer) as "d" from request_responses where run_id = ?`,
        body.runId,
      );
      const [children] = await queryRows(
        database,
        `select cast(count(*) as integer) as "n" from (select parent_id from checkpoints where run_id = ? and parent_id is not null group by parent_id having count(*) > 1) as siblings`,
        body.runId,
      );
      expect(answers).toEqual({ n: rounds, d: rounds });
      expect(children).toEqual({ n: 0 });
      console.info(
        `two servers racing on ${store}: ${rounds} rounds, ${rounds} answers applied, wins ${wins.first} / ${wins.second}`,
      );
    } finally {
      await Promise.all([server.crash(), other.crash()]);
    }
  }, 300_000);
});
