import type { InferInsertModel } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { afterAll, beforeAll, inject } from "vitest";
import { createTestDatabase } from "@/tests/support/postgres";
import { makeTempDir } from "@/tests/support/temp-database";
import { openDatabase, type DatabaseConnection } from "../client";
import { openPostgres, type PgConnection } from "../pg/client";

/** One table in both stores and the rows both get. */
export type TwinRows<S extends SQLiteTable = SQLiteTable, P extends PgTable = PgTable> = readonly [
  sqliteTable: S,
  pgTable: P,
  rows: InferInsertModel<S> | InferInsertModel<S>[],
];

export interface TwinStores {
  /** The SQLite twin (a file in a temp dir); only valid inside tests and later hooks. */
  readonly sqlite: DatabaseConnection;
  /** The PostgreSQL twin (a fresh database); only valid inside tests and later hooks. */
  readonly postgres: PgConnection;
  /** The fresh PostgreSQL database's URL. */
  readonly url: string;
  /** Another pool, on `url` or the twin database; closed after all tests. */
  openPool(max: number, url?: string): Promise<PgConnection>;
  /** Inserts the same rows into both stores, SQLite first. */
  insertBoth<S extends SQLiteTable, P extends PgTable>(
    sqliteTable: S,
    pgTable: P,
    rows: InferInsertModel<S> | InferInsertModel<S>[],
  ): Promise<void>;
  /** `insertBoth` for each table in turn. */
  seed(pairs: readonly TwinRows[]): Promise<void>;
}

/**
 * A SQLite database and a fresh PostgreSQL one, opened before the file's tests and closed after them, for tests
 * asserting that the PostgreSQL queries answer as the SQLite ones do. Call at module level; it registers the hooks.
 */
export function twinStores(prefix: string, options: { max?: number } = {}): TwinStores {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  let sqlite: DatabaseConnection | undefined;
  let postgres: PgConnection | undefined;
  let url: string | undefined;
  const extraConnections: PgConnection[] = [];
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`twinStores: ${name} is only available once beforeAll has run`);
    return value;
  };

  beforeAll(async () => {
    temp = makeTempDir();
    sqlite = openDatabase(temp.file("twin.db"));
    url = await createTestDatabase(inject("postgresUrl"), prefix);
    postgres = await openPostgres(url, { max: options.max });
  });
  afterAll(async () => {
    sqlite?.close();
    await postgres?.close();
    await Promise.all(extraConnections.map((connection) => connection.close()));
    temp?.cleanup();
  });

  const stores: TwinStores = {
    get sqlite() {
      return ready(sqlite, "sqlite");
    },
    get postgres() {
      return ready(postgres, "postgres");
    },
    get url() {
      return ready(url, "url");
    },
    async openPool(max, poolUrl) {
      const connection = await openPostgres(poolUrl ?? stores.url, { max });
      extraConnections.push(connection);
      return connection;
    },
    async insertBoth(sqliteTable, pgTable, rows) {
      // Both tables take these rows; drizzle cannot see that through the generic table types.
      const list = (Array.isArray(rows) ? rows : [rows]) as never[];
      stores.sqlite.db.insert(sqliteTable).values(list).run();
      await stores.postgres.db.insert(pgTable).values(list);
    },
    async seed(pairs) {
      for (const [sqliteTable, pgTable, rows] of pairs) await stores.insertBoth(sqliteTable, pgTable, rows);
    },
  };
  return stores;
}
