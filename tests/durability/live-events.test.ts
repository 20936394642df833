import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, startServer, waitFor, waitForStatus, type PersonName, type ServerProcess } from "./harness";

// GET /api/runs/:runId/events against `next start`: the per-person cap (429 before the stream opens) and a
// reconnect with Last-Event-ID that gets exactly the events after it.

const MAX_STREAMS_PER_USER = 3;

let server: ServerProcess;
const temp = makeTempDir();
const dbFile = temp.file("live-events.db");
const openStreams: LiveStream[] = [];

beforeAll(async () => {
  server = await startServer({
    dbFile,
    // the offline writer pauses per word, so a run streams for a few seconds
    env: { SSE_MAX_STREAMS_PER_USER: String(MAX_STREAMS_PER_USER), OFFLINE_WRITER_DELAY_MS: "40" },
  });
});
afterAll(async () => {
  for (const stream of openStreams) stream.close();
  await server.crash();
  temp.cleanup();
});

interface SseEvent {
  event: string;
  id: string | undefined;
  data: Record<string, unknown>;
}

interface LiveStream {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** Resolves with the events once `predicate` holds for one of them. */
  until(what: string, predicate: (event: SseEvent) => boolean): Promise<SseEvent[]>;
  /** Resolves when the server ends the stream (or `close()` aborts it). */
  ended: Promise<void>;
  close(): void;
}

/** Opens the event stream as `person`, optionally resuming after `lastEventId` (a header, or the query parameter polyfills send). */
async function openStream(
  runId: string,
  person: PersonName,
  resume: { header?: string; query?: string } = {},
  target: ServerProcess = server,
): Promise<LiveStream> {
  const controller = new AbortController();
  const query = resume.query ? `?lastEventId=${encodeURIComponent(resume.query)}` : "";
  const response = await fetch(`${target.url}/api/runs/${runId}/events${query}`, {
    headers: {
      ...target.as(person),
      accept: "text/event-stream",
      ...(resume.header ? { "last-event-id": resume.header } : {}),
    },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  let markEnded = () => {};
  const stream: LiveStream = {
    status: response.status,
    headers: response.headers,
    events,
    until: (what, predicate) =>
      waitFor(`${what} on the stream`, async () => (events.some(predicate) ? events : undefined), 30_000, 20),
    ended: new Promise((resolve) => (markEnded = resolve)),
    close: () => controller.abort(),
  };
  if (response.status !== 200) return stream;
  openStreams.push(stream);
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map(
            block
              .split("\n")
              .filter((line) => line && !line.startsWith(":"))
              .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)] as const),
          );
          if (fields.has("data"))
            events.push({
              event: fields.get("event") ?? "message",
              id: fields.get("id"),
              data: JSON.parse(fields.get("data")!) as Record<string, unknown>,
            });
        }
      }
    } catch {
      // aborted by close()
    }
    markEnded();
  })();
  return stream;
}

async function submit(brief: string, person: PersonName = "Pat", target: ServerProcess = server): Promise<string> {
  const { status, body } = await api<{ runId: string }>(target.url, "POST", "/api/runs", { brief }, target.as(person));
  expect(status).toBe(201);
  return body.runId;
}

const callEnded = (event: SseEvent) => event.event === "WorkflowStatus" && String(event.data.state).startsWith("IDLE");

