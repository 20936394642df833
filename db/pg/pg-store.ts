import fs from "node:fs";
import path from "node:path";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import type { CheckpointRecord, SaveOptions } from "@/lib/workflow";
import type { BoundQueries, LiveEventChannel, Queries, RateLimiterSettings, SaveHook, Store } from "../store";
import { bindQueries } from "../store";
import * as auditQueries from "./audit-queries";
import { DEFAULT_PG_MIGRATIONS_FOLDER, type PgConnection, type PgExecutor } from "./client";
import * as notificationQueries from "./notification-queries";
import * as peopleQueries from "./people-queries";
import { PgCheckpointStorage } from "./pg-checkpoint-storage";
import * as reviewQueries from "./review-queries";
import * as runQueries from "./run-queries";
import * as timerQueries from "./timer-queries";

const QUERY_MODULES = [auditQueries, notificationQueries, peopleQueries, reviewQueries, runQueries, timerQueries];

type PgQueries = BoundQueries<
  typeof auditQueries &
    typeof notificationQueries &
    typeof peopleQueries &
    typeof reviewQueries &
    typeof runQueries &
    typeof timerQueries,
  PgExecutor
>;

/** The twins' parity, checked by the compiler: a missing twin or a different signature fails here. */
function asQueries(queries: PgQueries): Queries {
  return queries;
}

const bind = (executor: PgExecutor) => asQueries(bindQueries(QUERY_MODULES, executor) as unknown as PgQueries);

/**
 * The {@link Store} on PostgreSQL: a pool shared by the process, a transaction on one pooled client (READ
 * COMMITTED). Where SQLite's single writer made read-then-write safe, the queries here lock or write in one
 * statement (db/pg/*-queries.ts say how, each).
 */
export class PgStore implements Store {
  readonly dialect = "postgres";
  readonly queries: Queries;
  readonly checkpoints;
  readonly authDatabase;
  readonly liveEvents: LiveEventChannel | undefined;

  constructor(
    readonly connection: PgConnection,
    private readonly options: {
      ownsConnection?: boolean;
      migrationsFolder?: string;
      /** LISTEN/NOTIFY between the processes (a PgEventBus), closed with the store. */
      liveEvents?: LiveEventChannel;
    } = {},
  ) {
    this.liveEvents = options.liveEvents;
    this.queries = bind(connection.db);
    const storage = new PgCheckpointStorage(connection);
    // the engine's storage, with saves whose hook gets the transaction's queries
    this.checkpoints = {
      save: (record: CheckpointRecord, saveOptions: SaveOptions = {}, inTransaction?: SaveHook) =>
        storage.save(record, saveOptions, inTransaction && ((tx, saved, o) => inTransaction(bind(tx), saved, o))),
      load: (checkpointId: string) => storage.load(checkpointId),
      loadBlobs: (hashes: readonly string[]) => storage.loadBlobs(hashes),
      list: (query?: Parameters<PgCheckpointStorage["list"]>[0]) => storage.list(query),
      latest: (runId: string) => storage.latest(runId),
      delete: (checkpointId: string) => storage.delete(checkpointId),
      findResponses: (requestId: string) => storage.findResponses(requestId),
    };
    this.authDatabase = { db: connection.db, provider: "pg" as const };
  }

  transaction<T>(body: (tx: Queries) => Promise<T>): Promise<T> {
    return this.connection.db.transaction((tx) => body(bind(tx)));
  }

  rateLimiter(settings: RateLimiterSettings) {
    return new RateLimiterPostgres({
      storeClient: this.connection.pool,
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true,
      keyPrefix: settings.keyPrefix,
      points: settings.points,
      duration: settings.durationSeconds,
    });
  }

  async migrationStatus() {
    const folder = this.options.migrationsFolder ?? DEFAULT_PG_MIGRATIONS_FOLDER;
    const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
      entries: unknown[];
    };
    const { rows } = await this.connection.pool.query<{ n: number }>(
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    return { applied: rows[0]?.n ?? 0, expected: journal.entries.length };
  }

  async close(): Promise<void> {
    await this.liveEvents?.close();
    if (this.options.ownsConnection) await this.connection.close();
  }
}
