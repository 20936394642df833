import type { CheckpointRecord, CheckpointStorage, SaveOptions } from "@/lib/workflow";
import type { AppDatabase } from "./client";
import type * as auditQueries from "./audit-queries";
import type * as notificationQueries from "./notification-queries";
import type * as peopleQueries from "./people-queries";
import type * as reviewQueries from "./review-queries";
import type * as runQueries from "./run-queries";
import type * as timerQueries from "./timer-queries";

type QueryModules = typeof auditQueries &
  typeof notificationQueries &
  typeof peopleQueries &
  typeof reviewQueries &
  typeof runQueries &
  typeof timerQueries;

/**
 * The exports of `M` that are query functions: those taking the database first, except the unexecuted builders
 * (`…Query`) that query-plan tests explain.
 */
type QueryNames<M, Db> = {
  [K in keyof M]: K extends `${string}Query` ? never : M[K] extends (db: Db, ...args: never[]) => unknown ? K : never;
}[keyof M];

/** The query functions of `M` with their database bound, each asynchronous. */
export type BoundQueries<M, Db> = {
  [K in QueryNames<M, Db>]: M[K] extends (db: Db, ...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/**
 * Every query the services run, named and typed after the SQLite query modules (`db/*-queries.ts`); the
 * PostgreSQL twins (`db/pg/*-queries.ts`) must bind to this same type, so a twin that drifts does not compile.
 */
export type Queries = BoundQueries<QueryModules, AppDatabase>;

/** Binds every function of the modules to `db`; asynchronous whether or not the driver is. */
export function bindQueries<Db>(
  modules: readonly object[],
  db: Db,
): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const bound: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const queryModule of modules) {
    for (const [name, value] of Object.entries(queryModule)) {
      if (typeof value !== "function") continue;
      const query = value as (db: Db, ...args: unknown[]) => unknown;
      bound[name] = async (...args) => query(db, ...args);
    }
  }
  return bound;
}

/** Runs inside a save's transaction after the checkpoint is written; a throw rolls the whole save back. */
export type SaveHook = (tx: Queries, record: CheckpointRecord, options: SaveOptions) => Promise<void>;

/** Checkpoint storage whose saves can write more rows in the same transaction (the run row, audit, deadlines). */
export interface TransactionalCheckpointStorage extends CheckpointStorage {
  save(record: CheckpointRecord, options?: SaveOptions, inTransaction?: SaveHook): Promise<void>;
}

/** A per-key counter of one fixed window (rate-limiter-flexible's store on the `rate_limits` table). */
export interface RateLimiterSettings {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/**
 * The services' database: SQLite (one file, the default) or PostgreSQL (`DATABASE_URL`). The services run the
 * same use cases on either; only this and the query modules know the dialect.
 */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  /** Queries outside any transaction. */
  readonly queries: Queries;
  /**
   * Runs `body` in one transaction that takes the write lock first (SQLite `BEGIN IMMEDIATE`; PostgreSQL row
   * locks as the queries take them): everything it writes commits together or not at all. `body` runs its
   * queries through `tx` and awaits nothing but them.
   */
  transaction<T>(body: (tx: Queries) => Promise<T>): Promise<T>;
  readonly checkpoints: TransactionalCheckpointStorage;
  /** A rate limiter counting in this database, shared by every process on it. */
  rateLimiter(settings: RateLimiterSettings): RateLimiter;
  /** How many of the shipped migrations this database has applied, for readiness checks. */
  migrationStatus(): Promise<{ applied: number; expected: number }>;
  /**
   * How processes on this database hear each other's live run events, when the database carries them (PostgreSQL's
   * LISTEN/NOTIFY); closed with the store. A SQLite file has no such channel: its runs stream in the process that
   * executes them.
   */
  readonly liveEvents?: LiveEventChannel;
  /** What the sign-in library's drizzle adapter takes. */
  readonly authDatabase: { db: unknown; provider: "sqlite" | "pg" };
  close(): Promise<void>;
}

/**
 * Text messages to every process on the database (db/pg/pg-event-bus.ts): at most once, and only to those listening
 * at the time.
 */
export interface LiveEventChannel {
  publish(message: string): Promise<void>;
  /** `onGap`: messages were missed (a lost connection); what was built from them is stale. */
  subscribe(listener: (message: string) => void, onGap: () => void): () => void;
  close(): Promise<void>;
}

/** rate-limiter-flexible's limiter, as the services use it. */
export interface RateLimiter {
  /** Resolves when a point was left; rejects with the library's `RateLimiterRes` when the key used up its window. */
  consume(key: string): Promise<unknown>;
}