describe("live events against next start", () => {
  it(`refuses a person's stream beyond ${MAX_STREAMS_PER_USER} with 429 and Retry-After, serves someone else, and frees a slot when a stream closes`, async () => {
    const runId = await submit("Cap test: the dashboard gets a dark mode.");
    await waitForStatus(server.url, runId, "awaiting_review");
    const pats = [];
    for (let index = 0; index < MAX_STREAMS_PER_USER; index++) {
      const stream = await openStream(runId, "Pat");
      expect(stream.status).toBe(200);
      await stream.until("the snapshot", (event) => event.event === "snapshot");
      pats.push(stream);
    }

    const refused = await fetch(`${server.url}/api/runs/${runId}/events`, { headers: server.as("Pat") });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/json");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 600).toBe(true);
    expect(await refused.json()).toEqual({
      error: {
        code: "RATE_LIMITED",
        message: `Too many live connections: at most ${MAX_STREAMS_PER_USER} per person. Close another tab of Draftgate, or wait for one to end.`,
        details: { retryAfterSeconds: retryAfter, limit: MAX_STREAMS_PER_USER, action: "live-events", per: "person" },
      },
    });

    const rita = await openStream(runId, "Rita");
    expect(rita.status).toBe(200);
    await rita.until("the snapshot", (event) => event.event === "snapshot");

    // the server frees the slot when it notices the disconnect
    pats[0]!.close();
    const again = await waitFor("Pat's slot to be free again", async () => {
      const stream = await openStream(runId, "Pat");
      return stream.status === 200 ? stream : undefined;
    });
    await again.until("the snapshot", (event) => event.event === "snapshot");
    for (const stream of [...pats, rita, again]) stream.close();
  });

  it("replays exactly the events after Last-Event-ID (header or query parameter) and answers an unknown id with a snapshot", async () => {
    const runId = await submit(
      "Resume test: exports to CSV are now twice as fast, large workspaces no longer time out, and the export dialog remembers your last choice of columns. Invite customers to try it today",
      "Ada",
    );
    const reference = await openStream(runId, "Ada");
    expect(reference.status).toBe(200);
    await reference.until(
      "a few streamed words",
      () => reference.events.filter((event) => event.event === "AgentRunUpdate").length >= 4,
    );
    const [snapshot, ...live] = reference.events;
    expect(snapshot!.event).toBe("snapshot");
    expect(snapshot!.data.isExecutingHere).toBe(true);

    // as if the connection dropped after the second live event: the client reconnects with its id
    const lastSeen = live[1]!.id!;
    const byHeader = await openStream(runId, "Rita", { header: lastSeen });
    const byQuery = await openStream(runId, "Ben", { query: lastSeen });
    const unknown = await openStream(runId, "Ana", { header: "not-ours.12" });
    for (const stream of [byHeader, byQuery, unknown]) expect(stream.status).toBe(200);

    await reference.until("the end of the call", callEnded);
    await byHeader.until("the end of the call", callEnded);
    await byQuery.until("the end of the call", callEnded);
    const expected = reference.events.slice(reference.events.findIndex((event) => event.id === lastSeen) + 1);
    expect(expected.length).toBeGreaterThan(3);
    expect(byHeader.events).toEqual(expected);
    expect(byQuery.events).toEqual(expected);

    // ids follow one another within the execution, from the snapshot's on
    const [execution, first] = snapshot!.id!.split(".") as [string, string];
    expect(reference.events.slice(1).map((event) => event.id)).toEqual(
      reference.events.slice(1).map((_, index) => `${execution}.${Number(first) + index + 1}`),
    );
    // and the snapshot's text plus the streamed words is the draft, each word once
    const run = await waitForStatus(server.url, runId, "awaiting_review");
    const streamed = reference.events
      .filter((event) => event.event === "AgentRunUpdate")
      .map((event) => String(event.data.textDelta))
      .join("");
    expect(String(snapshot!.data.liveText) + streamed).toBe(run.pendingRequests[0]!.draft);

    await unknown.until("the snapshot", (event) => event.event === "snapshot");
    expect(unknown.events[0]).toMatchObject({ event: "snapshot", data: { runId } });
    for (const stream of [reference, byHeader, byQuery, unknown]) stream.close();
  });

  it("ends a stream at its maximum lifetime and frees its slot", async () => {
    const other = await startServer({
      dbFile: temp.file("lifetime.db"),
      env: { SSE_MAX_LIFETIME_MS: "1000", SSE_MAX_STREAMS_PER_USER: "1" },
    });
    try {
      const runId = await submit("Lifetime test: webhooks retry for a day.", "Pat", other);
      const stream = await openStream(runId, "Pat", {}, other);
      expect(stream.status).toBe(200);
      const openedAt = Date.now();
      await stream.until("the snapshot", (event) => event.event === "snapshot");
      await Promise.race([
        stream.ended,
        new Promise((_, reject) => setTimeout(() => reject(new Error("the stream outlived its lifetime")), 10_000)),
      ]);
      expect(Date.now() - openedAt).toBeGreaterThanOrEqual(900);
      // the one slot Pat may hold is free again, without Pat closing anything
      const next = await openStream(runId, "Pat", {}, other);
      expect(next.status).toBe(200);
      next.close();
    } finally {
      await other.crash();
    }
  });
});
