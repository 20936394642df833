import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseConnection } from "@/db/client";
import { SqliteStore } from "@/db/sqlite-store";
import { makeTempDir } from "@/tests/support/temp-database";
import type { Actor } from "./actor";
import { PeopleService } from "./people-service";

// SQLite only: another process holding the file's write lock (PostgreSQL locks rows, not the database).

let temp: ReturnType<typeof makeTempDir>;
let connection: DatabaseConnection;
let clock: Date;
let people: PeopleService;

beforeEach(() => {
  temp = makeTempDir();
  connection = openDatabase(temp.file("people.db"));
  clock = new Date("2026-11-30T12:00:00.000Z");
  people = new PeopleService({ store: new SqliteStore(connection), now: () => clock });
});
afterEach(() => {
  connection.close();
  temp.cleanup();
});

async function admin(): Promise<Actor> {
  const person = await people.setUp({
    email: "Ada@Example.com",
    name: "Ada Admin",
    password: "Kettle-Orbit-Violet-42",
    allowSelfApproval: false,
  });
  return (await people.actorForUser(person.userId, "password"))!;
}

describe("API keys on a SQLite file", () => {
  it("records a key's use once a minute, so API calls do not write (and wait for the write lock) on every request", async () => {
    const ada = await admin();
    const { key } = await people.createApiKey(ada, { name: "deploy script" });
    const lastUsed = async () => (await people.listApiKeys(ada))[0]?.lastUsedAt;
    await people.actorForApiKey(key);
    expect(await lastUsed()).toBe(clock.toISOString());
    const firstUse = clock.toISOString();
    // another process is writing (a worker saving a checkpoint): a lookup within the minute must not need the lock
    connection.sqlite.pragma("busy_timeout = 0");
    const writer = new Database(temp.file("people.db"));
    writer.exec("begin immediate");
    try {
      clock = new Date(clock.getTime() + 59_000);
      expect(await people.actorForApiKey(key)).toMatchObject({ userId: ada.userId });
    } finally {
      writer.exec("rollback");
      writer.close();
    }
    expect(await lastUsed()).toBe(firstUse);
    clock = new Date(clock.getTime() + 1_000);
    await people.actorForApiKey(key);
    expect(await lastUsed()).toBe(clock.toISOString());
  });
});
