import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, startServer, type ServerProcess } from "./harness";

// Per-person limits over real HTTP: the API answers 429 with Retry-After (lib/services/action-limits.ts).

let server: ServerProcess;
const temp = makeTempDir();

beforeAll(async () => {
  server = await startServer({ dbFile: temp.file("limits.db"), env: { RATE_LIMIT_BRIEFS_PER_MINUTE: "3" } });
});
afterAll(async () => {
  await server.crash();
  temp.cleanup();
});

describe("rate limits against next start", () => {
  it("answers a person's fourth brief in a minute with 429 and Retry-After; another person is unaffected", async () => {
    for (let n = 1; n <= 3; n++)
      expect((await api(server.url, "POST", "/api/runs", { brief: `Pat's brief ${n}` }, server.as("Pat"))).status).toBe(
        201,
      );

    const refused = await fetch(`${server.url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", ...server.as("Pat") },
      body: JSON.stringify({ brief: "Pat's brief 4" }),
    });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toMatchObject({
      error: {
        code: "RATE_LIMITED",
        message: `Too many briefs: at most 3 a minute. Try again in ${retryAfter} s.`,
        details: { retryAfterSeconds: retryAfter },
      },
    });

    expect((await api(server.url, "POST", "/api/runs", { brief: "Ana's brief" }, server.as("Ana"))).status).toBe(201);
    const briefs = (
      await api<{ runs: Array<{ brief: string }> }>(server.url, "GET", "/api/runs?limit=10")
    ).body.runs.map((run) => run.brief);
    expect(briefs.sort()).toEqual(["Ana's brief", "Pat's brief 1", "Pat's brief 2", "Pat's brief 3"]);
  }, 60_000);
});
