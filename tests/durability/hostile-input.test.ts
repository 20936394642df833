import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, signIn, startServer, waitForStatus, type ServerProcess } from "./harness";

let server: ServerProcess;
const temp = makeTempDir();
const dbFile = temp.file("hostile.db");

beforeAll(async () => {
  server = await startServer({ dbFile }); // offline writer
});
afterAll(async () => {
  await server.crash();
  temp.cleanup();
});

function noStack(body: unknown) {
  expect(JSON.stringify(body)).not.toMatch(/\n[ \t]+at |\.ts:\d+|node_modules/);
}

async function pausedRun(brief = "A brief for hostile input tests") {
  const { body } = await api<{ runId: string }>(server.url, "POST", "/api/runs", { brief });
  return waitForStatus(server.url, body.runId, "awaiting_review");
}

describe("hostile and broken input against next start", () => {
  it("refuses bad briefs and malformed bodies with clear 4xx errors and stays up", async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ brief: "" }, 422, "VALIDATION_FAILED"],
      [{ brief: " \n\t " }, 422, "VALIDATION_FAILED"],
      [{ brief: "x".repeat(20_001) }, 422, "VALIDATION_FAILED"],
      [{ brief: "\u0000\u0001\u0002binary" }, 422, "VALIDATION_FAILED"],
      ["{not json", 400, "BAD_REQUEST"],
    ];
    for (const [body, status, code] of cases) {
      const response = await api<{ error: { code: string; message: string } }>(server.url, "POST", "/api/runs", body);
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
      expect(response.body.error.message.length).toBeGreaterThan(10);
      noStack(response.body);
    }
    expect((await api(server.url, "GET", "/api/health")).status).toBe(200);
  });

  it("answers unknown run, request and checkpoint ids with 404s", async () => {
    const run = await pausedRun();
    const checks = await Promise.all([
      api(server.url, "GET", "/api/runs/no-such-run"),
      api(server.url, "POST", "/api/runs/no-such-run/responses", { responses: { x: "approve" } }, server.as("Rita")),
      api(
        server.url,
        "POST",
        `/api/runs/${run.runId}/responses`,
        { responses: { "no-such-request": "approve" } },
        server.as("Rita"),
      ),
      api(server.url, "GET", "/api/checkpoints/no-such-checkpoint"),
      api(server.url, "POST", "/api/checkpoints/no-such-checkpoint/resume", {}),
    ]);
    expect(checks.map((check) => check.status)).toEqual([404, 404, 404, 404, 404]);
    checks.forEach((check) => noStack(check.body));
  });

  it("reports a checkpoint corrupted on disk and one from a changed graph clearly, affecting nothing else", async () => {
    const victim = await pausedRun("Victim run");
    const bystander = await pausedRun("Bystander run");
    const checkpointId = victim.pendingRequests[0]!.checkpointId;
    const db = new Database(dbFile);
    const headerOnly = db
      .prepare("select checkpoint_id from checkpoints where run_id = ? and kind = 'initial'")
      .get(victim.runId) as { checkpoint_id: string };
    db.prepare('update checkpoints set body = \'{"schemaVersion": 1, "messages": [\' where checkpoint_id = ?').run(
      checkpointId,
    );
    const initial = db
      .prepare("select body from checkpoints where checkpoint_id = ?")
      .get(headerOnly.checkpoint_id) as { body: string };
    const changed = JSON.parse(initial.body) as { graphSignature: string };
    changed.graphSignature = "0".repeat(32);
    db.prepare("update checkpoints set body = ? where checkpoint_id = ?").run(
      JSON.stringify(changed),
      headerOnly.checkpoint_id,
    );
    db.close();

    const corrupt = await api<{ error: { code: string; message: string } }>(
      server.url,
      "GET",
      `/api/checkpoints/${checkpointId}`,
    );
    expect(corrupt.status).toBe(422);
    expect(corrupt.body.error.code).toBe("CHECKPOINT_CORRUPT");
    expect(corrupt.body.error.message).toContain(checkpointId);
    const answer = await api<{ error: { code: string } }>(
      server.url,
      "POST",
      `/api/runs/${victim.runId}/responses`,
      { responses: { [victim.pendingRequests[0]!.requestId]: "approve" } },
      server.as("Rita"),
    );
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("CHECKPOINT_CORRUPT");
    const incompatible = await api<{ error: { code: string } }>(
      server.url,
      "POST",
      `/api/checkpoints/${headerOnly.checkpoint_id}/resume`,
      {},
    );
    expect(incompatible.status).toBe(422);
    expect(incompatible.body.error.code).toBe("CHECKPOINT_INCOMPATIBLE");
    const page = await fetch(`${server.url}/runs/${victim.runId}`, {
      headers: { cookie: await signIn(server.url, server.people.Ada) },
    });
    expect(page.status).toBeLessThan(500);
    expect(page.url).toBe(`${server.url}/runs/${victim.runId}`);

    // the bystander is untouched and the server is up
    const ok = await api(
      server.url,
      "POST",
      `/api/runs/${bystander.runId}/responses`,
      { responses: { [bystander.pendingRequests[0]!.requestId]: "approve" } },
      server.as("Rita"),
    );
    expect(ok.status).toBe(202);
    await waitForStatus(server.url, bystander.runId, "completed");
  });

  it("keeps HTML and script from a brief inert in API responses and pages", async () => {
    const brief = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> Launch notes`;
    const run = await pausedRun(brief);
    expect(run.brief).toContain("<script>");
    const cookie = await signIn(server.url, server.people.Rita);
    for (const path of [`/runs/${run.runId}`, "/runs", "/reviews"]) {
      const page = await fetch(`${server.url}${path}`, { headers: { cookie } });
      expect(page.url, "rendered signed in, not redirected to sign-in").toBe(`${server.url}${path}`);
      const html = await page.text();
      expect(html).toContain("Launch notes");
      expect(html).not.toContain("<script>window.__pwned=1</script>");
      expect(html).not.toMatch(/<img[^>]*onerror="window.__pwned=1"/);
    }
  });

  it("refuses cookie-authenticated changes from a foreign origin or without one; an API key needs no origin", async () => {
    const cookie = await signIn(server.url, server.people.Pat);
    const foreign = await api<{ error: { code: string } }>(
      server.url,
      "POST",
      "/api/runs",
      { brief: "From elsewhere" },
      { cookie, origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("FORBIDDEN_ORIGIN");
    const noOrigin = await api<{ error: { code: string } }>(
      server.url,
      "POST",
      "/api/runs",
      { brief: "From nowhere" },
      { cookie },
    );
    expect(noOrigin.status).toBe(403);
    const same = await api(server.url, "POST", "/api/runs", { brief: "From here" }, { cookie, origin: server.url });
    expect(same.status).toBe(201);
    const script = await api(
      server.url,
      "POST",
      "/api/runs",
      { brief: "From a script" },
      { ...server.as("Pat"), origin: "https://evil.example" },
    );
    expect(script.status).toBe(201);
  });
});
