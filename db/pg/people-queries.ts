import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import { API_KEY_TOUCH_EVERY_MS } from "../people-queries";
import type { ApiKeyRow, InvitationRow, Role, UserRow } from "../schema";
import { accounts, apiKeys, invitations, sessions, users, workspaceSettings } from "./schema";
import type { PgExecutor } from "./client";

/**
 * People, API keys, invitations and workspace settings on PostgreSQL, each the twin of the one of the same name in
 * db/people-queries.ts (same rows, same order, same outcomes; db/pg/people-queries.int.test.ts compares them). Each
 * takes the database or a transaction of the caller's. Where SQLite relies on its single writer (the caller's
 * IMMEDIATE transaction), the PostgreSQL version is safe under concurrent writers: see {@link countActiveAdmins}
 * and {@link claimSetting}.
 */

export async function countUsers(db: PgExecutor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function findUserById(db: PgExecutor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function findUserByEmail(db: PgExecutor, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row;
}

export async function listUsers(db: PgExecutor): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.name), asc(users.email));
}

export async function findPeopleByRole(db: PgExecutor, role: Role): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.role, role)).orderBy(asc(users.name));
}

/** How each person can sign in: "credential" (a password) and/or the OIDC provider's id. */
export async function listSignInProviders(db: PgExecutor): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>();
  for (const row of await db.select({ userId: accounts.userId, providerId: accounts.providerId }).from(accounts)) {
    byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.providerId]);
  }
  return byUser;
}

/**
 * A person with a password account, as Better Auth's own sign-up would create them (accountId = user id). Both
 * rows in one transaction (a savepoint inside the caller's), so a failed account insert leaves no user behind.
 */
export async function insertLocalUser(
  db: PgExecutor,
  params: { id: string; name: string; email: string; role: Role; passwordHash: string | null; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(users).values({
      id: params.id,
      name: params.name,
      email: params.email.toLowerCase(),
      role: params.role,
      emailVerified: false,
      createdAt: params.now,
      updatedAt: params.now,
    });
    if (params.passwordHash) {
      await tx.insert(accounts).values({
        id: `credential-${params.id}`,
        accountId: params.id,
        providerId: "credential",
        userId: params.id,
        password: params.passwordHash,
        createdAt: params.now,
        updatedAt: params.now,
      });
    }
  });
}

export async function updateUserRole(db: PgExecutor, id: string, role: Role, now: Date): Promise<boolean> {
  const rows = await db.update(users).set({ role, updatedAt: now }).where(eq(users.id, id)).returning({ id: users.id });
  return rows.length === 1;
}

/**
 * Deactivates (with `at`) or reactivates (null) a person; deactivating also ends every session at once, in the
 * same transaction (a savepoint inside the caller's).
 */
export async function setUserDeactivated(db: PgExecutor, id: string, at: Date | null): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(users)
      .set({ deactivatedAt: at, updatedAt: at ?? new Date() })
      .where(eq(users.id, id))
      .returning({ id: users.id });
    const changed = rows.length === 1;
    if (changed && at) await tx.delete(sessions).where(eq(sessions.userId, id));
    return changed;
  });
}

/**
 * The active admins, counted with their rows locked (FOR UPDATE), for the "not the last admin" check. Inside the
 * caller's transaction the locks hold until it ends, so of two transactions each demoting or deactivating one of
 * the last two admins, the second waits, re-checks the rows as the first left them, and counts one admin fewer
 * (SQLite gets the same from its IMMEDIATE transaction). Outside a transaction the locks end with the statement.
 */
export async function countActiveAdmins(db: PgExecutor): Promise<number> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)))
    .orderBy(asc(users.id)) // one lock order for every caller: no deadlock between two checks
    .for("update");
  return rows.length;
}

// ----- API keys ---------------------------------------------------------------------------------------------

export async function insertApiKey(db: PgExecutor, row: typeof apiKeys.$inferInsert): Promise<void> {
  await db.insert(apiKeys).values(row);
}

