import { beforeAll, describe, expect, it } from "vitest";
import * as sqliteQueries from "../notification-queries";
import * as sqliteSchema from "../schema";
import * as pgQueries from "./notification-queries";
import * as pgSchema from "./schema";
import { twinStores } from "../testing/twin-stores";

// Each PostgreSQL notification query against its SQLite twin on the same rows: same results, same order, and for
// writes the same outcome step by step. Then what only PostgreSQL's concurrent writers can show (two pools racing).

const twin = twinStores("notifications", { max: 4 });

const channels = ["email", "webhook", "slack"] as const;
const pad = (i: number) => String(i).padStart(2, "0");

function seedEvents() {
  return Array.from({ length: 10 }, (_, i) => ({
    id: `evt-${pad(i)}`,
    key: `review-requested:run-${i % 4}:${i}`,
    kind: i % 2 === 0 ? "review-requested" : "review-overdue",
    runId: i % 3 === 0 ? null : `run-${i % 4}`,
    payload: JSON.stringify({ n: i, text: "ünïcode — «payload»" }),
    createdAt: 90_000 + 1_000 * (i % 3),
  }));
}

/**
 * 40 deliveries with ties on purpose: (next attempt, creation) repeats every 24 rows and creation every 8; the due
 * list breaks them in insertion order (`seq`).
 */
function seedDeliveries() {
  return Array.from({ length: 40 }, (_, i) => {
    const status = i % 5 === 0 ? "delivered" : i % 7 === 3 ? "dead" : "pending";
    return {
      id: `dlv-${pad(i)}`,
      eventId: `evt-${pad(i % 10)}`,
      channel: channels[i % 3]!,
      recipientId: i % 3 === 0 ? null : `user-${i % 4}`,
      address: `person-${i % 4}@example.com`,
      status: status as "pending" | "delivered" | "dead",
      attempts: i % 4,
      nextAttemptAt: 1_000 * (10 - (i % 6)),
      lastAttemptAt: i % 4 === 0 ? null : 3_000 + i,
      lastError: i % 4 === 0 ? null : `error ${i} — ünïcode`,
      deliveredAt: status === "delivered" ? 4_000 + i : null,
      createdAt: 100_000 + 1_000 * (i % 8),
    };
  });
}

function seedUsers() {
  // inserted out of id order: SQLite answers by id, from its primary-key index
  return ["user-3", "user-0", "user-Z", "user-2", "user-a", "user-1"].map((id, i) => ({
    id,
    name: `Person ${id}`,
    email: `${id}@example.com`,
    deactivatedAt: id === "user-2" ? new Date(Date.UTC(2026, 10, 1)) : null,
    createdAt: new Date(Date.UTC(2026, 10, 1, i)),
    updatedAt: new Date(Date.UTC(2026, 10, 1, i)),
  }));
}

const endpoint = (n: number, createdAt: number): sqliteSchema.WebhookEndpointRow => ({
  id: `hook-${pad(n)}`,
  url: `https://hooks.example.com/${n}`,
  description: n % 2 ? "" : `Endpoint ${n} — ünïcode`,
  kinds: JSON.stringify(n % 2 ? ["review-requested"] : []),
  secret: `secret-${n}`,
  createdAt,
  createdById: n % 3 ? `user-${n % 4}` : null,
  disabledAt: n === 3 ? 50 : null,
});

beforeAll(async () => {
  const [events, deliveries, people] = [seedEvents(), seedDeliveries(), seedUsers()];
  await twin.seed([
    [sqliteSchema.notificationEvents, pgSchema.notificationEvents, events],
    [sqliteSchema.users, pgSchema.users, people],
  ]);
  // insertion order numbered as each store does it: max + 1 on SQLite, an identity on PostgreSQL
  twin.sqlite.db
    .insert(sqliteSchema.notificationDeliveries)
    .values(deliveries.map((delivery, i) => ({ ...delivery, seq: i + 1 })))
    .run();
  await twin.postgres.db.insert(pgSchema.notificationDeliveries).values(deliveries);
});

const openPool = (max: number) => twin.openPool(max);

