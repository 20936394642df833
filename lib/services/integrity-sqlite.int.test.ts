import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { SqliteStore } from "@/db/sqlite-store";
import { GatedChatClient } from "@/tests/support/gated-chat-client";
import { actorFor } from "@/tests/support/actors";
import { serviceHarness } from "@/tests/support/service-harness";
import { until } from "@/tests/support/until";

// SQLite only: another process holding the file's write lock (PostgreSQL locks rows, not the database).

const pat = actorFor("author", "pat");
const rita = actorFor("reviewer", "rita");

const BRIEF =
  "Introduce our limited edition smart coffee grinder. Mention the $249 price and invite customers to pre-order";

const services = serviceHarness();

describe("a SQLite file another process holds locked", () => {
  it("keeps going when a lease renewal meets a busy database, reporting it instead of throwing", async () => {
    const file = services.file("busy.db");
    const gate = new GatedChatClient();
    const reported: Array<Record<string, unknown>> = [];
    const service = await services.make({
      file,
      chatClient: gate,
      leaseMs: 5_000,
      leaseRenewEveryMs: 20,
      onUnexpectedError: (_error, context) => reported.push(context),
    });
    (service.store as SqliteStore).connection.sqlite.pragma("busy_timeout = 0"); // fail at once instead of waiting for the lock
    const { runId } = await service.submitBrief(pat, { brief: BRIEF });
    await gate.entered();
    const blocker = new Database(file);
    blocker.exec("BEGIN EXCLUSIVE");
    await until("a renewal to meet the lock", () =>
      reported.some((context) => context.during === "lease renewal") ? true : undefined,
    );
    blocker.exec("ROLLBACK");
    blocker.close();
    gate.reply("Drafted after the database was busy for a moment.");
    await service.waitForIdle(runId);
    const run = await service.getRun(rita, runId);
    expect(run.status).toBe("awaiting_review");
    expect(run.pendingRequests[0]!.draft).toBe("Drafted after the database was busy for a moment.");
  });
});