/** A key that has not been revoked, with its owner. */
export async function findLiveApiKey(
  db: PgExecutor,
  keyHash: string,
): Promise<{ key: ApiKeyRow; user: UserRow } | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row ? { key: row.api_keys, user: row.user } : undefined;
}

export async function listApiKeys(db: PgExecutor, userId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(asc(apiKeys.createdAt));
}

export async function revokeApiKey(db: PgExecutor, params: { id: string; userId: string; at: Date }): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: params.at })
    .where(and(eq(apiKeys.id, params.id), eq(apiKeys.userId, params.userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length === 1;
}

/**
 * Records a key's use, at most once every {@link API_KEY_TOUCH_EVERY_MS} (the SQLite file's constant). On SQLite
 * `last_used_at` is epoch ms; here it is a timestamptz, compared with a Date (a never-used key counts as used at
 * the epoch).
 */
export async function touchApiKey(db: PgExecutor, params: { id: string; at: Date }): Promise<void> {
  const before = new Date(params.at.getTime() - API_KEY_TOUCH_EVERY_MS);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: params.at })
    .where(
      and(
        eq(apiKeys.id, params.id),
        sql`coalesce(${apiKeys.lastUsedAt}, 'epoch'::timestamptz) <= ${before.toISOString()}::timestamptz`,
      ),
    );
}

// ----- invitations ------------------------------------------------------------------------------------------

export async function insertInvitation(db: PgExecutor, row: typeof invitations.$inferInsert): Promise<void> {
  await db.insert(invitations).values(row);
}

export async function findInvitationByTokenHash(db: PgExecutor, tokenHash: string): Promise<InvitationRow | undefined> {
  const [row] = await db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).limit(1);
  return row;
}

/** Invitations not yet accepted, revoked or expired, newest first. */
export async function listOpenInvitations(db: PgExecutor, now: Date): Promise<InvitationRow[]> {
  return db
    .select()
    .from(invitations)
    .where(and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
    .orderBy(sql`${invitations.createdAt} desc`);
}

/**
 * Uses an invitation once: true only for the first caller, and only while it is open. One UPDATE: a concurrent
 * claim waits on the row lock, then re-checks `accepted_at` and changes nothing.
 */
export async function claimInvitation(db: PgExecutor, params: { id: string; now: Date }): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ acceptedAt: params.now })
    .where(
      and(
        eq(invitations.id, params.id),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, params.now),
      ),
    )
    .returning({ id: invitations.id });
  return rows.length === 1;
}

export async function revokeInvitation(db: PgExecutor, params: { id: string; at: Date }): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ revokedAt: params.at })
    .where(and(eq(invitations.id, params.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

// ----- workspace settings -----------------------------------------------------------------------------------

export async function readSettings(db: PgExecutor): Promise<Map<string, string>> {
  const rows = await db.select({ key: workspaceSettings.key, value: workspaceSettings.value }).from(workspaceSettings);
  return new Map(rows.map((row) => [row.key, row.value]));
}

export async function writeSetting(
  db: PgExecutor,
  params: { key: string; value: string; at: Date; byId: string | null },
): Promise<void> {
  await db
    .insert(workspaceSettings)
    .values({ key: params.key, value: params.value, updatedAt: params.at, updatedById: params.byId })
    .onConflictDoUpdate({
      target: workspaceSettings.key,
      set: { value: params.value, updatedAt: params.at, updatedById: params.byId },
    });
}

/**
 * Inserts a setting only if it does not exist yet: true for the first caller (a one-time step such as setup).
 * Safe under concurrent writers: a second insert of the same key waits for the first transaction to end and then
 * does nothing (or inserts, if the first rolled back), so of two setups at once exactly one claims it.
 */
export async function claimSetting(
  db: PgExecutor,
  params: { key: string; value: string; at: Date; byId: string | null },
): Promise<boolean> {
  const rows = await db
    .insert(workspaceSettings)
    .values({ key: params.key, value: params.value, updatedAt: params.at, updatedById: params.byId })
    .onConflictDoNothing()
    .returning({ key: workspaceSettings.key });
  return rows.length === 1;
}
