import { AsyncLocalStorage } from "node:async_hooks";
import { RateLimiterSQLite } from "rate-limiter-flexible";
import type { CheckpointQuery, CheckpointRecord, SaveOptions } from "@/lib/workflow";
import * as auditQueries from "./audit-queries";
import { migrationStatus, openDatabase, type DatabaseConnection, type OpenDatabaseOptions } from "./client";
import * as notificationQueries from "./notification-queries";
import * as peopleQueries from "./people-queries";
import * as reviewQueries from "./review-queries";
import * as runQueries from "./run-queries";
import { SqliteCheckpointStorage } from "./sqlite-checkpoint-storage";
import {
  bindQueries,
  type Queries,
  type RateLimiterSettings,
  type SaveHook,
  type Store,
  type TransactionalCheckpointStorage,
} from "./store";
import * as timerQueries from "./timer-queries";

const QUERY_MODULES = [auditQueries, notificationQueries, peopleQueries, reviewQueries, runQueries, timerQueries];

/**
 * One open transaction at a time on a SQLite file, across every store this process has on it: a second connection's
 * `BEGIN IMMEDIATE` would wait for the first's lock synchronously (busy_timeout), blocking the very event loop the
 * first needs to commit.
 */
class FileTransactions {
  /** The open transaction: its token (see `inside`) and a promise that settles when it ends. */
  open: { token: symbol; ended: Promise<void> } | undefined;
  /** Which transaction the current async context belongs to, so its own calls do not wait for it. */
  readonly inside = new AsyncLocalStorage<symbol>();
  users = 0;

  isInside(): boolean {
    return this.open !== undefined && this.inside.getStore() === this.open.token;
  }

  async waitOutside(): Promise<void> {
    while (this.open && !this.isInside()) await this.open.ended;
  }
}

const transactionsByFile = new Map<string, FileTransactions>();

function transactionsOf(sqlite: DatabaseConnection["sqlite"]): { gate: FileTransactions; release: () => void } {
  const key = sqlite.memory ? undefined : sqlite.name;
  const gate = (key && transactionsByFile.get(key)) || new FileTransactions();
  if (key) transactionsByFile.set(key, gate);
  gate.users++;
  return {
    gate,
    release: () => {
      if (--gate.users === 0 && key) transactionsByFile.delete(key);
    },
  };
}

/**
 * The {@link Store} on one SQLite file. better-sqlite3 is synchronous and its transactions cannot span an `await`,
 * so an asynchronous transaction here is `BEGIN IMMEDIATE` ... `COMMIT` on the connection, one at a time per file in
 * this process; every other use of the file through a store waits for the open transaction to end, so no statement
 * from elsewhere in the process lands inside it. Bodies only await this store's queries, which run at once: a
 * transaction holds the file for no longer than its statements take.
 */
export class SqliteStore implements Store {
  readonly dialect = "sqlite";
  readonly queries: Queries;
  readonly checkpoints: TransactionalCheckpointStorage;
  readonly authDatabase;
  private readonly txQueries: Queries;
  private readonly transactions: FileTransactions;
  private readonly releaseTransactions: () => void;
  private isClosed = false;

  constructor(
    readonly connection: DatabaseConnection,
    private readonly options: { ownsConnection?: boolean } = {},
  ) {
    ({ gate: this.transactions, release: this.releaseTransactions } = transactionsOf(connection.sqlite));
    this.txQueries = bindQueries(QUERY_MODULES, connection.db) as unknown as Queries;
    const outsideQueries: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const [name, query] of Object.entries(this.txQueries as unknown as typeof outsideQueries))
      outsideQueries[name] = (...args) => this.outside(() => query(...args));
    this.queries = outsideQueries as unknown as Queries;
    this.checkpoints = new SqliteStoreCheckpoints(new SqliteCheckpointStorage(connection), this);
    this.authDatabase = { db: connection.db, provider: "sqlite" as const };
  }

  async transaction<T>(body: (tx: Queries) => Promise<T>): Promise<T> {
    const gate = this.transactions;
    // a transaction inside one (a save hook that opens its own) joins it
    if (gate.isInside()) return body(this.txQueries);
    while (gate.open) await gate.open.ended;
    let end!: () => void;
    const token = Symbol("transaction");
    gate.open = { token, ended: new Promise<void>((resolve) => (end = resolve)) };
    const { sqlite } = this.connection;
    try {
      sqlite.exec("BEGIN IMMEDIATE");
      try {
        const result = await gate.inside.run(token, () => body(this.txQueries));
        sqlite.exec("COMMIT");
        return result;
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
        throw error;
      }
    } finally {
      gate.open = undefined;
      end();
    }
  }

  /** Runs `work` once no transaction of another context is open on the file. */
  async outside<T>(work: () => T | Promise<T>): Promise<T> {
    await this.transactions.waitOutside();
    return work();
  }

  rateLimiter(settings: RateLimiterSettings) {
    return new RateLimiterSQLite({
      storeClient: this.connection.sqlite,
      storeType: "better-sqlite3",
      tableName: "rate_limits",
      tableCreated: true,
      keyPrefix: settings.keyPrefix,
      points: settings.points,
      duration: settings.durationSeconds,
    });
  }

  async migrationStatus() {
    return migrationStatus(this.connection);
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.transactions.waitOutside();
    this.releaseTransactions();
    if (this.options.ownsConnection) this.connection.close();
  }
}

/** The checkpoint store of a {@link SqliteStore}: reads wait for an open transaction, saves are transactions. */
class SqliteStoreCheckpoints implements TransactionalCheckpointStorage {
  constructor(
    private readonly storage: SqliteCheckpointStorage,
    private readonly store: SqliteStore,
  ) {}

  save(record: CheckpointRecord, options: SaveOptions = {}, inTransaction?: SaveHook): Promise<void> {
    return this.store.transaction(async (tx) => {
      this.storage.writeWithinTransaction(record, options);
      await inTransaction?.(tx, record, options);
    });
  }

  load(checkpointId: string) {
    return this.store.outside(() => this.storage.load(checkpointId));
  }

  loadBlobs(hashes: readonly string[]) {
    return this.store.outside(() => this.storage.loadBlobs(hashes));
  }

  list(query?: CheckpointQuery) {
    return this.store.outside(() => this.storage.list(query));
  }

  latest(runId: string) {
    return this.store.outside(() => this.storage.latest(runId));
  }

  delete(checkpointId: string) {
    return this.store.outside(() => this.storage.delete(checkpointId));
  }

  findResponses(requestId: string) {
    return this.store.outside(() => this.storage.findResponses(requestId));
  }
}

/** Opens (creating and migrating) the SQLite file as a store that closes the file with itself. */
export function openSqliteStore(file: string, options: OpenDatabaseOptions = {}): SqliteStore {
  return new SqliteStore(openDatabase(file, options), { ownsConnection: true });
}
