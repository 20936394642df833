import fs from "node:fs";
import { openSqliteStore } from "@/db/sqlite-store";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OfflineWriter } from "@/lib/release-notes";
import { actorFor } from "@/tests/support/actors";
import { makeTempDir } from "@/tests/support/temp-database";
import type { Actor } from "./actor";
import { DraftgateService } from "./draftgate-service";

// tests/fixtures/release-1/draftgate.db was written by release 1 (see make-fixture.sh beside it). People
// upgrade with runs waiting for review: today's code must open that file, show every run, and finish them.
const FIXTURE = path.resolve(import.meta.dirname, "../../tests/fixtures/release-1/draftgate.db");

const rita = actorFor("reviewer", "rita");
const admin = actorFor("admin", "sam");

let temp: ReturnType<typeof makeTempDir>;
let service: DraftgateService;

beforeEach(() => {
  temp = makeTempDir();
  const file = temp.file("upgraded.db");
  fs.copyFileSync(FIXTURE, file);
  service = new DraftgateService({
    store: openSqliteStore(file),
    chatClient: new OfflineWriter(),
  });
});
afterEach(async () => {
  await service.close();
  temp.cleanup();
});

const byBrief = async (prefix: string) =>
  (await service.listRuns(rita, { limit: 200 })).runs.find((run) => run.brief.startsWith(prefix))!;

describe("a database written by release 1", () => {
  it("is the file release 1 wrote: one migration applied, no lease tokens yet", () => {
    // a copy: opening a WAL database, even read-only, writes side files beside it
    const copy = temp.file("original.db");
    fs.copyFileSync(FIXTURE, copy);
    const original = new Database(copy, { readonly: true });
    try {
      expect(original.prepare("select count(*) as n from __drizzle_migrations").get()).toEqual({ n: 1 });
      expect(original.prepare("select name from pragma_table_info('runs') where name = 'lease_token'").all()).toEqual(
        [],
      );
    } finally {
      original.close();
    }
  });

  it("lists every run in the runs list, and the paused ones in the inbox", async () => {
    const statuses = Object.fromEntries(
      (await service.listRuns(rita, { limit: 200 })).runs.map((run) => [
        run.brief.split(":")[0],
        [run.status, run.iteration],
      ]),
    );
    expect(statuses).toEqual({
      "Paused at draft one": ["awaiting_review", 1],
      "Paused at draft two": ["awaiting_review", 2],
      "Completed run": ["completed", 2],
      "Branched run": ["completed", 1],
      "Failed run": ["failed", 0],
    });
    expect((await service.listInbox(rita)).map((run) => run.brief.split(":")[0]).sort()).toEqual([
      "Paused at draft one",
      "Paused at draft two",
    ]);
  });

  it("reads every run page and every checkpoint of every timeline", async () => {
    for (const run of (await service.listRuns(rita, { limit: 200 })).runs) {
      const detail = await service.getRun(rita, run.runId);
      const checkpoints = await service.listCheckpoints(rita, run.runId);
      expect(checkpoints.length).toBeGreaterThan(0);
      expect(checkpoints.filter((checkpoint) => checkpoint.isHead)).toHaveLength(1);
      for (const checkpoint of checkpoints) {
        const loaded = await service.getCheckpoint(rita, checkpoint.checkpointId);
        expect(loaded.checkpoint).toMatchObject({ runId: run.runId, schemaVersion: 1 });
      }
      if (run.status === "completed") expect(detail.publishedText).toMatch(/\S/);
    }
    // release 1 showed everyone the provider's message, address included; now only admins read it
    const failed = await service.getRun(rita, (await byBrief("Failed run")).runId);
    expect(failed.error).toEqual({ code: "MODEL_ERROR", message: "The model call failed.", detail: null });
    expect((await service.getRun(admin, failed.runId)).error?.detail).toMatch(
      /^Model call of writer failed: .* at http:\/\/127\.0\.0\.1:9\/v1: connection failed/,
    );
    const branched = await service.getRun(rita, (await byBrief("Branched run")).runId);
    expect(branched.supersededRequests).toHaveLength(1);
    expect(branched.decisions.map((decision) => decision.decidedBy)).toEqual(["rita", "sam"]);
  });

  it("resumes the paused runs to published, and keeps what completed runs published", async () => {
    const completedBefore = await service.getRun(rita, (await byBrief("Completed run")).runId);
    for (const prefix of ["Paused at draft one", "Paused at draft two"]) {
      const run = await service.getRun(rita, (await byBrief(prefix)).runId);
      const request = run.pendingRequests[0]!;
      await service.answerRequest(rita, { runId: run.runId, requestId: request.requestId, response: "approve" });
      await service.waitForIdle(run.runId);
      const done = await service.getRun(rita, run.runId);
      expect(done).toMatchObject({ status: "completed", publishedText: request.draft, iteration: request.iteration });
      expect(done.decisions.at(-1)).toMatchObject({
        requestId: request.requestId,
        decidedBy: "rita",
        isApproval: true,
      });
    }
    expect(await service.listInbox(rita)).toEqual([]);
    expect((await service.getRun(rita, completedBefore.runId)).publishedText).toBe(completedBefore.publishedText);
  });

  it("revises a paused run with guidance and retries the failed one", async () => {
    const paused = await service.getRun(rita, (await byBrief("Paused at draft two")).runId);
    await service.answerRequest(rita, {
      runId: paused.runId,
      requestId: paused.pendingRequests[0]!.requestId,
      response: "Mention the battery life.",
    });
    await service.waitForIdle(paused.runId);
    expect(await service.getRun(rita, paused.runId)).toMatchObject({ status: "awaiting_review", iteration: 3 });

    const failed = await byBrief("Failed run");
    await service.retryRun(admin, failed.runId);
    await service.waitForIdle(failed.runId);
    expect(await service.getRun(rita, failed.runId)).toMatchObject({
      status: "awaiting_review",
      iteration: 1,
      error: null,
    });
  });
});

