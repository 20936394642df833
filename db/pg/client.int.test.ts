import fs from "node:fs";
import path from "node:path";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { is } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "@/tests/support/postgres";
import { DEFAULT_PG_MIGRATIONS_FOLDER, openPostgres, type PgConnection } from "./client";
import * as schema from "./schema";

// openPostgres against a real server (tests/support/postgres-global-setup.ts starts a throwaway one): the shipped
// migrations create exactly the tables of db/pg/schema.ts, once, however many processes open a fresh database.

const tables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableConfig(table));
const journal = JSON.parse(fs.readFileSync(path.join(DEFAULT_PG_MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
  entries: unknown[];
};

describe("openPostgres", () => {
  const connections: PgConnection[] = [];
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
  });

  it("migrates a fresh database once when several processes open it at the same moment", async () => {
    const url = await createTestDatabase(inject("postgresUrl"), "migrate");
    const opened = await Promise.all([1, 2, 3, 4].map(() => openPostgres(url, { max: 2 })));
    connections.push(...opened);
    const { rows } = await opened[0]!.pool.query<{ n: string }>(
      "select count(*) as n from drizzle.__drizzle_migrations",
    );
    expect(Number(rows[0]!.n)).toBe(journal.entries.length);
  });

  it("creates every table of db/pg/schema.ts, empty, with its columns and indexes", async () => {
    const connection = await openPostgres(await createTestDatabase(inject("postgresUrl"), "tables"), { max: 2 });
    connections.push(connection);
    const { pool } = connection;
    const present = await pool.query<{ tablename: string }>(
      "select tablename from pg_tables where schemaname = 'public' order by tablename",
    );
    expect(present.rows.map((row) => row.tablename)).toEqual(tables.map((table) => table.name).sort());
    for (const table of tables) {
      const count = await pool.query<{ n: string }>(`select count(*) as n from "${table.name}"`);
      expect(Number(count.rows[0]!.n), `${table.name} is empty`).toBe(0);
      const columns = await pool.query<{ column_name: string }>(
        "select column_name from information_schema.columns where table_schema = 'public' and table_name = $1",
        [table.name],
      );
      expect(columns.rows.map((row) => row.column_name).sort(), `${table.name}'s columns`).toEqual(
        table.columns.map((column) => column.name).sort(),
      );
      const indexes = await pool.query<{ indexname: string }>(
        "select indexname from pg_indexes where schemaname = 'public' and tablename = $1",
        [table.name],
      );
      expect(indexes.rows.map((row) => row.indexname)).toEqual(
        expect.arrayContaining(table.indexes.map((index) => index.config.name)),
      );
    }
  });

  it("serves Better Auth's drizzle adapter (provider pg) with Draftgate's fields: sign-up, sign-in, session", async () => {
    const connection = await openPostgres(await createTestDatabase(inject("postgresUrl"), "auth"), { max: 2 });
    connections.push(connection);
    // lib/auth/auth.ts's tables and additional fields, with sign-up on so the library writes each table itself
    const auth = betterAuth({
      baseURL: "http://localhost:3000",
      secret: "a-test-secret-that-is-long-enough-0123456789",
      database: drizzleAdapter(connection.db, {
        provider: "pg",
        schema: {
          user: schema.users,
          session: schema.sessions,
          account: schema.accounts,
          verification: schema.verifications,
        },
      }),
      emailAndPassword: { enabled: true },
      user: { additionalFields: { role: { type: "string", input: false, required: false } } },
      session: { additionalFields: { signInMethod: { type: "string", input: false, required: false } } },
      rateLimit: { enabled: false },
      telemetry: { enabled: false },
      logger: { disabled: true },
    });
    await auth.api.signUpEmail({
      body: { name: "Rita", email: "rita@example.com", password: "correct horse battery" },
    });
    const signIn = await auth.api.signInEmail({
      body: { email: "rita@example.com", password: "correct horse battery" },
      returnHeaders: true,
    });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user).toMatchObject({ email: "rita@example.com", role: "author", emailVerified: false });
    expect(session?.user.createdAt).toBeInstanceOf(Date);
    expect(session?.session.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(session?.session).toMatchObject({ signInMethod: "password" });
    const account = await connection.pool.query<{ provider_id: string; created_at: Date }>(
      "select provider_id, created_at from account",
    );
    expect(account.rows).toEqual([{ provider_id: "credential", created_at: expect.any(Date) }]);
  });
});
