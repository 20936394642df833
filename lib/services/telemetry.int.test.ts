import { trace } from "@opentelemetry/api";
import { SqliteStore } from "@/db/sqlite-store";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { createChatClient } from "@/lib/llm";
import { OfflineWriter } from "@/lib/release-notes";
import { ATTR } from "@/lib/telemetry";
import { actorFor } from "@/tests/support/actors";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import { serviceHarness } from "@/tests/support/service-harness";
import { DraftgateService } from "./draftgate-service";

// The spans of one run, as an OpenTelemetry exporter gets them: an in-memory exporter on a real SDK tracer
// provider, a service writing through the real openai SDK to a local OpenAI-compatible server.

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
let server: FakeOpenAIServer;

beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  server = await startFakeOpenAIServer();
});
afterEach(() => exporter.reset());
afterAll(async () => {
  await server.close();
  await provider.shutdown();
  trace.disable();
});
// registered after the hooks above, so a test's services are closed before the exporter is reset
const services = serviceHarness();

const byName = (spans: readonly ReadableSpan[], name: string) => spans.filter((span) => span.name === name);
const parentOf = (spans: readonly ReadableSpan[], span: ReadableSpan) =>
  spans.find((candidate) => candidate.spanContext().spanId === span.parentSpanContext?.spanId);

describe("traces of a run", () => {
  it("has a run call with its supersteps, and under them the model call (model, tokens, attempt) and the checkpoint saves, all with the run id", async () => {
    server.respondWith(
      { kind: "error", status: 500, message: "The server had an error" },
      { kind: "reply", text: "Introducing the travel grinder. Pre-order today!" },
    );
    const service = await services.make({
      chatClient: createChatClient({
        openaiBaseUrl: server.baseURL,
        openaiApiKey: "sk-test",
        openaiModel: "gpt-test",
        timeoutMs: 5_000,
      }),
      retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 },
    });
    const { runId } = await service.submitBrief(actorFor("author", "Pat"), {
      brief: "Introduce the travel grinder.",
    });
    await service.waitForIdle(runId);
    const spans = exporter.getFinishedSpans();

    const [call] = byName(spans, "run.call");
    expect(call).toBeDefined();
    expect(call!.attributes).toMatchObject({ [ATTR.runId]: runId, [ATTR.intent]: "run" });
    expect(call!.parentSpanContext).toBeUndefined();

    const supersteps = byName(spans, "superstep");
    expect(supersteps.length).toBeGreaterThanOrEqual(2);
    for (const superstep of supersteps) expect(parentOf(spans, superstep)).toBe(call);

    // the first attempt failed (500), the retry answered: two model spans, attempts 1 and 2, in one superstep
    const models = byName(spans, "model.call").sort(
      (a, b) => Number(a.attributes[ATTR.attempt]) - Number(b.attributes[ATTR.attempt]),
    );
    expect(models.map((span) => [span.attributes[ATTR.attempt], span.status.code])).toEqual([
      [1, 2],
      [2, 0],
    ]);
    expect(parentOf(spans, models[0]!)).toBe(parentOf(spans, models[1]!));
    expect(supersteps).toContain(parentOf(spans, models[1]!));
    const writerPrompt = server.requests.at(-1)!.body as { messages: Array<{ content: string }> };
    expect(models[1]!.attributes).toMatchObject({
      [ATTR.runId]: runId,
      [ATTR.provider]: "openai-compatible",
      [ATTR.model]: "gpt-test",
      [ATTR.executorId]: "writer",
      [ATTR.inputTokens]: Math.ceil(
        writerPrompt.messages.reduce((sum, message) => sum + message.content.length, 0) / 4,
      ),
      [ATTR.outputTokens]: 6,
    });

    const saves = byName(spans, "checkpoint.save");
    expect(saves.length).toBeGreaterThanOrEqual(3);
    for (const save of saves) {
      expect(save.attributes[ATTR.runId]).toBe(runId);
      expect([call, ...supersteps]).toContain(parentOf(spans, save));
    }
    // one trace: every span of the run shares the call's trace id
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([call!.spanContext().traceId]));
  });
});

describe("readiness", () => {
  it("is ready with every migration applied, and says the database is unreachable once it is", async () => {
    const connection = openDatabase(services.file("ready.db"));
    const service = new DraftgateService({ store: new SqliteStore(connection), chatClient: new OfflineWriter() });
    const expected = (await service.readiness()).migrations!.expected;
    expect(expected).toBeGreaterThanOrEqual(7);
    expect(await service.readiness()).toEqual({
      ready: true,
      database: "ok",
      migrations: { applied: expected, expected },
    });
    connection.sqlite
      .prepare("delete from __drizzle_migrations where rowid = (select max(rowid) from __drizzle_migrations)")
      .run();
    expect(await service.readiness()).toEqual({
      ready: false,
      database: "ok",
      migrations: { applied: expected - 1, expected },
    });
    await service.close();
    connection.close();
    expect(await service.readiness()).toEqual({ ready: false, database: "unreachable", migrations: null });
  });
});
