import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, runCli, startServer, type ServerProcess } from "./harness";

const CLIENTS = 20;
const SECONDS = Number(process.env.LOAD_TEST_SECONDS ?? 30);

let server: ServerProcess;
const temp = makeTempDir();
const dbFile = temp.file("load.db");

beforeAll(async () => {
  server = await startServer({ dbFile });
});
afterAll(async () => {
  await server.crash();
  temp.cleanup();
});

describe("shared SQLite under load", () => {
  it(
    `serves ${CLIENTS} concurrent clients for ${SECONDS} s while the CLI writes to the same file, losing nothing`,
    async () => {
      const deadline = Date.now() + SECONDS * 1000;
      const sent = { runs: 0, answers: 0, cliRuns: 0, cliAnswers: 0 };
      const failures: string[] = [];

      async function client(id: number) {
        for (let round = 0; Date.now() < deadline; round++) {
          const created = await api<{ runId: string }>(
            server.url,
            "POST",
            "/api/runs",
            { brief: `Load client ${id} round ${round}` },
            server.as("Pat"),
          );
          if (created.status !== 201) {
            failures.push(`POST /api/runs ${created.status} ${JSON.stringify(created.body)}`);
            continue;
          }
          sent.runs++;
          let requestId: string | undefined;
          while (!requestId && Date.now() < deadline + 30_000) {
            const run = await api<{ status: string; pendingRequests: Array<{ requestId: string }> }>(
              server.url,
              "GET",
              `/api/runs/${created.body.runId}`,
            );
            if (run.status !== 200) failures.push(`GET run ${run.status}`);
            requestId = run.body.pendingRequests?.[0]?.requestId;
            if (!requestId) await new Promise((resolve) => setTimeout(resolve, 50));
          }
          if (!requestId) {
            failures.push(`run ${created.body.runId} never paused`);
            continue;
          }
          const answered = await api(
            server.url,
            "POST",
            `/api/runs/${created.body.runId}/responses`,
            { responses: { [requestId]: "approve" } },
            server.as(id % 2 === 0 ? "Rita" : "Ana"),
          );
          if (answered.status === 202) sent.answers++;
          else failures.push(`POST responses ${answered.status} ${JSON.stringify(answered.body)}`);
        }
      }

      async function cli() {
        while (Date.now() < deadline) {
          const result = await runCli(["run", `CLI brief at ${Date.now()}`], { dbFile, input: "approve\n" });
          if (result.code === 0) {
            sent.cliRuns++;
            sent.cliAnswers++;
          } else {
            failures.push(`cli exit ${result.code}: ${result.stderr.slice(0, 300)}`);
          }
        }
      }

      await Promise.all([...Array.from({ length: CLIENTS }, (_, i) => client(i)), cli()]);
      // let the last approvals finish publishing
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      const db = new Database(dbFile, { readonly: true });
      const storedRuns = (db.prepare("select count(*) as n from runs").get() as { n: number }).n;
      const storedAnswers = (db.prepare("select count(*) as n from request_responses").get() as { n: number }).n;
      db.close();
      const busy = (server.output().match(/SQLITE_BUSY/g) ?? []).length;
      console.info(
        `load: ${CLIENTS} clients x ${SECONDS} s: runs sent ${sent.runs} + CLI ${sent.cliRuns}, stored ${storedRuns}; ` +
          `answers sent ${sent.answers} + CLI ${sent.cliAnswers}, stored ${storedAnswers}; SQLITE_BUSY ${busy}; failures ${failures.length}`,
      );
      expect(failures).toEqual([]);
      expect(busy).toBe(0);
      expect(storedRuns).toBe(sent.runs + sent.cliRuns);
      expect(storedAnswers).toBe(sent.answers + sent.cliAnswers);
      expect(sent.runs).toBeGreaterThan(CLIENTS);
      expect(sent.cliRuns).toBeGreaterThan(0);
    },
    (SECONDS + 120) * 1000,
  );
});
