import { connectPostgres, migratePostgres } from "@/db/pg/client";
import { PgEventBus } from "@/db/pg/pg-event-bus";
import { PgStore } from "@/db/pg/pg-store";
import type { Store } from "@/db/store";

// Loaded only by processes with DATABASE_URL (lib/services/index.ts imports it on demand): its driver, schema and
// queries would otherwise cost every SQLite process's start.

/** Applies PostgreSQL's pending migrations, one process at a time (an advisory lock). */
export async function migrateDatabase(url: string): Promise<void> {
  const connection = connectPostgres(url, { max: 1 });
  try {
    await migratePostgres(connection);
  } finally {
    await connection.close();
  }
}

/** The process's PostgreSQL store, with LISTEN/NOTIFY between the web instances and the workers for live run events. */
export function openPostgresStore(url: string, onListenError: (error: unknown) => void): Store {
  const liveEvents = PgEventBus.start(url, { onError: onListenError });
  return new PgStore(connectPostgres(url), { ownsConnection: true, liveEvents });
}
