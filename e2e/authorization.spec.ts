import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { seedPeople } from "../tests/support/seed-people";
import { e2eDatabaseFile, runCli } from "./fixtures/database";
import { answerOverHttp, signInOverHttp, submitBrief, waitForRun } from "./fixtures/draftgate";
import { member } from "./fixtures/people";
import { appUrl, expect, newAppClient, test } from "./fixtures/test";

// Who may call what, over HTTP: every API route file under app/api x {anonymous, author, reviewer, admin,
// deactivated}, with real ids so each answer means something. Roles call with their API keys; anonymous calls
// carry no credential (a POST carries this server's Origin, as a page would); "deactivated" is a reviewer's key
// after the CLI deactivated them. A route file, or a method, without a row here fails the first test.

const CALLERS = ["anonymous", "author", "reviewer", "admin", "deactivated"] as const;
type Caller = (typeof CALLERS)[number];
type Expected = Record<Caller, string>;

const apiDir = path.resolve(import.meta.dirname, "../app/api");

/** Every route.ts under app/api with the methods it exports, as `GET /api/runs/:runId` (as lib/http/api-routes.test.ts reads them). */
function discoverRoutes(dir = apiDir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return discoverRoutes(full);
    if (entry.name !== "route.ts") return [];
    const segments = path.relative(apiDir, dir).split(path.sep).filter(Boolean);
    const apiPath = ["/api", ...segments.map((segment) => segment.replace(/^\[(.+)\]$/, ":$1"))].join("/");
    const methods = [
      ...fs.readFileSync(full, "utf8").matchAll(/^export (?:async )?function (GET|POST|PUT|PATCH|DELETE)\b/gm),
    ].map((match) => match[1]);
    return methods.map((method) => `${method} ${apiPath}`);
  });
}

/** The same answer for everyone with a live account, and 401 for the others. */
function signedInOnly(status: string): Expected {
  return {
    anonymous: "401 UNAUTHENTICATED",
    author: status,
    reviewer: status,
    admin: status,
    deactivated: "401 UNAUTHENTICATED",
  };
}

interface Row {
  /** As discovered: `POST /api/runs/:runId/responses`. */
  route: string;
  /** What the call does, for the test title. */
  what: string;
  /** Builds the request for one caller; called per caller, so a state-changing call gets fresh state each time. */
  request: (caller: Caller) => Promise<{ path: string; body?: unknown }>;
  expected: Expected;
}

let keys: Record<Exclude<Caller, "anonymous">, string>;
/** Ana's user id: whom the assignment rows assign. */
let anaId: string;
let pat: APIRequestContext;
let rita: APIRequestContext;
/** Pat's run, paused for review of draft 1: its id, checkpoint and request. */
let paused: { runId: string; checkpointId: string; requestId: string };
/** What Dee's key and session could open before and after the CLI deactivated them. */
let deactivation: { before: number[]; after: number[] };

async function freshPausedRun(): Promise<{ runId: string; checkpointId: string; requestId: string }> {
  const runId = await submitBrief(
    pat,
    "Announce the permissions table, mention every route, invite admins to read it.",
  );
  const run = await waitForRun(pat, runId, "awaiting_review", 1);
  return { runId, checkpointId: run.pendingRequests[0]!.checkpointId, requestId: run.pendingRequests[0]!.requestId };
}

