import pg from "pg";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { PgEventBus } from "@/db/pg/pg-event-bus";
import { OfflineWriter } from "@/lib/release-notes";
import { actorFor } from "@/tests/support/actors";
import { createTestDatabase } from "@/tests/support/postgres";
import { until } from "@/tests/support/until";
import { serviceHarness } from "@/tests/support/service-harness";
import type { RunEvent } from "./dto";

// A web instance (it hands runs over) and a worker (it executes them) on one database, each with its own
// LISTEN/NOTIFY connection on a real PostgreSQL server, as two processes would have.

const pat = actorFor("author", "pat");
const services = serviceHarness();
let busUrl: string;
const buses: PgEventBus[] = [];

beforeAll(async () => {
  busUrl = await createTestDatabase(inject("postgresUrl"), "relay");
});
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

async function bus(): Promise<PgEventBus> {
  const connected = await PgEventBus.connect(busUrl);
  buses.push(connected);
  return connected;
}

describe("live events across processes", () => {
  it("streams a worker's tokens to a subscriber of the web instance, with the worker's event ids", async () => {
    const web = await services.make({ handsOverRuns: true, liveEvents: await bus() });
    const worker = await services.make({ chatClient: new OfflineWriter({ delayMs: 15 }), liveEvents: await bus() });
    const { runId } = await web.submitBrief(pat, {
      brief: "Introduce the quiet grinder at $249 and invite pre-orders.",
    });

    const heard: Array<{ event: RunEvent; eventId: string }> = [];
    const snapshots: unknown[] = [];
    web.subscribe(pat, runId, (event, eventId) => heard.push({ event, eventId }), {
      onSnapshot: (snapshot) => snapshots.push(snapshot),
    });
    // nothing executes the run in the web instance: its first snapshot is empty
    expect(snapshots).toEqual([{ liveText: null, liveAttempt: null, eventId: null }]);

    expect(await worker.recoverRuns()).toEqual([runId]);
    await until("the relayed events", () => heard.filter(({ event }) => event.type === "AgentRunUpdate").length >= 3);
    // mid-stream, the web instance knows the text so far (for a page that opens now)
    expect(web.liveText(pat, runId)).toEqual(expect.stringMatching(/\S/));

    await worker.waitForIdle(runId);
    await until("the relayed events", () =>
      heard.some(({ event }) => event.type === "WorkflowStatus" && event.state === "IDLE_WITH_PENDING_REQUESTS"),
    );
    const run = await web.getRun(pat, runId);
    expect(run.status).toBe("awaiting_review");
    const streamed = heard.flatMap(({ event }) => (event.type === "AgentRunUpdate" ? [event.textDelta] : [])).join("");
    expect(streamed).toBe(run.pendingRequests[0]?.draft);
    // one execution's ids, in order, with no gap: exactly what the worker logged
    const executionIds = new Set(heard.map(({ eventId }) => eventId.split(".")[0]));
    expect(executionIds.size).toBe(1);
    const seqs = heard.map(({ eventId }) => Number(eventId.split(".")[1]));
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    // the run no longer executes anywhere: the mirror is gone, a new page reads the database
    expect(web.liveText(pat, runId)).toBeNull();
  });

  it("tells the web instance's subscribers to start over when its listening connection was lost", async () => {
    const web = await services.make({ handsOverRuns: true, liveEvents: await bus() });
    const worker = await services.make({ chatClient: new OfflineWriter({ delayMs: 20 }), liveEvents: await bus() });
    const { runId } = await web.submitBrief(pat, { brief: "Announce dark mode for the dashboard, available today." });
    const tokens: string[] = [];
    let gaps = 0;
    web.subscribe(pat, runId, (event) => event.type === "AgentRunUpdate" && tokens.push(event.textDelta), {
      onGap: () => gaps++,
    });
    await worker.recoverRuns();
    await until("relayed tokens", () => tokens.length >= 2);
    expect(web.liveText(pat, runId)).not.toBeNull();
    // the server ends the web instance's LISTEN connection (a restart, a failover): it reconnects and reports the gap
    const admin = new pg.Client({ connectionString: busUrl });
    await admin.connect();
    try {
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen draftgate_events' and datname = current_database()",
      );
    } finally {
      await admin.end();
    }
    await until("the gap to reach the subscriber", () => gaps > 0);
    expect(gaps).toBe(1);
    await worker.waitForIdle(runId);
  });

  it("replays to a reconnecting subscriber of the web instance the events after its last id", async () => {
    const web = await services.make({ handsOverRuns: true, liveEvents: await bus() });
    const worker = await services.make({ chatClient: new OfflineWriter({ delayMs: 20 }), liveEvents: await bus() });
    const { runId } = await web.submitBrief(pat, { brief: "Announce dark mode for the dashboard, available today." });
    const first: Array<{ event: RunEvent; eventId: string }> = [];
    const stop = web.subscribe(pat, runId, (event, eventId) => first.push({ event, eventId }));
    await worker.recoverRuns();
    await until("the relayed events", () => first.filter(({ event }) => event.type === "AgentRunUpdate").length >= 2);
    stop(); // the browser lost its connection here
    const lastSeen = first.at(-1)!.eventId;
    await new Promise((resolve) => setTimeout(resolve, 60)); // events go on meanwhile

    const replayed: string[] = [];
    let snapshot = false;
    web.subscribe(pat, runId, (_event, eventId) => replayed.push(eventId), {
      afterEventId: lastSeen,
      onSnapshot: () => (snapshot = true),
    });
    await worker.waitForIdle(runId);
    await until("the relayed events", () => replayed.length > 0);
    expect(snapshot).toBe(false);
    const seqOf = (id: string) => Number(id.split(".")[1]);
    // it continues right after the last event it saw: nothing missed, nothing twice
    expect(seqOf(replayed[0]!)).toBe(seqOf(lastSeen) + 1);
  });
});
