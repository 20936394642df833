/** Test databases on a PostgreSQL server: the throwaway cluster itself is scripts/lib/throwaway-postgres.ts. */
import pg from "pg";

export {
  startThrowawayPostgres,
  type PostgresDurability,
  type ThrowawayPostgres,
} from "@/scripts/lib/throwaway-postgres";

/** Creates a fresh database on the server behind `serverUrl` and returns its URL. */
export async function createTestDatabase(
  serverUrl: string,
  prefix = "test",
  options: { template?: string } = {},
): Promise<string> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_");
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const template = options.template ? new URL(options.template).pathname.slice(1) : "template0";
    await client.query(`create database ${name} template ${template}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by {@link createTestDatabase}, closing whatever connections are still open on it. */
export async function dropTestDatabase(serverUrl: string, url: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
  } finally {
    await client.end();
  }
}
