import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "@/tests/support/postgres";
import * as sqliteQueries from "../people-queries";
import { API_KEY_TOUCH_EVERY_MS } from "../people-queries";
import * as sqliteSchema from "../schema";
import { type PgConnection } from "./client";
import * as pgQueries from "./people-queries";
import * as pgSchema from "./schema";
import type { PgExecutor } from "./client";
import { twinStores } from "../testing/twin-stores";

// Each PostgreSQL people query against its SQLite twin on the same rows: same results, same order, and for writes
// the same outcome step by step. Then what only PostgreSQL's concurrent writers can show (two pools racing).

const twin = twinStores("people", { max: 8 });

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 9, 0) + minutes * 60_000);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const roles = ["author", "reviewer", "admin"] as const;

/** 14 people: names that sort differently by bytes than by locale, a tie on name broken by email, some deactivated. */
const names = [
  "alice",
  "Bob",
  "Élodie",
  "bob",
  "Zoë",
  "zed",
  "Åsa",
  "Carl",
  "carl",
  "Dana",
  "eve",
  "Frank",
  "Gus",
  "hal",
];
const seedUsers = () =>
  names.map((name, i) => ({
    id: `user-${i}`,
    name: i === 9 ? "Bob" : name, // "Bob" twice (an author and an admin): ordered by email
    email: `${name.toLowerCase().replace(/[^a-z]/g, "x")}${i}@example.com`,
    emailVerified: i % 3 === 0,
    image: i % 4 === 0 ? `https://img/${i}` : null,
    role: roles[i % 3]!,
    deactivatedAt: i % 5 === 4 ? at(100 + i) : null,
    createdAt: at(i),
    updatedAt: at(10 + i),
  }));
const seedAccounts = () =>
  Array.from({ length: 12 }, (_, i) => ({
    id: `account-${i}`,
    accountId: `acc-${i}`,
    providerId: i % 3 === 0 ? "oidc" : "credential",
    userId: `user-${i % 8}`,
    password: i % 3 === 0 ? null : `hash-${i}`,
    createdAt: at(i),
    updatedAt: at(i),
  }));
const seedSessions = () =>
  Array.from({ length: 8 }, (_, i) => ({
    id: `session-${i}`,
    expiresAt: at(1_000),
    token: `token-${i}`,
    createdAt: at(i),
    updatedAt: at(i),
    userId: `user-${i % 4}`,
    signInMethod: i % 2 === 0 ? "password" : "oidc",
  }));
const seedApiKeys = () =>
  Array.from({ length: 10 }, (_, i) => ({
    id: `key-${i}`,
    userId: `user-${i % 3}`,
    name: `Key ${i} «ci»`,
    prefix: `dg_${i}`,
    keyHash: `hash-key-${i}`,
    createdAt: at(20 - i),
    lastUsedAt: i % 2 === 0 ? null : at(30 + i),
    revokedAt: i % 4 === 3 ? at(40) : null,
  }));
const seedInvitations = () =>
  Array.from({ length: 10 }, (_, i) => ({
    id: `inv-${i}`,
    email: `invitee${i}@example.com`,
    role: roles[i % 3]!,
    tokenHash: `inv-hash-${i}`,
    invitedById: "user-2",
    createdAt: at(i * 7),
    expiresAt: at(60 + i * 10),
    acceptedAt: i % 4 === 1 ? at(5 + i) : null,
    revokedAt: i % 5 === 2 ? at(6 + i) : null,
  }));
const seedSettings = () => [
  { key: "allowSelfApproval", value: "true", updatedAt: at(1), updatedById: "user-2" },
  { key: "setup.completedAt", value: JSON.stringify(at(0).toISOString()), updatedAt: at(0), updatedById: null },
];

beforeAll(() =>
  twin.seed([
    [sqliteSchema.users, pgSchema.users, seedUsers()],
    [sqliteSchema.accounts, pgSchema.accounts, seedAccounts()],
    [sqliteSchema.sessions, pgSchema.sessions, seedSessions()],
    [sqliteSchema.apiKeys, pgSchema.apiKeys, seedApiKeys()],
    [sqliteSchema.invitations, pgSchema.invitations, seedInvitations()],
    [sqliteSchema.workspaceSettings, pgSchema.workspaceSettings, seedSettings()],
  ]),
);

