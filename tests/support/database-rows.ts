/**
 * A database for processes under test, named by one string: a SQLite file's path or a PostgreSQL URL. Tests and
 * benchmarks point child processes at it and read rows back from it the same way on either store.
 */
import Database from "better-sqlite3";
import pg from "pg";

/** Every process on a PostgreSQL database signs sessions with the same secret (lib/auth/secret.ts). */
const SHARED_AUTH_SECRET = "durability-tests-shared-secret-0123456789";

export const isPostgresUrl = (database: string) => /^postgres(ql)?:\/\//.test(database);

/** The environment that points a process at `database` (a SQLite file or a PostgreSQL URL). */
export function databaseEnv(database: string): Record<string, string> {
  return isPostgresUrl(database)
    ? { DATABASE_URL: database, BETTER_AUTH_SECRET: SHARED_AUTH_SECRET }
    : { DATABASE_FILE: database };
}

/**
 * Rows of a read-only query on either store, written once for both: `?` placeholders, quoted camelCase aliases
 * (`as "parentId"`) and integer casts (`cast(count(*) as integer)`) mean the same on SQLite and PostgreSQL.
 */
export async function queryRows<T = Record<string, unknown>>(
  database: string,
  statement: string,
  ...params: unknown[]
): Promise<T[]> {
  if (isPostgresUrl(database)) {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      return (await client.query(withPostgresPlaceholders(statement), params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(database, { readonly: true });
  try {
    return db.prepare(statement).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** `?` placeholders, as SQLite writes them, numbered as PostgreSQL's (`$1`, `$2`, …). */
export function withPostgresPlaceholders(statement: string): string {
  let n = 0;
  return statement.replace(/\?/g, () => `$${++n}`);
}
