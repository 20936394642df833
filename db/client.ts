import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type AppDatabase = BetterSQLite3Database<typeof schema>;

export interface DatabaseConnection {
  /** Drizzle over the connection below; query functions take this (or a transaction) as first argument. */
  db: AppDatabase;
  /** The raw better-sqlite3 connection, for pragmas and `transaction(...).immediate()`. */
  sqlite: Database.Database;
  /** The folder the migrations were applied from (readiness compares its journal with the applied ones). */
  migrationsFolder: string;
  close(): void;
}

/**
 * The migrations shipped with Draftgate. Resolved from the working directory (the repository root for
 * `npm start`, the CLI and the tests) so Next's standalone output traces the folder; turbopackIgnore keeps the rest
 * of the working directory (data/*.db) out of that trace. Code embedding the store elsewhere passes its own path.
 */
export const DEFAULT_MIGRATIONS_FOLDER = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");

export interface OpenDatabaseOptions {
  /** Where drizzle-kit's migrations for this schema are (default {@link DEFAULT_MIGRATIONS_FOLDER}). */
  migrationsFolder?: string;
}

/**
 * Opens (creating if needed) the SQLite file, applies the pragmas every connection needs and runs the
 * migrations in `db/migrations/`. Open one connection per process and share it.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): DatabaseConnection {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  // drizzle's own message ("Can't find meta/_journal.json file") does not say where it looked
  if (!fs.existsSync(path.join(migrationsFolder, "meta", "_journal.json"))) {
    throw new Error(
      `No Draftgate migrations in ${migrationsFolder} (meta/_journal.json is missing); pass openDatabase's migrationsFolder option.`,
    );
  }
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  try {
    // WAL: readers never block the writer. NORMAL is durable across application crashes in WAL mode (only a
    // power loss can drop the last commits). busy_timeout makes a second process wait on BEGIN IMMEDIATE
    // instead of failing at once with SQLITE_BUSY.
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    const db = drizzle(sqlite, { schema });
    runMigrations(db, migrationsFolder);
    return { db, sqlite, migrationsFolder, close: () => sqlite.close() };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/** How many of the shipped migrations this database has applied, for readiness checks. */
export function migrationStatus(connection: DatabaseConnection): { applied: number; expected: number } {
  const journal = JSON.parse(
    fs.readFileSync(path.join(connection.migrationsFolder, "meta", "_journal.json"), "utf8"),
  ) as { entries: unknown[] };
  const row = connection.sqlite.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number };
  return { applied: row.n, expected: journal.entries.length };
}

function runMigrations(db: AppDatabase, migrationsFolder: string): void {
  try {
    migrate(db, { migrationsFolder });
  } catch (error) {
    // drizzle's migrator reads the applied migrations before its (deferred) BEGIN, so when two processes open a
    // fresh file at once the slower one replays a migration the other has just committed and fails on
    // "table already exists". Running it again reads the committed state and has nothing left to do.
    try {
      migrate(db, { migrationsFolder });
    } catch {
      throw error;
    }
  }
}