/** Every user, session and account row of each store, in id order. */
async function peopleRows() {
  const onSqlite = {
    users: twin.sqlite.db.select().from(sqliteSchema.users).orderBy(asc(sqliteSchema.users.id)).all(),
    sessions: twin.sqlite.db.select().from(sqliteSchema.sessions).orderBy(asc(sqliteSchema.sessions.id)).all(),
    accounts: twin.sqlite.db.select().from(sqliteSchema.accounts).orderBy(asc(sqliteSchema.accounts.id)).all(),
  };
  const onPostgres = {
    users: await twin.postgres.db.select().from(pgSchema.users).orderBy(asc(pgSchema.users.id)),
    sessions: await twin.postgres.db.select().from(pgSchema.sessions).orderBy(asc(pgSchema.sessions.id)),
    accounts: await twin.postgres.db.select().from(pgSchema.accounts).orderBy(asc(pgSchema.accounts.id)),
  };
  return { onSqlite, onPostgres };
}

describe("PostgreSQL people queries", () => {
  it("counts, finds and lists people as SQLite does", async () => {
    expect(await pgQueries.countUsers(twin.postgres.db)).toBe(sqliteQueries.countUsers(twin.sqlite.db));
    expect(await pgQueries.countActiveAdmins(twin.postgres.db)).toBe(sqliteQueries.countActiveAdmins(twin.sqlite.db));
    expect(sqliteQueries.countActiveAdmins(twin.sqlite.db)).toBeGreaterThan(1);
    for (const id of ["user-0", "user-4", "user-13", "user-none"]) {
      expect(await pgQueries.findUserById(twin.postgres.db, id)).toEqual(
        sqliteQueries.findUserById(twin.sqlite.db, id),
      );
    }
    for (const email of ["alice0@example.com", "ALICE0@Example.com", "xlodie2@example.com", "none@example.com"]) {
      expect(await pgQueries.findUserByEmail(twin.postgres.db, email)).toEqual(
        sqliteQueries.findUserByEmail(twin.sqlite.db, email),
      );
    }
    expect(sqliteQueries.findUserByEmail(twin.sqlite.db, "ALICE0@Example.com")?.id).toBe("user-0");
    const expected = sqliteQueries.listUsers(twin.sqlite.db);
    expect(expected.map((user) => user.name).slice(0, 4)).toEqual(["Bob", "Bob", "Carl", "Frank"]); // byte order
    expect(await pgQueries.listUsers(twin.postgres.db)).toEqual(expected);
    for (const role of roles) {
      expect(await pgQueries.findPeopleByRole(twin.postgres.db, role)).toEqual(
        sqliteQueries.findPeopleByRole(twin.sqlite.db, role),
      );
    }
    const providers = sqliteQueries.listSignInProviders(twin.sqlite.db);
    expect(providers.get("user-0")).toEqual(["oidc", "credential"]);
    expect([...(await pgQueries.listSignInProviders(twin.postgres.db)).entries()]).toEqual([...providers.entries()]);
  });

  it("adds people, changes roles and (de)activates step for step as on SQLite", async () => {
    const story = async (store: {
      insert: (id: string, email: string, role: sqliteSchema.Role, passwordHash: string | null) => Promise<void>;
      setRole: (id: string, role: sqliteSchema.Role) => Promise<boolean>;
      deactivate: (id: string, when: Date | null) => Promise<boolean>;
      admins: () => Promise<number>;
      count: () => Promise<number>;
    }) => {
      const steps: unknown[] = [];
      await store.insert("new-1", "New.One@Example.com", "reviewer", "secret-hash");
      await store.insert("new-2", "new2@example.com", "admin", null); // company sign-in only: no account row
      steps.push(await store.count(), await store.admins());
      steps.push(
        await store.setRole("new-1", "admin"),
        await store.setRole("user-none", "admin"),
        await store.admins(),
      );
      steps.push(await store.deactivate("user-1", at(500))); // has sessions: they end
      steps.push(await store.deactivate("user-2", at(501)), await store.admins());
      steps.push(await store.deactivate("user-2", null), await store.admins()); // reactivated: sessions stay gone
      steps.push(await store.deactivate("user-none", at(502)));
      return steps;
    };
    const onSqlite = await story({
      insert: async (id, email, role, passwordHash) =>
        sqliteQueries.insertLocalUser(twin.sqlite.db, { id, name: `N ${id}`, email, role, passwordHash, now: at(400) }),
      setRole: async (id, role) => sqliteQueries.updateUserRole(twin.sqlite.db, id, role, at(450)),
      deactivate: async (id, when) => sqliteQueries.setUserDeactivated(twin.sqlite.db, id, when),
      admins: async () => sqliteQueries.countActiveAdmins(twin.sqlite.db),
      count: async () => sqliteQueries.countUsers(twin.sqlite.db),
    });
    const onPostgres = await story({
      insert: (id, email, role, passwordHash) =>
        pgQueries.insertLocalUser(twin.postgres.db, { id, name: `N ${id}`, email, role, passwordHash, now: at(400) }),
      setRole: (id, role) => pgQueries.updateUserRole(twin.postgres.db, id, role, at(450)),
      deactivate: (id, when) => pgQueries.setUserDeactivated(twin.postgres.db, id, when),
      admins: () => pgQueries.countActiveAdmins(twin.postgres.db),
      count: () => pgQueries.countUsers(twin.postgres.db),
    });
    expect(onSqlite).toEqual([16, 5, true, false, 6, true, true, 5, true, 6, false]);
    expect(onPostgres).toEqual(onSqlite);
    const { onSqlite: sqliteRows, onPostgres: pgRows } = await peopleRows();
    // reactivation stamps updatedAt with the clock: compared apart
    const stable = (rows: typeof sqliteRows.users) => rows.filter((user) => user.id !== "user-2");
    expect(stable(pgRows.users)).toEqual(stable(sqliteRows.users));
    expect(pgRows.users.find((user) => user.id === "user-2")?.deactivatedAt).toBeNull();
    expect(pgRows.sessions).toEqual(sqliteRows.sessions);
    expect(sqliteRows.sessions.some((session) => session.userId === "user-1")).toBe(false);
    expect(pgRows.accounts).toEqual(sqliteRows.accounts);
    expect(await pgQueries.findUserByEmail(twin.postgres.db, "new.one@example.com")).toEqual(
      sqliteQueries.findUserByEmail(twin.sqlite.db, "new.one@example.com"),
    );
    expect([...(await pgQueries.listSignInProviders(twin.postgres.db)).entries()]).toEqual([
      ...sqliteQueries.listSignInProviders(twin.sqlite.db).entries(),
    ]);
  });

  it("adds a person and their account together, inside the caller's transaction or not", async () => {
    // the account insert fails (its id is taken): the user row goes too
    await twin.postgres.db.insert(pgSchema.accounts).values({
      id: "credential-tx-1",
      accountId: "x",
      providerId: "credential",
      userId: "user-0",
      createdAt: at(0),
      updatedAt: at(0),
    });
    const person = (id: string, passwordHash: string | null) => ({
      id,
      name: "T",
      email: `${id}@example.com`,
      role: "author" as const,
      passwordHash,
      now: at(0),
    });
    await expect(pgQueries.insertLocalUser(twin.postgres.db, person("tx-1", "h"))).rejects.toThrow();
    expect(await pgQueries.findUserById(twin.postgres.db, "tx-1")).toBeUndefined();
    // inside a caller's transaction that rolls back, nothing stays
    await pgQueries.insertLocalUser(twin.postgres.db, person("tx-2", null));
    await twin.postgres.db.insert(pgSchema.sessions).values({
      id: "session-tx",
      expiresAt: at(1_000),
      token: "token-tx",
      updatedAt: at(0),
      userId: "tx-2",
    });
    await expect(
      twin.postgres.db.transaction(async (tx) => {
        await pgQueries.insertLocalUser(tx, person("tx-3", "h"));
        expect(await pgQueries.setUserDeactivated(tx, "tx-2", at(1))).toBe(true);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await pgQueries.findUserById(twin.postgres.db, "tx-3")).toBeUndefined();
    expect((await pgQueries.findUserById(twin.postgres.db, "tx-2"))?.deactivatedAt).toBeNull();
    expect(
      await twin.postgres.db.select().from(pgSchema.sessions).where(eq(pgSchema.sessions.id, "session-tx")),
    ).toHaveLength(1);
  });
});

describe("PostgreSQL API key queries", () => {
  it("finds live keys and lists a person's keys as SQLite does", async () => {
    for (const keyHash of ["hash-key-0", "hash-key-1", "hash-key-3", "hash-key-none"]) {
      expect(await pgQueries.findLiveApiKey(twin.postgres.db, keyHash)).toEqual(
        sqliteQueries.findLiveApiKey(twin.sqlite.db, keyHash),
      );
    }
    expect(sqliteQueries.findLiveApiKey(twin.sqlite.db, "hash-key-1")?.user.id).toBe("user-1");
    expect(sqliteQueries.findLiveApiKey(twin.sqlite.db, "hash-key-3")).toBeUndefined(); // revoked
    for (const userId of ["user-0", "user-1", "user-2", "user-none"]) {
      expect(await pgQueries.listApiKeys(twin.postgres.db, userId)).toEqual(
        sqliteQueries.listApiKeys(twin.sqlite.db, userId),
      );
    }
  });

  it("adds, touches and revokes keys step for step as on SQLite", async () => {
    const key = (id: string) => ({
      id,
      userId: "user-5",
      name: `Key ${id}`,
      prefix: "dg_x",
      keyHash: `hash-${id}`,
      createdAt: at(200),
    });
    const story = async (store: {
      insert: (id: string) => Promise<void>;
      touch: (id: string, when: Date) => Promise<void>;
      revoke: (id: string, userId: string, when: Date) => Promise<boolean>;
      list: () => Promise<sqliteSchema.ApiKeyRow[]>;
    }) => {
      const steps: unknown[] = [];
      await store.insert("k-a");
      await store.insert("k-b");
      const lastUsed = async () => (await store.list()).map((row) => row.lastUsedAt?.getTime() ?? null);
      await store.touch("k-a", at(300)); // never used: written
      steps.push(await lastUsed());
      await store.touch("k-a", new Date(at(300).getTime() + 59_999)); // within the minute: not written
      steps.push(await lastUsed());
      await store.touch("k-a", at(301)); // exactly a minute later: written
      steps.push(await lastUsed());
      await store.touch("k-b", new Date(API_KEY_TOUCH_EVERY_MS)); // a minute after the epoch: written (never used counts as used then)
      await store.touch("k-missing", at(400));
      steps.push(await lastUsed());
      steps.push(await store.revoke("k-a", "user-0", at(310))); // not their key
      steps.push(await store.revoke("k-a", "user-5", at(311)), await store.revoke("k-a", "user-5", at(312)));
      steps.push(await store.list());
      return steps;
    };
    const onSqlite = await story({
      insert: async (id) => sqliteQueries.insertApiKey(twin.sqlite.db, key(id)),
      touch: async (id, when) => sqliteQueries.touchApiKey(twin.sqlite.db, { id, at: when }),
      revoke: async (id, userId, when) => sqliteQueries.revokeApiKey(twin.sqlite.db, { id, userId, at: when }),
      list: async () => sqliteQueries.listApiKeys(twin.sqlite.db, "user-5"),
    });
    const onPostgres = await story({
      insert: (id) => pgQueries.insertApiKey(twin.postgres.db, key(id)),
      touch: (id, when) => pgQueries.touchApiKey(twin.postgres.db, { id, at: when }),
      revoke: (id, userId, when) => pgQueries.revokeApiKey(twin.postgres.db, { id, userId, at: when }),
      list: () => pgQueries.listApiKeys(twin.postgres.db, "user-5"),
    });
    expect(onSqlite.slice(0, 6)).toEqual([
      [at(300).getTime(), null],
      [at(300).getTime(), null],
      [at(301).getTime(), null],
      [at(301).getTime(), API_KEY_TOUCH_EVERY_MS],
      false,
      true,
    ]);
    expect(onPostgres).toEqual(onSqlite);
    expect(await pgQueries.findLiveApiKey(twin.postgres.db, "hash-k-b")).toEqual(
      sqliteQueries.findLiveApiKey(twin.sqlite.db, "hash-k-b"),
    );
  });
});

describe("PostgreSQL invitation queries", () => {
  it("finds invitations and lists the open ones as SQLite does", async () => {
    for (const tokenHash of ["inv-hash-0", "inv-hash-1", "inv-hash-none"]) {
      expect(await pgQueries.findInvitationByTokenHash(twin.postgres.db, tokenHash)).toEqual(
        sqliteQueries.findInvitationByTokenHash(twin.sqlite.db, tokenHash),
      );
    }
    for (const now of [at(0), at(60), at(100), at(150), at(1_000)]) {
      expect(await pgQueries.listOpenInvitations(twin.postgres.db, now)).toEqual(
        sqliteQueries.listOpenInvitations(twin.sqlite.db, now),
      );
    }
    expect(sqliteQueries.listOpenInvitations(twin.sqlite.db, at(0)).length).toBeGreaterThan(3);
  });

  it("claims and revokes invitations step for step as on SQLite", async () => {
    const invitation = (id: string, expiresAt: Date) => ({
      id,
      email: `${id}@example.com`,
      role: "reviewer" as const,
      tokenHash: `hash-${id}`,
      invitedById: "user-2",
      createdAt: at(500),
      expiresAt,
    });
    const story = async (store: {
      insert: (id: string, expiresAt: Date) => Promise<void>;
      claim: (id: string, now: Date) => Promise<boolean>;
      revoke: (id: string, when: Date) => Promise<boolean>;
      find: (id: string) => Promise<sqliteSchema.InvitationRow | undefined>;
    }) => {
      const steps: unknown[] = [];
      await store.insert("i-a", at(600));
      await store.insert("i-b", at(600));
      await store.insert("i-c", at(600));
      steps.push(await store.claim("i-a", at(510)), await store.claim("i-a", at(511))); // once only
      steps.push(await store.claim("i-b", at(600))); // expired at that moment
      steps.push(await store.revoke("i-a", at(520))); // already accepted
      steps.push(await store.revoke("i-b", at(521)), await store.revoke("i-b", at(522)));
      steps.push(await store.claim("i-b", at(530))); // revoked
      steps.push(
        await store.claim("i-c", at(599)),
        await store.claim("i-none", at(0)),
        await store.revoke("i-none", at(0)),
      );
      steps.push(await store.find("hash-i-a"), await store.find("hash-i-b"), await store.find("hash-i-c"));
      return steps;
    };
    const onSqlite = await story({
      insert: async (id, expiresAt) => sqliteQueries.insertInvitation(twin.sqlite.db, invitation(id, expiresAt)),
      claim: async (id, now) => sqliteQueries.claimInvitation(twin.sqlite.db, { id, now }),
      revoke: async (id, when) => sqliteQueries.revokeInvitation(twin.sqlite.db, { id, at: when }),
      find: async (tokenHash) => sqliteQueries.findInvitationByTokenHash(twin.sqlite.db, tokenHash),
    });
    const onPostgres = await story({
      insert: (id, expiresAt) => pgQueries.insertInvitation(twin.postgres.db, invitation(id, expiresAt)),
      claim: (id, now) => pgQueries.claimInvitation(twin.postgres.db, { id, now }),
      revoke: (id, when) => pgQueries.revokeInvitation(twin.postgres.db, { id, at: when }),
      find: (tokenHash) => pgQueries.findInvitationByTokenHash(twin.postgres.db, tokenHash),
    });
    expect(onSqlite.slice(0, 10)).toEqual([true, false, false, false, true, false, false, true, false, false]);
    expect(onPostgres).toEqual(onSqlite);
    for (const now of [at(500), at(599)]) {
      expect(await pgQueries.listOpenInvitations(twin.postgres.db, now)).toEqual(
        sqliteQueries.listOpenInvitations(twin.sqlite.db, now),
      );
    }
  });

  it("lets exactly one of several processes claiming an invitation at once have it", async () => {
    await pgQueries.insertInvitation(twin.postgres.db, {
      id: "i-race",
      email: "race@example.com",
      role: "author",
      tokenHash: "hash-i-race",
      invitedById: "user-2",
      createdAt: at(0),
      expiresAt: at(10_000),
    });
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        twin.postgres.db.transaction(async (tx) => {
          const claimed = await pgQueries.claimInvitation(tx, { id: "i-race", now: at(i) });
          await sleep(20); // hold the row lock a while
          return claimed;
        }),
      ),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });
});

describe("PostgreSQL workspace settings queries", () => {
  it("reads, writes and claims settings step for step as on SQLite", async () => {
    const story = async (store: {
      read: () => Promise<Map<string, string>>;
      write: (key: string, value: string, minutes: number) => Promise<void>;
      claim: (key: string, value: string, minutes: number) => Promise<boolean>;
    }) => {
      const steps: unknown[] = [[...(await store.read()).entries()].sort()];
      await store.write("allowSelfApproval", "false", 700);
      await store.write("theme", JSON.stringify("dark — ünïcode"), 701);
      steps.push(await store.claim("setup.completedAt", '"again"', 702)); // done already
      steps.push(await store.claim("once", "1", 703), await store.claim("once", "2", 704));
      steps.push([...(await store.read()).entries()].sort());
      return steps;
    };
    const onSqlite = await story({
      read: async () => sqliteQueries.readSettings(twin.sqlite.db),
      write: async (key, value, minutes) =>
        sqliteQueries.writeSetting(twin.sqlite.db, { key, value, at: at(minutes), byId: "user-2" }),
      claim: async (key, value, minutes) =>
        sqliteQueries.claimSetting(twin.sqlite.db, { key, value, at: at(minutes), byId: null }),
    });
    const onPostgres = await story({
      read: () => pgQueries.readSettings(twin.postgres.db),
      write: (key, value, minutes) =>
        pgQueries.writeSetting(twin.postgres.db, { key, value, at: at(minutes), byId: "user-2" }),
      claim: (key, value, minutes) =>
        pgQueries.claimSetting(twin.postgres.db, { key, value, at: at(minutes), byId: null }),
    });
    expect(onSqlite.slice(1, 4)).toEqual([false, true, false]);
    expect(onPostgres).toEqual(onSqlite);
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
    expect((await twin.postgres.db.select().from(pgSchema.workspaceSettings)).sort(byKey)).toEqual(
      twin.sqlite.db.select().from(sqliteSchema.workspaceSettings).all().sort(byKey),
    );
  });
});

describe("PostgreSQL people queries under concurrent writers", () => {
  /** Two pools on one fresh database, as two server processes would have. */
  async function twoProcesses(prefix: string): Promise<[PgConnection, PgConnection]> {
    const url = await createTestDatabase(inject("postgresUrl"), prefix);
    const first = await twin.openPool(4, url);
    const second = await twin.openPool(4, url);
    return [first, second];
  }

  /** The service's first-run setup, as one transaction: refused once anyone exists or setup was claimed. */
  async function setUp(db: PgExecutor, id: string): Promise<void> {
    await db.transaction(async (tx) => {
      const now = at(0);
      if (
        (await pgQueries.countUsers(tx)) > 0 ||
        !(await pgQueries.claimSetting(tx, { key: "setup.completedAt", value: '"now"', at: now, byId: id }))
      ) {
        throw new Error("SETUP_DONE");
      }
      await sleep(30); // the other setup runs meanwhile
      await pgQueries.insertLocalUser(tx, {
        id,
        name: id,
        email: `${id}@example.com`,
        role: "admin",
        passwordHash: "h",
        now,
      });
      await pgQueries.writeSetting(tx, { key: "allowSelfApproval", value: "false", at: now, byId: id });
    });
  }

  it("lets exactly one of two setups at once succeed", async () => {
    const [a, b] = await twoProcesses("people_setup");
    const outcomes = await Promise.allSettled([
      setUp(a.db, "admin-a"),
      setUp(b.db, "admin-b"),
      setUp(a.db, "admin-c"),
      setUp(b.db, "admin-d"),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") expect(String(outcome.reason)).toContain("SETUP_DONE");
    }
    expect(await pgQueries.countUsers(a.db)).toBe(1);
    expect(await pgQueries.countActiveAdmins(a.db)).toBe(1);
    const settings = await pgQueries.readSettings(b.db);
    expect(settings.get("setup.completedAt")).toBe('"now"');
    await expect(setUp(a.db, "admin-late")).rejects.toThrow("SETUP_DONE");
  });

  it("never removes the last admin when two admins are demoted or deactivated at once", async () => {
    const [a, b] = await twoProcesses("people_admins");
    for (const id of ["admin-1", "admin-2"]) {
      await pgQueries.insertLocalUser(a.db, {
        id,
        name: id,
        email: `${id}@example.com`,
        role: "admin",
        passwordHash: null,
        now: at(0),
      });
    }
    /** The service's check (requireAnotherAdmin) and change, in one transaction. */
    const removeAdmin = (db: PgExecutor, id: string, how: "demote" | "deactivate") =>
      db.transaction(async (tx) => {
        const self = await pgQueries.findUserById(tx, id);
        const admins = await pgQueries.countActiveAdmins(tx);
        const others = admins - (self && !self.deactivatedAt ? 1 : 0);
        if (others < 1) return false;
        await sleep(30); // the other removal checks meanwhile
        if (how === "demote") await pgQueries.updateUserRole(tx, id, "reviewer", at(1));
        else await pgQueries.setUserDeactivated(tx, id, at(1));
        return true;
      });
    const outcomes = await Promise.all([
      removeAdmin(a.db, "admin-1", "demote"),
      removeAdmin(b.db, "admin-2", "deactivate"),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await pgQueries.countActiveAdmins(a.db)).toBe(1);
  });
});