// tests/fixtures/release-2/draftgate.db was written by release 2 (sign-in and hardening, before review decisions;
// make-fixture.sh beside it): runs paused then must finish with today's decisions.
const RELEASE_2 = path.resolve(import.meta.dirname, "../../tests/fixtures/release-2/draftgate.db");

describe("a database written by release 2", () => {
  let upgraded: DraftgateService;
  let people: { pat: Actor; rita: Actor; ana: Actor; ada: Actor };
  const find = async (prefix: string) =>
    (await upgraded.listRuns(people.rita, { limit: 200 })).runs.find((run) => run.brief.startsWith(prefix))!;

  beforeEach(async () => {
    const file = temp.file("release-2.db");
    fs.copyFileSync(RELEASE_2, file);
    upgraded = new DraftgateService({
      store: openSqliteStore(file),
      chatClient: new OfflineWriter(),
    });
    const actor = async (email: string) =>
      (await upgraded.people.actorForUser((await upgraded.people.findPersonByEmail(email))!.userId, "password"))!;
    people = {
      pat: await actor("pat@example.com"),
      rita: await actor("rita@example.com"),
      ana: await actor("ana@example.com"),
      ada: await actor("ada@example.com"),
    };
  });
  afterEach(() => upgraded.close());

  it("lists its runs with the policy they started with (one approval) and the workflow version they started on", async () => {
    const statuses = (await upgraded.listRuns(people.rita, { limit: 200 })).runs.map((run) => [
      run.brief.split(":")[0],
      run.status,
      run.approvals,
    ]);
    expect(statuses.sort()).toEqual(
      [
        ["Completed run", "completed", null],
        ["Failed run", "failed", null],
        ["Paused at draft one", "awaiting_review", { count: 0, required: 1 }],
        ["Paused at draft two", "awaiting_review", { count: 0, required: 1 }],
      ].sort(),
    );
    const paused = await upgraded.getRun(people.rita, (await find("Paused at draft two")).runId);
    expect(paused).toMatchObject({ policy: { version: null, requiredApprovals: 1 }, workflowVersion: 1 });
    expect(paused.rounds.map((round) => [round.iteration, round.state])).toEqual([
      [1, "revised"],
      [2, "pending"],
    ]);
    expect(paused.rounds[0]!.decision).toMatchObject({
      kind: "revise",
      response: "Mention that it works on planes.",
      decidedBy: "Rita Reviewer",
    });
    const completed = await upgraded.getRun(people.rita, (await find("Completed run")).runId);
    expect(completed.rounds.map((round) => round.state)).toEqual(["revised", "approved"]);
  });

  it("finishes its paused runs with today's decisions: edit and approve, and reject", async () => {
    const one = await upgraded.getRun(people.rita, (await find("Paused at draft one")).runId);
    await upgraded.answerRequest(people.rita, {
      runId: one.runId,
      requestId: one.pendingRequests[0]!.requestId,
      response: { decision: "edit", text: "The smart grinder, $249. Pre-order now." },
    });
    await upgraded.waitForIdle(one.runId);
    expect(await upgraded.getRun(people.ana, one.runId)).toMatchObject({
      status: "completed",
      publishedText: "The smart grinder, $249. Pre-order now.",
    });

    const two = await upgraded.getRun(people.rita, (await find("Paused at draft two")).runId);
    await upgraded.answerRequest(people.ana, {
      runId: two.runId,
      requestId: two.pendingRequests[0]!.requestId,
      response: { decision: "reject", reason: "Offline sync slipped to next quarter." },
    });
    await upgraded.waitForIdle(two.runId);
    expect(await upgraded.getRun(people.pat, two.runId)).toMatchObject({
      status: "rejected",
      rejection: { reason: "Offline sync slipped to next quarter.", by: "Ana Reviewer" },
    });
    expect(await upgraded.listInbox(people.rita)).toEqual([]);
  });

  it("shows its failed run's plain cause to authors and the detail to admins, and retries it", async () => {
    const failed = await find("Failed run");
    expect((await upgraded.getRun(people.pat, failed.runId)).error).toEqual({
      code: "MODEL_ERROR",
      message: "The model server could not be reached.",
      detail: null,
    });
    expect((await upgraded.getRun(people.ada, failed.runId)).error?.detail).toContain("http://127.0.0.1:9/v1");
    await upgraded.retryRun(people.pat, failed.runId);
    await upgraded.waitForIdle(failed.runId);
    expect(await upgraded.getRun(people.pat, failed.runId)).toMatchObject({ status: "awaiting_review", iteration: 1 });
  });
});