const rows: Row[] = [
  {
    route: "GET /api/health",
    what: "the liveness probe is open to everyone",
    request: async () => ({ path: "/api/health" }),
    expected: { anonymous: "200", author: "200", reviewer: "200", admin: "200", deactivated: "200" },
  },
  {
    route: "GET /api/ready",
    what: "the readiness probe is open to everyone",
    request: async () => ({ path: "/api/ready" }),
    expected: { anonymous: "200", author: "200", reviewer: "200", admin: "200", deactivated: "200" },
  },
  {
    route: "GET /api/auth/:...all",
    what: "the sign-in library's session read is open to everyone (API keys are not sessions)",
    request: async () => ({ path: "/api/auth/get-session" }),
    expected: { anonymous: "200", author: "200", reviewer: "200", admin: "200", deactivated: "200" },
  },
  {
    route: "POST /api/auth/:...all",
    what: "the library's own sign-up is closed to everyone (accounts come from setup, invitations and the CLI)",
    request: async () => ({
      path: "/api/auth/sign-up/email",
      body: { email: "walk-in@example.com", password: "Lantern-Quartz-Meadow-19", name: "Walk In" },
    }),
    expected: { anonymous: "404", author: "404", reviewer: "404", admin: "404", deactivated: "404" },
  },
  {
    route: "GET /api/reviews",
    what: "the inbox",
    request: async () => ({ path: "/api/reviews" }),
    expected: signedInOnly("200"),
  },
  {
    route: "GET /api/reviewers",
    what: "whom runs can be assigned to (reviewers and admins assign)",
    request: async () => ({ path: "/api/reviewers" }),
    expected: {
      anonymous: "401 UNAUTHENTICATED",
      author: "403 FORBIDDEN",
      reviewer: "200",
      admin: "200",
      deactivated: "401 UNAUTHENTICATED",
    },
  },
  {
    route: "GET /api/review-policy",
    what: "the approval policy",
    request: async () => ({ path: "/api/review-policy" }),
    expected: signedInOnly("200"),
  },
  {
    route: "PUT /api/review-policy",
    what: "saving the approval policy (admins only; saved as one approval, the suite's default)",
    request: async () => ({ path: "/api/review-policy", body: { requiredApprovals: 1 } }),
    expected: {
      anonymous: "401 UNAUTHENTICATED",
      author: "403 FORBIDDEN",
      reviewer: "403 FORBIDDEN",
      admin: "200",
      deactivated: "401 UNAUTHENTICATED",
    },
  },
  {
    route: "POST /api/runs/:runId/assignees",
    what: "assigning Ana to a paused run (reviewers and admins assign)",
    request: async () => ({ path: `/api/runs/${paused.runId}/assignees`, body: { userId: anaId } }),
    expected: {
      anonymous: "401 UNAUTHENTICATED",
      author: "403 FORBIDDEN",
      reviewer: "200",
      admin: "200",
      deactivated: "401 UNAUTHENTICATED",
    },
  },
  {
    route: "DELETE /api/runs/:runId/assignees/:userId",
    what: "taking Ana off a paused run (reviewers and admins)",
    request: async () => ({ path: `/api/runs/${paused.runId}/assignees/${encodeURIComponent(anaId)}` }),
    expected: {
      anonymous: "401 UNAUTHENTICATED",
      author: "403 FORBIDDEN",
      reviewer: "200",
      admin: "200",
      deactivated: "401 UNAUTHENTICATED",
    },
  },
  {
    route: "GET /api/reviews/count",
    what: "the inbox count",
    request: async () => ({ path: "/api/reviews/count" }),
    expected: signedInOnly("200"),
  },
  {
    route: "GET /api/runs",
    what: "the runs list",
    request: async () => ({ path: "/api/runs?limit=5" }),
    expected: signedInOnly("200"),
  },
  {
    route: "POST /api/runs",
    what: "submitting a brief",
    request: async () => ({ path: "/api/runs", body: { brief: "Announce the authorization table run." } }),
    expected: signedInOnly("201"),
  },
  {
    route: "GET /api/runs/:runId",
    what: "a paused run",
    request: async () => ({ path: `/api/runs/${paused.runId}` }),
    expected: signedInOnly("200"),
  },
  {
    route: "GET /api/runs/:runId/checkpoints",
    what: "a paused run's checkpoints",
    request: async () => ({ path: `/api/runs/${paused.runId}/checkpoints` }),
    expected: signedInOnly("200"),
  },
  {
    route: "GET /api/runs/:runId/events",
    what: "a paused run's live events",
    request: async () => ({ path: `/api/runs/${paused.runId}/events` }),
    expected: signedInOnly("200"),
  },
  {
    route: "GET /api/checkpoints/:checkpointId",
    what: "a paused run's review checkpoint",
    request: async () => ({ path: `/api/checkpoints/${paused.checkpointId}` }),
    expected: signedInOnly("200"),
  },
  {
    route: "POST /api/runs/:runId/responses",
    what: "approving the draft of a fresh run Pat submitted (reviewers and admins answer)",
    request: async () => {
      const run = await freshPausedRun();
      return { path: `/api/runs/${run.runId}/responses`, body: { responses: { [run.requestId]: "approve" } } };
    },
    expected: {
      anonymous: "401 UNAUTHENTICATED",
      author: "403 FORBIDDEN",
      reviewer: "202",
      admin: "202",
      deactivated: "401 UNAUTHENTICATED",
    },
  },
  {
    route: "POST /api/runs/:runId/retry",
    what: "retrying Pat's paused run (its submitter and admins may retry, and are told only a failed run can be)",
    request: async () => ({ path: `/api/runs/${paused.runId}/retry` }),
    expected: {
      anonymous: "401 UNAUTHENTICATED",
      author: "409 RUN_BUSY",
      reviewer: "403 FORBIDDEN",
      admin: "409 RUN_BUSY",
      deactivated: "401 UNAUTHENTICATED",
    },
  },
  {
    route: "POST /api/checkpoints/:checkpointId/resume",
    what: "branching from an older checkpoint of a fresh run with an approval (admins only)",
    request: async () => {
      const run = await freshPausedRun();
      await answerOverHttp(rita, await waitForRun(pat, run.runId, "awaiting_review", 1), "Make it shorter.");
      await waitForRun(pat, run.runId, "awaiting_review", 2);
      return {
        path: `/api/checkpoints/${run.checkpointId}/resume`,
        body: { responses: { [run.requestId]: "approve" }, branch: true },
      };
    },
    expected: {
      anonymous: "401 UNAUTHENTICATED",
      author: "403 FORBIDDEN",
      reviewer: "403 FORBIDDEN",
      admin: "202",
      deactivated: "401 UNAUTHENTICATED",
    },
  },
];

