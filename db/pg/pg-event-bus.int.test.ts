import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { createTestDatabase } from "@/tests/support/postgres";
import { until } from "@/tests/support/until";
import { chunkMessage, NOTIFY_CHUNK_BYTES, PgEventBus } from "./pg-event-bus";

// Two buses stand for two processes (a worker publishing, a web instance listening): each has its own connections.

let url: string;
const buses: PgEventBus[] = [];

beforeAll(async () => {
  url = await createTestDatabase(inject("postgresUrl"), "bus");
});
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

async function connect(options: Parameters<typeof PgEventBus.connect>[1] = {}): Promise<PgEventBus> {
  const bus = await PgEventBus.connect(url, options);
  buses.push(bus);
  return bus;
}

function collect(bus: PgEventBus): string[] {
  const heard: string[] = [];
  bus.subscribe((message) => heard.push(message));
  return heard;
}

describe("PgEventBus", () => {
  it("carries messages from one process to another, in the order they were sent", async () => {
    const worker = await connect();
    const web = await connect();
    const heard = collect(web);
    const sent = Array.from({ length: 500 }, (_, i) =>
      JSON.stringify({ runId: "r1", id: `x.${i + 1}`, token: `t${i}` }),
    );
    await Promise.all(sent.map((message) => worker.publish(message)));
    await until("the messages", () => heard.length === sent.length);
    expect(heard).toEqual(sent);
  });

  it("carries a message far over NOTIFY's 8,000 bytes whole, multibyte characters included", async () => {
    const worker = await connect();
    const web = await connect();
    const heard = collect(web);
    // 120,000 characters of mixed widths: ASCII, accents, CJK, emoji (surrogate pairs) must survive every cut
    const draft = "Réglé: 漢字 ✓ 🎉 the quick brown fox. ".repeat(3_500);
    const message = JSON.stringify({ runId: "r1", id: "x.1", text: draft });
    expect(Buffer.byteLength(message)).toBeGreaterThan(10 * NOTIFY_CHUNK_BYTES);
    await worker.publish(message);
    await worker.publish("after");
    await until("the messages", () => heard.length === 2);
    expect(heard[0]).toBe(message);
    expect(heard[1]).toBe("after");
  });

  it("keeps each chunk under the limit and cuts only between characters", () => {
    const message = "🎉".repeat(5_000) + "a".repeat(9_000);
    const chunks = chunkMessage("id", message);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(NOTIFY_CHUNK_BYTES);
    expect(chunks.map((chunk) => chunk.split(" ").slice(3).join(" ")).join("")).toBe(message);
    expect(chunks.every((chunk) => !/[\uD800-\uDBFF]$/.test(chunk))).toBe(true);
  });

  it("ignores NOTIFYs on its channel that are not its own chunks", async () => {
    const web = await connect();
    const heard = collect(web);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("select pg_notify('draftgate_events', 'hello')");
      await client.query("select pg_notify('draftgate_events', 'a 5 2 out of range')");
    } finally {
      await client.end();
    }
    const worker = await connect();
    await worker.publish("real");
    await until("the messages", () => heard.length === 1);
    expect(heard).toEqual(["real"]);
  });

  it("listens again after its connection is lost, says that it missed messages, and hears what follows", async () => {
    let gaps = 0;
    const web = await connect({ reconnectMs: 50, onError: () => {} });
    const heard: string[] = [];
    web.subscribe(
      (message) => heard.push(message),
      () => gaps++,
    );
    const worker = await connect();
    await worker.publish("before");
    await until("the messages", () => heard.length === 1);
    // an administrator (or a failover) ends the listening session
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen draftgate_events' and pid <> pg_backend_pid()",
      );
      expect(rowCount).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.end();
    }
    await until("the gap to be reported", () => gaps === 1);
    await worker.publish("after");
    await until("the messages", () => heard.length === 2);
    expect(heard).toEqual(["before", "after"]);
  });
});
