import path from "node:path";
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase as PgCoreDatabase } from "drizzle-orm/pg-core";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "./schema";

/** The shipped PostgreSQL migrations, from the working directory as for SQLite (db/client.ts says why). */
export const DEFAULT_PG_MIGRATIONS_FOLDER = path.join(
  /* turbopackIgnore: true */ process.cwd(),
  "db",
  "pg",
  "migrations",
);

export type PgDatabase = NodePgDatabase<typeof schema>;

/** A transaction on the pool (drizzle's, over one pooled client). */
export type PgTransaction = Parameters<Parameters<PgDatabase["transaction"]>[0]>[0];

/** What query functions take: the pool's database or a caller's transaction (both are drizzle's `PgDatabase`). */
export type PgExecutor = PgCoreDatabase<NodePgQueryResultHKT, typeof schema>;

export interface PgConnection {
  db: PgDatabase;
  /** The pool behind `db`, for transactions that need a client of their own. */
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * A pool on PostgreSQL (`postgres://user:password@host:port/database`), without touching the database yet: for a
 * process whose database was migrated at its start ({@link migratePostgres}).
 */
export function connectPostgres(url: string, options: { max?: number } = {}): PgConnection {
  // short OLTP queries: JIT compilation costs more than it saves (30 ms on the 10,000-run inbox), and the inbox sorts
  // its rows in memory rather than on disk (about 7 MB at 10,000 runs)
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, options: "-c jit=off -c work_mem=16MB" });
  // An idle client whose connection the server ended (a restart, a failover) is dropped by the pool and the next
  // query connects anew; without a listener node would treat the event as an uncaught error and exit.
  pool.on("error", () => {});
  return { db: drizzle(pool, { schema }), pool, close: () => pool.end() };
}

/**
 * Applies the migrations in `db/pg/migrations/`, one process at a time (an advisory lock), so servers starting
 * together on a fresh database do not both create the tables.
 */
export async function migratePostgres(
  connection: PgConnection,
  options: { migrationsFolder?: string } = {},
): Promise<void> {
  const client = await connection.pool.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('draftgate:migrations'))");
    await migrate(drizzle(client, { schema }), {
      migrationsFolder: options.migrationsFolder ?? DEFAULT_PG_MIGRATIONS_FOLDER,
    });
  } finally {
    await client.query("select pg_advisory_unlock(hashtext('draftgate:migrations'))").catch(() => {});
    client.release();
  }
}

/** Connects ({@link connectPostgres}) and migrates ({@link migratePostgres}). Open one pool per process and share it. */
export async function openPostgres(
  url: string,
  options: { max?: number; migrationsFolder?: string } = {},
): Promise<PgConnection> {
  const connection = connectPostgres(url, options);
  try {
    await migratePostgres(connection, options);
    return connection;
  } catch (error) {
    await connection.close();
    throw error;
  }
}
