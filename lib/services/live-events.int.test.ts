import { beforeEach, describe, expect, it, vi } from "vitest";
import { OfflineWriter } from "@/lib/release-notes";
import { actorFor } from "@/tests/support/actors";
import { serviceHarness } from "@/tests/support/service-harness";
import type { DraftgateService } from "./draftgate-service";
import type { RunEvent } from "./dto";
import type { LiveSnapshot } from "./run-event-log";

// The live events of a run executing here: ids that stay valid across subscriptions, and a catch-up (replay or
// snapshot) taken in the same step as the subscription, as GET /api/runs/:runId/events uses them.

const pat = actorFor("author", "pat");
const rita = actorFor("reviewer", "rita");

const services = serviceHarness();
let service: DraftgateService;

beforeEach(async () => {
  // a pause per streamed word, so the run is still writing while the test subscribes
  service = await services.make({ chatClient: new OfflineWriter({ delayMs: 5 }) });
});

interface Received {
  id: string;
  event: RunEvent;
}

function follow(runId: string, afterEventId?: string) {
  const received: Received[] = [];
  const snapshots: LiveSnapshot[] = [];
  const stop = service.subscribe(pat, runId, (event, id) => received.push({ id, event }), {
    ...(afterEventId ? { afterEventId } : {}),
    onSnapshot: (snapshot) => snapshots.push(snapshot),
  });
  return { received, snapshots, stop };
}

function textOf(received: Received[]): string {
  return received.map(({ event }) => (event.type === "AgentRunUpdate" ? event.textDelta : "")).join("");
}

describe("live events of a run", () => {
  it("replays exactly the events after a known id to a second subscriber: no snapshot, none missed, none twice", async () => {
    const { runId } = await service.submitBrief(pat, {
      brief: "Dark mode arrives in the dashboard, with a toggle in Settings.",
    });
    const first = follow(runId);
    expect(first.snapshots).toHaveLength(1);
    const snapshot = first.snapshots[0]!;
    expect(snapshot.eventId).toMatch(/^[\w-]+\.\d+$/);
    await vi.waitFor(() =>
      expect(first.received.filter(({ event }) => event.type === "AgentRunUpdate").length).toBeGreaterThan(3),
    );

    const resumeAfter = first.received[2]!.id;
    const second = follow(runId, resumeAfter);
    expect(second.snapshots).toEqual([]);
    await service.waitForIdle(runId);
    first.stop();
    second.stop();

    expect(second.received).toEqual(first.received.slice(3));
    // one execution, numbered without gaps from the snapshot's id on
    const [execution, seq] = snapshot.eventId!.split(".") as [string, string];
    expect(first.received.map(({ id }) => id)).toEqual(
      first.received.map((_, index) => `${execution}.${Number(seq) + index + 1}`),
    );
    // the snapshot's text and the events after it add up to the draft, exactly
    const draft = (await service.getRun(pat, runId)).pendingRequests[0]!.draft;
    expect((snapshot.liveText ?? "") + textOf(first.received)).toBe(draft);
  });

  it("hands over a snapshot for an id it does not know, and once the execution ended", async () => {
    const { runId } = await service.submitBrief(pat, { brief: "Exports to CSV are twice as fast." });
    const first = follow(runId);
    const unknown = follow(runId, "someone-else.3");
    expect(unknown.snapshots).toHaveLength(1);
    expect(unknown.snapshots[0]!.liveText).not.toBeNull();
    await service.waitForIdle(runId);
    const lastId = first.received.at(-1)!.id;
    const late = follow(runId, lastId);
    expect(late.snapshots).toEqual([{ liveText: null, liveAttempt: null, eventId: null }]);
    expect(late.received).toEqual([]);
    for (const subscription of [first, unknown, late]) subscription.stop();
  });

  it("keeps an open subscription across executions, each with its own ids", async () => {
    const { runId } = await service.submitBrief(pat, { brief: "Search now finds archived runs." });
    const watcher = follow(runId);
    await service.waitForIdle(runId);
    const run = await service.getRun(rita, runId);
    await service.answerRequest(rita, {
      runId,
      requestId: run.pendingRequests[0]!.requestId,
      response: "Mention the keyboard shortcut.",
    });
    await service.waitForIdle(runId);
    watcher.stop();
    const executions = [...new Set(watcher.received.map(({ id }) => id.split(".")[0]))];
    expect(executions).toHaveLength(2);
    expect(watcher.received.filter(({ event }) => event.type === "WorkflowStarted")).toHaveLength(1); // the second call's; the first started before we subscribed
  });
});
