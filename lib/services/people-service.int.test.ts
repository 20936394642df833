import { verifyPassword } from "better-auth/crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "@/db/store";
import { operator } from "@/tests/support/actors";
import { queryRows } from "@/tests/support/database-rows";
import { openTestStore } from "@/tests/support/service-harness";
import { makeTempDir } from "@/tests/support/temp-database";
import type { Actor } from "./actor";
import { ActionLimits, DEFAULT_ACTION_LIMITS } from "./action-limits";
import { INVITATION_TTL_MS, PeopleService, roleFromGroups } from "./people-service";

const STRONG = "Kettle-Orbit-Violet-42";
let temp: ReturnType<typeof makeTempDir>;
let store: Store;
let database: string;
let dropDatabase: () => Promise<void>;
let clock: Date;
let people: PeopleService;

beforeEach(async () => {
  temp = makeTempDir();
  ({ store, database, drop: dropDatabase } = await openTestStore(temp.file("people.db")));
  clock = new Date("2026-11-30T12:00:00.000Z");
  people = new PeopleService({ store, now: () => clock });
});
afterEach(async () => {
  await store.close();
  await dropDatabase();
  temp.cleanup();
});

async function admin(): Promise<Actor> {
  const person = await people.setUp({
    email: "Ada@Example.com",
    name: "Ada Admin",
    password: STRONG,
    allowSelfApproval: false,
  });
  return (await people.actorForUser(person.userId, "password"))!;
}

describe("first-run setup", () => {
  it("creates the first admin once, with a hashed password, and records the self-approval answer", async () => {
    expect(await people.needsSetup()).toBe(true);
    const person = await people.setUp({
      email: "Ada@Example.com",
      name: "Ada Admin",
      password: STRONG,
      allowSelfApproval: true,
    });
    expect(person).toMatchObject({
      email: "ada@example.com",
      role: "admin",
      isActive: true,
      signInMethods: ["password"],
    });
    expect(await people.needsSetup()).toBe(false);
    expect(await people.getSettings()).toEqual({ allowSelfApproval: true, allowSignUp: false, maxRevisionRounds: 10 });
    const [stored] = await queryRows<{ password: string }>(
      database,
      "select password from account where user_id = ?",
      person.userId,
    );
    expect(stored!.password).not.toContain(STRONG);
    expect(await verifyPassword({ hash: stored!.password, password: STRONG })).toBe(true);
    await expect(
      people.setUp({ email: "eve@example.com", name: "Eve", password: STRONG, allowSelfApproval: true }),
    ).rejects.toMatchObject({ code: "SETUP_DONE" });
  });

  it("refuses weak passwords with a reason, before anything is written", async () => {
    for (const password of ["short", "password1234", "ada@example.com1"]) {
      await expect(
        people.setUp({ email: "ada@example.com", name: "Ada Admin", password, allowSelfApproval: false }),
      ).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        fieldErrors: { password: [expect.any(String)] },
      });
    }
    expect(await people.needsSetup()).toBe(true);
  });
});

