import { afterEach, beforeEach, inject } from "vitest";
import { connectPostgres, migratePostgres } from "@/db/pg/client";
import { PgStore } from "@/db/pg/pg-store";
import { openSqliteStore, SqliteStore } from "@/db/sqlite-store";
import type { Store } from "@/db/store";
import { OfflineWriter } from "@/lib/release-notes";
import { DraftgateService, type DraftgateServiceOptions } from "@/lib/services/draftgate-service";
import { withPostgresPlaceholders } from "./database-rows";
import { createTestDatabase, dropTestDatabase } from "./postgres";
import { makeTempDir } from "./temp-database";

/** The service's options but its store: the harness opens that (see `connect`). */
export type ServiceDefaults = Partial<Omit<DraftgateServiceOptions, "store">>;
/** What `make` takes: a database (`file`, the test's "app.db" by default) and any option of the service. */
export type ServiceOverrides = ServiceDefaults & { file?: string };

/**
 * Which store the service suites run on: SQLite files, or PostgreSQL databases when DRAFTGATE_TEST_STORE=postgres
 * (the vitest project "postgres" sets it; vitest.config.ts).
 */
export const testStore: "sqlite" | "postgres" = process.env.DRAFTGATE_TEST_STORE === "postgres" ? "postgres" : "sqlite";

export interface ServiceHarness {
  /** A database of this test, by name: every service made with the same one shares it. */
  file(name?: string): string;
  /** A service over `file` (or the test's "app.db"), closed with its store after the test. */
  make(options?: ServiceOverrides): Promise<DraftgateService>;
}

/** A migrated database per worker that each test's databases are copied from (CREATE DATABASE ... TEMPLATE). */
let template: Promise<string> | undefined;

async function migratedTemplate(): Promise<string> {
  const url = await createTestDatabase(inject("postgresUrl"), "template");
  const connection = connectPostgres(url, { max: 1 });
  try {
    await migratePostgres(connection);
  } finally {
    await connection.close();
  }
  return url;
}

/**
 * The one place that opens a test's database: a SQLite file, or a PostgreSQL database named after it (created from
 * the migrated template the first time the test asks for that name).
 */
async function connect(file: string, databases: Map<string, string>): Promise<Store> {
  if (testStore === "sqlite") return openSqliteStore(file);
  let url = databases.get(file);
  if (!url) {
    template ??= migratedTemplate();
    url = await createTestDatabase(inject("postgresUrl"), "service", { template: await template });
    databases.set(file, url);
  }
  return new PgStore(connectPostgres(url, { max: 5 }), { ownsConnection: true });
}

/**
 * A store for a suite with a lifecycle of its own (one service for the whole file): on `file`, or on a fresh
 * PostgreSQL database under the postgres project. `drop` removes that database once the store is closed.
 */
export async function openTestStore(file: string): Promise<{ store: Store; database: string; drop(): Promise<void> }> {
  const databases = new Map<string, string>();
  const store = await connect(file, databases);
  return {
    store,
    /** The file, or the PostgreSQL database's URL: for tests/support/database-rows.ts. */
    database: databases.get(file) ?? file,
    drop: async () => {
      await Promise.all([...databases.values()].map((url) => dropTestDatabase(inject("postgresUrl"), url)));
    },
  };
}

/**
 * Services for the tests of one file, each test with databases of its own: registers the hooks that make a fresh
 * temp dir before each test, and close every service made in it (and remove the dir and its databases) after. Call
 * it after the file's own `afterEach` hooks when those must run once the services are closed (vitest runs them in
 * reverse). `defaults` apply to every `make`, under its own options; the writer is the offline one unless they say
 * otherwise.
 */
export function serviceHarness(defaults: ServiceDefaults = {}): ServiceHarness {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  let services: DraftgateService[] = [];
  const databases = new Map<string, string>();

  beforeEach(() => {
    temp = makeTempDir();
    services = [];
  });
  afterEach(async () => {
    await Promise.all(services.map((service) => service.close()));
    services = [];
    await Promise.all([...databases.values()].map((url) => dropTestDatabase(inject("postgresUrl"), url)));
    databases.clear();
    temp?.cleanup();
    temp = undefined;
  });

  const file = (name = "app.db") => {
    if (!temp) throw new Error("serviceHarness: a database is only there during a test (or its beforeEach)");
    return temp.file(name);
  };

  return {
    file,
    async make({ file: path = file(), ...options } = {}) {
      const service = new DraftgateService({
        chatClient: new OfflineWriter(),
        ...defaults,
        ...options,
        store: await connect(path, databases),
      });
      services.push(service);
      return service;
    },
  };
}

/**
 * Runs raw SQL on a store, for tests that set up what the services never write (a row as an older release left
 * it, a process that died holding a lease). `?` placeholders, as SQLite writes them, work on both.
 */
export async function runSql(store: Store, statement: string, ...params: unknown[]): Promise<void> {
  if (store instanceof PgStore) {
    await store.connection.pool.query(withPostgresPlaceholders(statement), params);
  } else if (store instanceof SqliteStore) {
    store.connection.sqlite.prepare(statement).run(...params);
  } else throw new Error("runSql: an unknown store");
}