describe("PostgreSQL notification queries", () => {
  it("lists due deliveries with their events, ties included, as SQLite does", async () => {
    for (const now of [0, 5_000, 8_000, 10_000, 1_000_000]) {
      for (const limit of [3, 7, 1_000]) {
        const expected = sqliteQueries.listDueDeliveries(twin.sqlite.db, { now, limit });
        expect(await pgQueries.listDueDeliveries(twin.postgres.db, { now, limit })).toEqual(expected);
      }
    }
    const all = sqliteQueries.listDueDeliveries(twin.sqlite.db, { now: 1_000_000, limit: 1_000 });
    const keys = all.map(({ delivery }) => `${delivery.nextAttemptAt}/${delivery.createdAt}`);
    expect(new Set(keys).size).toBeLessThan(keys.length); // some rows tie on both order columns
    expect(all.every(({ delivery, event }) => delivery.status === "pending" && event.id === delivery.eventId)).toBe(
      true,
    );
  });

  it("lists the deliveries page by page, by every status, as SQLite does", async () => {
    for (const status of [undefined, "pending", "delivered", "dead"] as const) {
      for (const limit of [1, 5, 1_000]) {
        for (const before of [undefined, 100_000, 103_000, 200_000]) {
          expect(await pgQueries.listDeliveries(twin.postgres.db, { status, limit, before })).toEqual(
            sqliteQueries.listDeliveries(twin.sqlite.db, { status, limit, before }),
          );
        }
      }
      // paging back by the last row's creation time, to the end
      let before: number | undefined;
      for (let page = 0; page < 20; page++) {
        const expected = sqliteQueries.listDeliveries(twin.sqlite.db, { status, limit: 4, before });
        expect(await pgQueries.listDeliveries(twin.postgres.db, { status, limit: 4, before })).toEqual(expected);
        if (expected.length === 0) break;
        before = expected.at(-1)!.delivery.createdAt;
      }
    }
  });

  it("finds a delivery and counts the deliveries by status as SQLite does", async () => {
    for (const id of ["dlv-00", "dlv-17", "dlv-39", "dlv-none"]) {
      expect(await pgQueries.findDelivery(twin.postgres.db, id)).toEqual(
        sqliteQueries.findDelivery(twin.sqlite.db, id),
      );
    }
    expect(await pgQueries.findDelivery(twin.postgres.db, "dlv-none")).toBeUndefined();
    const counts = sqliteQueries.countDeliveriesByStatus(twin.sqlite.db);
    expect(counts).toEqual({ pending: 27, delivered: 8, dead: 5 });
    expect(await pgQueries.countDeliveriesByStatus(twin.postgres.db)).toEqual(counts);
  });

  it("records events once, and delivers, fails, kills and retries deliveries step for step as on SQLite", async () => {
    const event = (id: string, key: string) => ({
      id,
      key,
      kind: "review-requested",
      runId: "run-story",
      payload: "{}",
      createdAt: 500_000,
    });
    const delivery = (id: string, nextAttemptAt: number) => ({
      id,
      eventId: "evt-story",
      channel: "webhook" as const,
      recipientId: "hook-1",
      address: "https://hooks.example.com/1",
      nextAttemptAt,
      createdAt: 500_000,
    });
    type Store = {
      insertEvent: (id: string, key: string) => Promise<boolean>;
      insertDelivery: (id: string, nextAttemptAt: number) => Promise<void>;
      delivered: (id: string, at: number) => Promise<boolean>;
      failed: (id: string, at: number, error: string, nextAttemptAt: number | null) => Promise<boolean>;
      retry: (id: string, at: number) => Promise<boolean>;
      find: (id: string) => Promise<sqliteQueries.DeliveryWithEvent | undefined>;
      counts: () => Promise<Record<string, number>>;
    };
    const story = async (store: Store) => {
      const steps: unknown[] = [];
      steps.push(await store.insertEvent("evt-story", "story:1"));
      steps.push(await store.insertEvent("evt-story-2", "story:1")); // same key: recorded earlier
      steps.push(await store.insertEvent("evt-story", "story:2")); // same id
      for (const id of ["s-1", "s-2", "s-3"]) await store.insertDelivery(id, 600_000);
      steps.push(await store.delivered("s-1", 600_100), await store.delivered("s-1", 600_200));
      steps.push(await store.failed("s-1", 600_300, "late", 700_000)); // delivered: a retry cannot undo it
      steps.push(await store.failed("s-2", 600_400, "503 — busy", 650_000));
      steps.push(await store.failed("s-2", 650_100, "503 again", 700_000));
      steps.push(await store.failed("s-2", 700_100, "gone", null)); // dead
      steps.push(await store.failed("s-2", 700_200, "after death", 800_000), await store.delivered("s-2", 700_300));
      steps.push(await store.retry("s-2", 710_000), await store.retry("s-1", 710_000)); // dead: yes; delivered: no
      steps.push(await store.retry("s-3", 720_000), await store.retry("s-none", 720_000));
      steps.push(await store.failed("s-none", 1, "x", null), await store.delivered("s-none", 1));
      steps.push(await store.delivered("s-2", 730_000));
      for (const id of ["s-1", "s-2", "s-3"]) steps.push(await store.find(id));
      steps.push(await store.counts());
      return steps;
    };
    const onSqlite = await story({
      insertEvent: async (id, key) => sqliteQueries.insertNotificationEvent(twin.sqlite.db, event(id, key)),
      insertDelivery: async (id, at) => sqliteQueries.insertDelivery(twin.sqlite.db, delivery(id, at)),
      delivered: async (id, at) => sqliteQueries.markDelivered(twin.sqlite.db, { id, at }),
      failed: async (id, at, error, nextAttemptAt) =>
        sqliteQueries.recordDeliveryFailure(twin.sqlite.db, { id, at, error, nextAttemptAt }),
      retry: async (id, at) => sqliteQueries.retryDeliveryNow(twin.sqlite.db, { id, at }),
      find: async (id) => sqliteQueries.findDelivery(twin.sqlite.db, id),
      counts: async () => sqliteQueries.countDeliveriesByStatus(twin.sqlite.db),
    });
    const onPostgres = await story({
      insertEvent: (id, key) => pgQueries.insertNotificationEvent(twin.postgres.db, event(id, key)),
      insertDelivery: (id, at) => pgQueries.insertDelivery(twin.postgres.db, delivery(id, at)),
      delivered: (id, at) => pgQueries.markDelivered(twin.postgres.db, { id, at }),
      failed: (id, at, error, nextAttemptAt) =>
        pgQueries.recordDeliveryFailure(twin.postgres.db, { id, at, error, nextAttemptAt }),
      retry: (id, at) => pgQueries.retryDeliveryNow(twin.postgres.db, { id, at }),
      find: (id) => pgQueries.findDelivery(twin.postgres.db, id),
      counts: () => pgQueries.countDeliveriesByStatus(twin.postgres.db),
    });
    // events: new, same key, same id; s-1 delivered once; s-2 retried twice, dead, then retried now and delivered;
    // s-3 retried while pending; unknown ids change nothing
    const outcomes = [true, false, false, true, false, false, true, true, true, false, false, true, false, true];
    expect(onSqlite.slice(0, 18)).toEqual([...outcomes, false, false, false, true]);
    const s2 = (onSqlite[19] as sqliteQueries.DeliveryWithEvent).delivery;
    expect([s2.status, s2.attempts, s2.lastError, s2.deliveredAt]).toEqual(["delivered", 1, null, 730_000]);
    expect(onPostgres).toEqual(onSqlite);
  });

  it("writes an event and its delivery in the caller's transaction, and a rollback undoes both", async () => {
    await expect(
      twin.postgres.db.transaction(async (tx) => {
        expect(
          await pgQueries.insertNotificationEvent(tx, {
            id: "evt-tx",
            key: "tx:1",
            kind: "k",
            runId: null,
            payload: "{}",
            createdAt: 1,
          }),
        ).toBe(true);
        await pgQueries.insertDelivery(tx, {
          id: "dlv-tx",
          eventId: "evt-tx",
          channel: "email",
          recipientId: null,
          address: "a@example.com",
          nextAttemptAt: 1,
          createdAt: 1,
        });
        expect(await pgQueries.findDelivery(tx, "dlv-tx")).toBeDefined();
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await pgQueries.findDelivery(twin.postgres.db, "dlv-tx")).toBeUndefined();
  });

  it("sets preferences and lists the disabled kinds and the active people as SQLite does", async () => {
    const choices = [
      ["user-0", "review-requested", "email", false],
      ["user-0", "review-overdue", "email", false],
      ["user-0", "review-requested", "email", true], // turned back on
      ["user-0", "review-overdue", "slack", false],
      ["user-1", "review-overdue", "email", false],
      ["user-1", "review-overdue", "email", false], // the same again
      ["user-1", "published", "email", true],
    ] as const;
    for (const [userId, kind, channel, enabled] of choices) {
      sqliteQueries.setPreference(twin.sqlite.db, { userId, kind, channel, enabled });
      await pgQueries.setPreference(twin.postgres.db, { userId, kind, channel, enabled });
    }
    for (const userId of ["user-0", "user-1", "user-none"]) {
      for (const channel of channels) {
        expect(await pgQueries.listDisabledKinds(twin.postgres.db, userId, channel)).toEqual(
          sqliteQueries.listDisabledKinds(twin.sqlite.db, userId, channel),
        );
      }
    }
    expect([...(await pgQueries.listDisabledKinds(twin.postgres.db, "user-0", "email"))]).toEqual(["review-overdue"]);
    const byKey = (a: { userId: string; kind: string; channel: string }, b: typeof a) =>
      `${a.userId}/${a.kind}/${a.channel}`.localeCompare(`${b.userId}/${b.kind}/${b.channel}`);
    expect((await twin.postgres.db.select().from(pgSchema.notificationPreferences)).sort(byKey)).toEqual(
      twin.sqlite.db.select().from(sqliteSchema.notificationPreferences).all().sort(byKey),
    );
    for (const ids of [[], ["user-a", "user-3", "user-Z", "user-2", "user-none", "user-0"], ["user-1"]]) {
      expect(await pgQueries.findActivePeople(twin.postgres.db, ids)).toEqual(
        sqliteQueries.findActivePeople(twin.sqlite.db, ids),
      );
    }
    expect(
      (await pgQueries.findActivePeople(twin.postgres.db, ["user-a", "user-3", "user-Z"])).map((p) => p.id),
    ).toEqual(["user-3", "user-Z", "user-a"]);
  });

  it("adds, lists, finds and disables webhook endpoints step for step as on SQLite", async () => {
    const story = async (store: {
      insert: (row: sqliteSchema.WebhookEndpointRow) => Promise<void>;
      list: (activeOnly: boolean) => Promise<sqliteSchema.WebhookEndpointRow[]>;
      find: (id: string) => Promise<sqliteSchema.WebhookEndpointRow | undefined>;
      disable: (id: string, at: number) => Promise<boolean>;
    }) => {
      const steps: unknown[] = [await store.list(false)];
      // created at tied times (ids in insertion order, as SQLite's scan leaves ties)
      for (const [n, createdAt] of [
        [1, 2_000],
        [2, 1_000],
        [3, 2_000],
        [4, 1_000],
        [5, 3_000],
        [6, 2_000],
      ] as const)
        await store.insert(endpoint(n, createdAt));
      steps.push(await store.list(false), await store.list(true));
      steps.push(await store.disable("hook-02", 5_000), await store.disable("hook-02", 6_000));
      steps.push(await store.disable("hook-03", 5_000), await store.disable("hook-none", 5_000));
      steps.push(await store.find("hook-02"), await store.find("hook-05"), await store.find("hook-none"));
      steps.push(await store.list(false), await store.list(true));
      return steps;
    };
    const onSqlite = await story({
      insert: async (row) => sqliteQueries.insertWebhookEndpoint(twin.sqlite.db, row),
      list: async (activeOnly) => sqliteQueries.listWebhookEndpoints(twin.sqlite.db, { activeOnly }),
      find: async (id) => sqliteQueries.findWebhookEndpoint(twin.sqlite.db, id),
      disable: async (id, at) => sqliteQueries.disableWebhookEndpoint(twin.sqlite.db, { id, at }),
    });
    const onPostgres = await story({
      insert: (row) => pgQueries.insertWebhookEndpoint(twin.postgres.db, row),
      list: (activeOnly) => pgQueries.listWebhookEndpoints(twin.postgres.db, { activeOnly }),
      find: (id) => pgQueries.findWebhookEndpoint(twin.postgres.db, id),
      disable: (id, at) => pgQueries.disableWebhookEndpoint(twin.postgres.db, { id, at }),
    });
    expect(onSqlite.slice(3, 7)).toEqual([true, false, false, false]);
    expect((onSqlite[1] as sqliteSchema.WebhookEndpointRow[]).map((row) => row.id)).toEqual([
      "hook-02",
      "hook-04",
      "hook-01",
      "hook-03",
      "hook-06",
      "hook-05",
    ]);
    expect(onSqlite[9]).toBeUndefined();
    expect(onPostgres).toEqual(onSqlite);
  });

  it("reads and writes the Slack webhook URL step for step as on SQLite", async () => {
    const at = (n: number) => new Date(Date.UTC(2026, 10, 30, 9, n, 0, 123));
    const story = async (store: {
      read: () => Promise<string | undefined>;
      write: (url: string | null, n: number, byId: string | null) => Promise<void>;
      row: () => Promise<unknown>;
    }) => {
      const steps: unknown[] = [await store.read()];
      await store.write("https://hooks.slack.com/services/T/B/one", 1, "user-0");
      steps.push(await store.read(), await store.row());
      await store.write(null, 2, null); // cleared
      steps.push(await store.read(), await store.row());
      await store.write("https://hooks.slack.com/services/T/B/two", 3, "user-1");
      steps.push(await store.read(), await store.row());
      return steps;
    };
    const onSqlite = await story({
      read: async () => sqliteQueries.readSlackWebhookUrl(twin.sqlite.db),
      write: async (url, n, byId) => sqliteQueries.writeSlackWebhookUrl(twin.sqlite.db, { url, at: at(n), byId }),
      row: async () => twin.sqlite.db.select().from(sqliteSchema.workspaceSettings).all(),
    });
    const onPostgres = await story({
      read: () => pgQueries.readSlackWebhookUrl(twin.postgres.db),
      write: (url, n, byId) => pgQueries.writeSlackWebhookUrl(twin.postgres.db, { url, at: at(n), byId }),
      row: () => twin.postgres.db.select().from(pgSchema.workspaceSettings),
    });
    expect([onSqlite[0], onSqlite[1], onSqlite[3], onSqlite[5]]).toEqual([
      undefined,
      "https://hooks.slack.com/services/T/B/one",
      undefined,
      "https://hooks.slack.com/services/T/B/two",
    ]);
    expect(onPostgres).toEqual(onSqlite);
  });
});

describe("PostgreSQL notification queries with concurrent writers", () => {
  it("records an event inserted at once from two pools exactly once, in each of 20 rounds", async () => {
    const [first, second] = [await openPool(2), await openPool(2)];
    for (let round = 0; round < 20; round++) {
      const outcomes = await Promise.all(
        [first, second].map((connection, i) =>
          connection.db.transaction(async (tx) => {
            const inserted = await pgQueries.insertNotificationEvent(tx, {
              id: `evt-race-${round}-${i}`,
              key: `race:${round}`,
              kind: "k",
              runId: null,
              payload: "{}",
              createdAt: round,
            });
            // hold the transaction open: the other insert waits for this one to commit, then finds the key
            await new Promise((resolve) => setTimeout(resolve, 10));
            return inserted;
          }),
        ),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    }
    const rows = await twin.postgres.db.select().from(pgSchema.notificationEvents);
    expect(rows.filter((row) => row.key.startsWith("race:"))).toHaveLength(20);
  });

  it("lets exactly one of two pools settle the same delivery, and one disable the same endpoint", async () => {
    const [first, second] = [await openPool(2), await openPool(2)];
    await pgQueries.insertWebhookEndpoint(twin.postgres.db, { ...endpoint(50, 1), disabledAt: null });
    for (let round = 0; round < 10; round++) {
      const id = `dlv-race-${round}`;
      await pgQueries.insertDelivery(twin.postgres.db, {
        id,
        eventId: "evt-00",
        channel: "email",
        recipientId: null,
        address: "a@example.com",
        nextAttemptAt: 1,
        createdAt: 1,
      });
      const outcomes = await Promise.all([
        first.db.transaction((tx) => pgQueries.markDelivered(tx, { id, at: 10 })),
        second.db.transaction((tx) =>
          pgQueries.recordDeliveryFailure(tx, { id, at: 11, error: "permanent", nextAttemptAt: null }),
        ),
      ]);
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const settled = (await pgQueries.findDelivery(twin.postgres.db, id))!.delivery;
      expect([settled.status, settled.attempts]).toEqual([outcomes[0] ? "delivered" : "dead", 1]);
    }
    const disabled = await Promise.all(
      [first, second].map((connection, i) =>
        pgQueries.disableWebhookEndpoint(connection.db, { id: "hook-50", at: 100 + i }),
      ),
    );
    expect(disabled.filter(Boolean)).toHaveLength(1);
  });
});