describe("invitations", () => {
  it("creates an account with the invited role from a one-time link", async () => {
    const ada = await admin();
    const invitation = await people.invite(ada, { email: "Rita@Example.com", role: "reviewer" });
    expect(invitation.token).toMatch(/^[\w-]{43}$/);
    expect(await people.describeInvitation(invitation.token)).toMatchObject({
      email: "rita@example.com",
      role: "reviewer",
    });
    expect((await people.listInvitations(ada)).map((open) => open.email)).toEqual(["rita@example.com"]);

    // a name is shown next to every decision: a direction override or a line break in it is not kept
    const rita = await people.acceptInvitation({
      token: invitation.token,
      name: " Rita\u202E\nReviewer\u0007",
      password: "Quartz-Lantern-Meadow-7",
    });
    expect(rita).toMatchObject({ email: "rita@example.com", role: "reviewer", name: "Rita Reviewer" });
    await expect(
      people.acceptInvitation({ token: invitation.token, name: "Rita Again", password: "Quartz-Lantern-Meadow-8" }),
    ).rejects.toMatchObject({ code: "INVITATION_INVALID" });
    expect(await people.listInvitations(ada)).toEqual([]);
    // only a hash of the token is stored
    const rows = await queryRows<{ tokenHash: string }>(database, `select token_hash as "tokenHash" from invitations`);
    expect(rows.map((row) => row.tokenHash)).not.toContain(invitation.token);
  });

  it("refuses an expired, revoked or unknown link", async () => {
    const ada = await admin();
    const expiring = await people.invite(ada, { email: "late@example.com", role: "author" });
    const revoked = await people.invite(ada, { email: "gone@example.com", role: "author" });
    await people.revokeInvitation(ada, { invitationId: revoked.invitationId });
    clock = new Date(clock.getTime() + INVITATION_TTL_MS + 1);
    await expect(people.describeInvitation(expiring.token)).rejects.toMatchObject({
      code: "INVITATION_INVALID",
      message: expect.stringMatching(/expired/),
    });
    await expect(
      people.acceptInvitation({ token: expiring.token, name: "Late", password: STRONG }),
    ).rejects.toMatchObject({ code: "INVITATION_INVALID" });
    await expect(people.describeInvitation(revoked.token)).rejects.toMatchObject({ code: "INVITATION_INVALID" });
    await expect(people.describeInvitation("not-a-token")).rejects.toMatchObject({ code: "INVITATION_INVALID" });
  });

  it("refuses to invite an email that already has an account", async () => {
    const ada = await admin();
    await expect(people.invite(ada, { email: "ADA@example.com", role: "admin" })).rejects.toMatchObject({
      code: "EMAIL_TAKEN",
    });
  });
});

