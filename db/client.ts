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
  close(): void;
}

/**
 * Opens (creating if needed) the SQLite file, applies the pragmas every connection needs and runs the
 * migrations in `db/migrations/`. Open one connection per process and share it.
 */
export function openDatabase(file: string): DatabaseConnection {
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
    runMigrations(db);
    return { db, sqlite, close: () => sqlite.close() };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/** How many of the shipped migrations this database has applied, for readiness checks. */
export function migrationStatus(connection: DatabaseConnection): { applied: number; expected: number } {
  const journal = JSON.parse(fs.readFileSync(path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations", "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  const row = connection.sqlite.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number };
  return { applied: row.n, expected: journal.entries.length };
}

function runMigrations(db: AppDatabase): void {
  // Resolved from the working directory so Next's standalone output traces the folder; turbopackIgnore keeps
  // the rest of the working directory (data/*.db) out of that trace.
  const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");
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
