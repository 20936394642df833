import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { AppDatabase } from "./client";
import {
  accounts,
  apiKeys,
  invitations,
  sessions,
  users,
  workspaceSettings,
  type ApiKeyRow,
  type InvitationRow,
  type Role,
  type UserRow,
} from "./schema";

/** Query functions for people, API keys, invitations and workspace settings. Each takes the database first. */

export function countUsers(db: AppDatabase): number {
  return db.select({ n: count() }).from(users).get()?.n ?? 0;
}

export function findUserById(db: AppDatabase, id: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function findUserByEmail(db: AppDatabase, email: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.email, email.toLowerCase())).get();
}

export function listUsers(db: AppDatabase): UserRow[] {
  return db.select().from(users).orderBy(asc(users.name), asc(users.email)).all();
}

/** How each person can sign in: "credential" (a password) and/or the OIDC provider's id. */
export function findPeopleByRole(db: AppDatabase, role: Role): UserRow[] {
  return db.select().from(users).where(eq(users.role, role)).orderBy(asc(users.name)).all();
}

export function listSignInProviders(db: AppDatabase): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  for (const row of db.select({ userId: accounts.userId, providerId: accounts.providerId }).from(accounts).all()) {
    byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.providerId]);
  }
  return byUser;
}

/** A person with a password account, as Better Auth's own sign-up would create them (accountId = user id). */
export function insertLocalUser(
  db: AppDatabase,
  params: { id: string; name: string; email: string; role: Role; passwordHash: string | null; now: Date },
): void {
  db.insert(users)
    .values({
      id: params.id,
      name: params.name,
      email: params.email.toLowerCase(),
      role: params.role,
      emailVerified: false,
      createdAt: params.now,
      updatedAt: params.now,
    })
    .run();
  if (params.passwordHash) {
    db.insert(accounts)
      .values({
        id: `credential-${params.id}`,
        accountId: params.id,
        providerId: "credential",
        userId: params.id,
        password: params.passwordHash,
        createdAt: params.now,
        updatedAt: params.now,
      })
      .run();
  }
}

export function updateUserRole(db: AppDatabase, id: string, role: Role, now: Date): boolean {
  return db.update(users).set({ role, updatedAt: now }).where(eq(users.id, id)).run().changes === 1;
}

/** Deactivates (with `at`) or reactivates (null) a person; deactivating also ends every session at once. */
export function setUserDeactivated(db: AppDatabase, id: string, at: Date | null): boolean {
  const changed =
    db
      .update(users)
      .set({ deactivatedAt: at, updatedAt: at ?? new Date() })
      .where(eq(users.id, id))
      .run().changes === 1;
  if (changed && at) db.delete(sessions).where(eq(sessions.userId, id)).run();
  return changed;
}

export function countActiveAdmins(db: AppDatabase): number {
  return (
    db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)))
      .get()?.n ?? 0
  );
}

// ----- API keys ---------------------------------------------------------------------------------------------

export function insertApiKey(db: AppDatabase, row: typeof apiKeys.$inferInsert): void {
  db.insert(apiKeys).values(row).run();
}

/** A key that has not been revoked, with its owner. */
export function findLiveApiKey(db: AppDatabase, keyHash: string): { key: ApiKeyRow; user: UserRow } | undefined {
  const row = db
    .select()
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .get();
  return row ? { key: row.api_keys, user: row.user } : undefined;
}

export function listApiKeys(db: AppDatabase, userId: string): ApiKeyRow[] {
  return db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(asc(apiKeys.createdAt)).all();
}

export function revokeApiKey(db: AppDatabase, params: { id: string; userId: string; at: Date }): boolean {
  return (
    db
      .update(apiKeys)
      .set({ revokedAt: params.at })
      .where(and(eq(apiKeys.id, params.id), eq(apiKeys.userId, params.userId), isNull(apiKeys.revokedAt)))
      .run().changes === 1
  );
}

/** How often a key's "last used" time is written. */
export const API_KEY_TOUCH_EVERY_MS = 60_000;

/** Records a key's use, at most once a minute (every request reads the key; few need to write). */
/** Records a key's use, at most once a minute (the caller checks first: an UPDATE takes the write lock even when it changes nothing). */
export function touchApiKey(db: AppDatabase, params: { id: string; at: Date }): void {
  db.update(apiKeys)
    .set({ lastUsedAt: params.at })
    .where(
      and(
        eq(apiKeys.id, params.id),
        sql`coalesce(${apiKeys.lastUsedAt}, 0) <= ${params.at.getTime() - API_KEY_TOUCH_EVERY_MS}`,
      ),
    )
    .run();
}

// ----- invitations ------------------------------------------------------------------------------------------

export function insertInvitation(db: AppDatabase, row: typeof invitations.$inferInsert): void {
  db.insert(invitations).values(row).run();
}

export function findInvitationByTokenHash(db: AppDatabase, tokenHash: string): InvitationRow | undefined {
  return db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).get();
}

/** Invitations not yet accepted, revoked or expired, newest first. */
export function listOpenInvitations(db: AppDatabase, now: Date): InvitationRow[] {
  return db
    .select()
    .from(invitations)
    .where(and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
    .orderBy(sql`${invitations.createdAt} desc`)
    .all();
}

/** Uses an invitation once: true only for the first caller, and only while it is open. */
export function claimInvitation(db: AppDatabase, params: { id: string; now: Date }): boolean {
  return (
    db
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
      .run().changes === 1
  );
}

export function revokeInvitation(db: AppDatabase, params: { id: string; at: Date }): boolean {
  return (
    db
      .update(invitations)
      .set({ revokedAt: params.at })
      .where(and(eq(invitations.id, params.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .run().changes === 1
  );
}

// ----- workspace settings -----------------------------------------------------------------------------------

export function readSettings(db: AppDatabase): Map<string, string> {
  return new Map(
    db
      .select({ key: workspaceSettings.key, value: workspaceSettings.value })
      .from(workspaceSettings)
      .all()
      .map((row) => [row.key, row.value]),
  );
}

export function writeSetting(
  db: AppDatabase,
  params: { key: string; value: string; at: Date; byId: string | null },
): void {
  db.insert(workspaceSettings)
    .values({ key: params.key, value: params.value, updatedAt: params.at, updatedById: params.byId })
    .onConflictDoUpdate({
      target: workspaceSettings.key,
      set: { value: params.value, updatedAt: params.at, updatedById: params.byId },
    })
    .run();
}

/** Inserts a setting only if it does not exist yet: true for the first caller (a one-time step such as setup). */
export function claimSetting(
  db: AppDatabase,
  params: { key: string; value: string; at: Date; byId: string | null },
): boolean {
  return (
    db
      .insert(workspaceSettings)
      .values({ key: params.key, value: params.value, updatedAt: params.at, updatedById: params.byId })
      .onConflictDoNothing()
      .run().changes === 1
  );
}