describe("API keys and deactivation", () => {
  it("stores only a hash, resolves the key to its owner, and stops it when revoked", async () => {
    const ada = await admin();
    const created = await people.createApiKey(ada, { name: "deploy script" });
    expect(created.key).toMatch(/^dg_/);
    expect(await people.actorForApiKey(created.key)).toMatchObject({
      userId: ada.userId,
      role: "admin",
      method: "api-key",
    });
    expect(await people.actorForApiKey(`${created.key}x`)).toBeNull();
    const [stored] = await queryRows<{ keyHash: string; prefix: string }>(
      database,
      `select key_hash as "keyHash", prefix from api_keys`,
    );
    expect(stored!.keyHash).not.toBe(created.key);
    expect(created.key.startsWith(stored!.prefix)).toBe(true);
    await people.revokeApiKey(ada, { keyId: created.keyId });
    expect(await people.actorForApiKey(created.key)).toBeNull();
    expect((await people.listApiKeys(ada))[0]?.revokedAt).not.toBeNull();
  });

  it("stops a deactivated person's sessions and keys at once, and lets them back in when reactivated", async () => {
    const ada = await admin();
    const rita = await people.addPerson(ada, { email: "rita@example.com", role: "reviewer", password: STRONG });
    const ritaActor = (await people.actorForUser(rita.userId, "password"))!;
    const key = (await people.createApiKey(ritaActor, { name: "laptop" })).key;
    await people.deactivate(ada, { userId: rita.userId });
    expect(await people.actorForUser(rita.userId, "password")).toBeNull();
    expect(await people.actorForApiKey(key)).toBeNull();
    expect(await people.isActive(rita.userId)).toBe(false);
    await people.reactivate(ada, { userId: rita.userId });
    expect(await people.actorForApiKey(key)).toMatchObject({ userId: rita.userId });
  });

  it("keeps at least one active admin, and an admin cannot deactivate themselves", async () => {
    const ada = await admin();
    await expect(people.setRole(ada, { userId: ada.userId!, role: "reviewer" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/last admin/),
    });
    await expect(people.deactivate(ada, { userId: ada.userId! })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const bea = await people.addPerson(ada, { email: "bea@example.com", role: "admin" });
    expect((await people.setRole(ada, { userId: ada.userId!, role: "reviewer" })).role).toBe("reviewer");
    const beaActor = (await people.actorForUser(bea.userId, "password"))!;
    await expect(people.deactivate(beaActor, { userId: bea.userId })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lets the CLI act as an existing person or as the local operator", async () => {
    const ada = await admin();
    expect(await people.actorForCli({ osUser: "deploy" })).toEqual({ ...operator, name: "cli:deploy" });
    expect(await people.actorForCli({ asEmail: "ADA@example.com", osUser: "deploy" })).toMatchObject({
      userId: ada.userId,
      method: "cli",
      role: "admin",
    });
    await expect(people.actorForCli({ asEmail: "nobody@example.com", osUser: "deploy" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("workspace settings", () => {
  it("change only what an update names, and refuse an out-of-range revision limit", async () => {
    const ada = await admin();
    await people.updateSettings(ada, { allowSignUp: true, maxRevisionRounds: 25 });
    expect(await people.updateSettings(ada, { allowSelfApproval: true })).toEqual({
      allowSelfApproval: true,
      allowSignUp: true,
      maxRevisionRounds: 25,
    });
    await expect(people.updateSettings(ada, { maxRevisionRounds: 0 })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    await expect(people.updateSettings(ada, { maxRevisionRounds: 2.5 })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect((await people.getSettings()).maxRevisionRounds).toBe(25);
  });
});

describe("open sign-up", () => {
  it("is closed until an admin opens it, and then creates authors", async () => {
    const ada = await admin();
    await expect(people.signUp({ email: "new@example.com", name: "New", password: STRONG })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await people.updateSettings(ada, { allowSignUp: true });
    expect(await people.signUp({ email: "new@example.com", name: "New", password: STRONG })).toMatchObject({
      role: "author",
    });
  });
});

describe("sign-in attempts", () => {
  it("are limited per email and per client address, each on its own", async () => {
    const limited = new PeopleService({
      store,
      limits: new ActionLimits(store, { ...DEFAULT_ACTION_LIMITS, "sign-in": 3 }),
    });
    for (let n = 0; n < 3; n++)
      await limited.noteSignInAttempt({ email: "Ada@example.com", clientAddress: `10.0.0.${n}` });
    // the same email from a fourth address, whatever its case
    await expect(
      limited.noteSignInAttempt({ email: "ada@EXAMPLE.com ", clientAddress: "10.0.0.9" }),
    ).rejects.toMatchObject({
      code: "RATE_LIMITED",
      message: expect.stringMatching(/^Too many sign-in attempts: at most 3 a minute\. Try again in \d+ s\.$/),
    });
    // one address trying three other emails
    for (const email of ["a@example.com", "b@example.com", "c@example.com"])
      await limited.noteSignInAttempt({ email, clientAddress: "10.0.0.50" });
    await expect(
      limited.noteSignInAttempt({ email: "d@example.com", clientAddress: "10.0.0.50" }),
    ).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // someone else, elsewhere, is unaffected
    await expect(
      limited.noteSignInAttempt({ email: "rita@example.com", clientAddress: "10.0.0.77" }),
    ).resolves.toBeUndefined();
  });
});

describe("roles from an identity provider's groups", () => {
  it("maps admin over reviewer over the default", () => {
    const mapping = { admin: ["draftgate-admins"], reviewer: ["editors", "marketing"] };
    expect(roleFromGroups(["marketing", "draftgate-admins"], mapping)).toBe("admin");
    expect(roleFromGroups(["editors"], mapping)).toBe("reviewer");
    expect(roleFromGroups(["everyone"], mapping)).toBe("author");
    expect(roleFromGroups([], mapping)).toBe("author");
  });
});