/** Sends one call as `caller` and answers "<status>" or "<status> <error code>". */
async function callAs(caller: Caller, method: string, request: { path: string; body?: unknown }): Promise<string> {
  const headers: Record<string, string> = {};
  if (caller !== "anonymous") headers.Authorization = `Bearer ${keys[caller]}`;
  const hasBody = method === "POST" || method === "PUT";
  if (hasBody) headers["Content-Type"] = "application/json";
  if (method !== "GET" && caller === "anonymous") headers.Origin = appUrl(); // as a page of this server would send it
  const response = await fetch(`${appUrl()}${request.path}`, {
    method,
    headers,
    ...(hasBody ? { body: JSON.stringify(request.body ?? {}) } : {}),
  });
  if (response.status < 400) {
    await response.body?.cancel(); // the events stream never ends by itself
    return String(response.status);
  }
  const text = await response.text();
  let code = "";
  try {
    code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code as string;
  } catch {
    // not JSON: the status says it all
  }
  return typeof code === "string" && code ? `${response.status} ${code}` : String(response.status);
}

test.describe("authorization of every API route", () => {
  test.beforeAll(async ({ apiAs, playwright }) => {
    [pat, rita] = [await apiAs("Pat"), await apiAs("Rita")];
    paused = await freshPausedRun();

    // Dee, a reviewer with a key and a session, is deactivated through the CLI.
    const dee = (await seedPeople(e2eDatabaseFile(), [{ name: "Dee", role: "reviewer", email: "dee@example.com" }]))
      .Dee!;
    const byKey = await newAppClient(playwright, { apiKey: dee.apiKey });
    const bySession = await newAppClient(playwright);
    await signInOverHttp(bySession, appUrl(), dee);
    const opens = async () => [
      (await byKey.get("/api/reviews/count")).status(),
      (await bySession.get("/api/reviews/count")).status(),
    ];
    const before = await opens();
    runCli(["user", "deactivate", dee.email]);
    deactivation = { before, after: await opens() };
    await byKey.dispose();
    await bySession.dispose();

    keys = {
      author: member("Pat").apiKey,
      reviewer: member("Rita").apiKey,
      admin: member("Avery").apiKey,
      deactivated: dee.apiKey,
    };
    const reviewers = (await (await apiAs("Avery")).get("/api/reviewers").then((response) => response.json())) as {
      reviewers: Array<{ userId: string; name: string }>;
    };
    anaId = reviewers.reviewers.find((reviewer) => reviewer.name === "Ana")!.userId;
  });

  test("the table has a row for every route file and method under app/api, and no other", () => {
    expect(rows.map((row) => row.route).sort()).toEqual(discoverRoutes().sort());
  });

  test("deactivating someone (CLI `user deactivate`) stops their API key and ends their session at once", () => {
    expect(deactivation).toEqual({ before: [200, 200], after: [401, 401] });
  });

  for (const row of rows) {
    test(`${row.route}: ${row.what}`, async () => {
      const method = row.route.split(" ")[0]!;
      const actual = {} as Expected;
      for (const caller of CALLERS) actual[caller] = await callAs(caller, method, await row.request(caller));
      expect(actual).toEqual(row.expected);
    });
  }
});

test.describe("requests without a credential, or with a borrowed cookie", () => {
  test("a cookie-authenticated POST needs this server's Origin: none or a foreign one is refused with FORBIDDEN_ORIGIN", async ({
    sessionApiAs,
  }) => {
    const session = await sessionApiAs("Rita");
    const brief = { brief: "Announce the origin check, mention cookies, invite nobody." };
    const origins: Array<Record<string, string>> = [
      {},
      { Origin: "https://evil.example" },
      { Origin: `http://localhost:${Number(process.env.E2E_PORT) + 1}` },
    ];
    for (const headers of origins) {
      const refused = await session.post("/api/runs", { headers, data: brief });
      expect(refused.status(), JSON.stringify(headers)).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN_ORIGIN");
    }
    const allowed = await session.post("/api/runs", { headers: { Origin: appUrl() }, data: brief });
    expect(allowed.status(), await allowed.text()).toBe(201);
  });

  test("a state-changing call without any credential is answered 401 UNAUTHENTICATED, whether or not it names an Origin", async ({
    anonymousApi,
  }) => {
    // ids that need not exist: nothing should be looked up for a caller nobody signed in
    const id = "00000000-0000-4000-8000-000000000000";
    const paths = ["/api/runs", `/api/runs/${id}/responses`, `/api/runs/${id}/retry`, `/api/checkpoints/${id}/resume`];
    const answers: Record<string, string> = {};
    for (const path of paths) {
      for (const origin of [undefined, appUrl()]) {
        const headers: Record<string, string> = origin ? { Origin: origin } : {};
        const response = await anonymousApi.post(path, { headers, data: {} });
        const code = ((await response.json()) as { error?: { code?: string } }).error?.code;
        answers[`${path}${origin ? " (same Origin)" : " (no Origin)"}`] = `${response.status()} ${code}`;
      }
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((key) => [key, "401 UNAUTHENTICATED"])));
  });
});
