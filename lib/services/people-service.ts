import { createHash, randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { API_KEY_TOUCH_EVERY_MS } from "@/db/people-queries";
import type { Queries, Store } from "@/db/store";
import type { UserRow } from "@/db/schema";
import { requirePermission, roles, type Actor, type Role, type SignInMethod } from "./actor";
import type {
  ApiKeyInfo,
  CreatedApiKey,
  CreatedInvitation,
  InvitationInfo,
  Person,
  Reviewer,
  WorkspaceSettings,
} from "./dto";
import { plainLine } from "@/lib/text/plain-text";
import { ServiceError } from "./errors";
import type { ActionLimits } from "./action-limits";
import { checkPassword, MAX_PASSWORD_LENGTH } from "./password-policy";

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const API_KEY_PREFIX = "dg_";
/** What each setting may hold; a setting never stored, or stored with a value that no longer fits, reads as its default. */
const settingSchemas = {
  allowSelfApproval: z.boolean(),
  allowSignUp: z.boolean(),
  maxRevisionRounds: z
    .number({ error: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(1, "At least 1.")
    .max(1_000, "At most 1,000."),
} satisfies Record<keyof WorkspaceSettings, z.ZodType>;
const settingDefaults: WorkspaceSettings = { allowSelfApproval: false, allowSignUp: false, maxRevisionRounds: 10 };
// every setting optional: an update changes the ones it names and leaves the others as stored
const settingsUpdateSchema = z.object({
  allowSelfApproval: settingSchemas.allowSelfApproval.optional(),
  allowSignUp: settingSchemas.allowSignUp.optional(),
  maxRevisionRounds: settingSchemas.maxRevisionRounds.optional(),
});

/** What sign-in (lib/auth) needs from the people directory: who is active, and their role from the IdP. */
export interface PeopleDirectory {
  isActive(userId: string): Promise<boolean>;
  setRoleFromIdentityProvider(userId: string, role: Role): Promise<void>;
}

/** The role an OIDC sign-in maps to from the person's groups: admin over reviewer over the default (author). */
export function roleFromGroups(
  groups: readonly string[],
  mapping: { admin: readonly string[]; reviewer: readonly string[] },
): Role {
  if (groups.some((group) => mapping.admin.includes(group))) return "admin";
  if (groups.some((group) => mapping.reviewer.includes(group))) return "reviewer";
  return "author";
}

const emailSchema = z
  .email({ error: "Enter an email address, like ana@example.com." })
  .max(254)
  .transform((email) => email.toLowerCase());
/** Names are shown next to every decision: controls and direction overrides are removed (lib/text/plain-text.ts). */
const nameSchema = z
  .string({ error: "Enter a name." })
  .transform((name) => plainLine(name).trim())
  .pipe(z.string().min(1, "Enter a name.").max(100, "Use at most 100 characters."));
const roleSchema = z.enum(roles, { error: `The role must be one of ${roles.join(", ")}.` });
const passwordSchema = z.string({ error: "Enter a password." }).max(MAX_PASSWORD_LENGTH);

export interface PeopleServiceOptions {
  store: Store;
  /** Counts sign-in attempts (per email, per client address); none when omitted. */
  limits?: ActionLimits;
  now?: () => Date;
}

/**
 * People, roles, invitations, API keys and workspace settings. Passwords are hashed with the sign-in library's
 * own function (scrypt), so accounts made here sign in there. Every use case but the anonymous ones (first-run
 * setup, reading and accepting an invitation, resolving a session or key) takes the acting person and checks
 * their role first.
 */
export class PeopleService implements PeopleDirectory {
  private readonly store: Store;
  private readonly now: () => Date;
  private readonly limits: ActionLimits | undefined;

  constructor(options: PeopleServiceOptions) {
    this.store = options.store;
    this.limits = options.limits;
    this.now = options.now ?? (() => new Date());
  }

  // ----- first run ------------------------------------------------------------------------------------------

  /** True until the first admin exists: the dashboard then shows the setup page. */
  async needsSetup(): Promise<boolean> {
    return (await this.store.queries.countUsers()) === 0;
  }

  /**
   * Creates the first admin, once (a second attempt, or one after anyone exists, is SETUP_DONE), and records
   * whether people may approve drafts of briefs they submitted themselves.
   */
  async setUp(input: {
    email: unknown;
    name: unknown;
    password: unknown;
    allowSelfApproval: unknown;
  }): Promise<Person> {
    const parsed = parseFields(
      z.object({ email: emailSchema, name: nameSchema, password: passwordSchema, allowSelfApproval: z.boolean() }),
      input,
    );
    requireStrongPassword(parsed.password, [parsed.email, parsed.name]);
    const passwordHash = await hashPassword(parsed.password);
    const id = randomUUID();
    const now = this.now();
    await this.store.transaction(async (tx) => {
      // the claim is what makes setup once-only under concurrent writers (db/pg/people-queries.ts claimSetting)
      if (
        (await tx.countUsers()) > 0 ||
        !(await tx.claimSetting({
          key: "setup.completedAt",
          value: JSON.stringify(now.toISOString()),
          at: now,
          byId: id,
        }))
      ) {
        throw new ServiceError("SETUP_DONE", "Draftgate is already set up; sign in, or ask an admin to invite you.");
      }
      await tx.insertLocalUser({ id, name: parsed.name, email: parsed.email, role: "admin", passwordHash, now });
      await tx.writeSetting({
        key: "allowSelfApproval",
        value: JSON.stringify(parsed.allowSelfApproval),
        at: now,
        byId: id,
      });
    });
    return this.requirePerson(id);
  }

  // ----- people ---------------------------------------------------------------------------------------------

  async listPeople(actor: Actor): Promise<Person[]> {
    requirePermission(actor, "people:manage", "see the people of this workspace");
    const providers = await this.store.queries.listSignInProviders();
    return (await this.store.queries.listUsers()).map((user) => toPerson(user, providers.get(user.id) ?? []));
  }

  /** Adds a person directly (the CLI's `user add`); without a password they can only use company sign-in. */
  async addPerson(
    actor: Actor,
    input: { email: unknown; name?: unknown; role: unknown; password?: unknown },
  ): Promise<Person> {
    requirePermission(actor, "people:manage", "add people");
    const parsed = parseFields(
      z.object({
        email: emailSchema,
        name: nameSchema.optional(),
        role: roleSchema,
        password: passwordSchema.optional(),
      }),
      input,
    );
    const name = parsed.name ?? parsed.email.split("@")[0]!;
    if (parsed.password !== undefined) requireStrongPassword(parsed.password, [parsed.email, name]);
    const passwordHash = parsed.password === undefined ? null : await hashPassword(parsed.password);
    const id = randomUUID();
    await this.store.transaction(async (tx) => {
      await this.requireFreeEmail(tx, parsed.email);
      await tx.insertLocalUser({ id, name, email: parsed.email, role: parsed.role, passwordHash, now: this.now() });
    });
    return this.requirePerson(id);
  }

  async setRole(actor: Actor, input: { userId: string; role: unknown }): Promise<Person> {
    requirePermission(actor, "people:manage", "change roles");
    const role = parseFields(z.object({ role: roleSchema }), input).role;
    await this.store.transaction(async (tx) => {
      const admins = await tx.countActiveAdmins(); // first: see requireAnotherAdmin
      const person = await this.requireUser(tx, input.userId);
      if (person.role === "admin" && role !== "admin") requireAnotherAdmin(admins, person, "change the role of");
      await tx.updateUserRole(person.id, role, this.now());
    });
    return this.requirePerson(input.userId);
  }

  /** Deactivates a person: their sessions end and their API keys stop working at once; their past decisions stay. */
  async deactivate(actor: Actor, input: { userId: string }): Promise<Person> {
    requirePermission(actor, "people:manage", "deactivate people");
    if (input.userId === actor.userId)
      throw new ServiceError("FORBIDDEN", "You cannot deactivate yourself; ask another admin.");
    await this.store.transaction(async (tx) => {
      const admins = await tx.countActiveAdmins(); // first: see requireAnotherAdmin
      const person = await this.requireUser(tx, input.userId);
      if (person.role === "admin") requireAnotherAdmin(admins, person, "deactivate");
      await tx.setUserDeactivated(person.id, this.now());
    });
    return this.requirePerson(input.userId);
  }

  async reactivate(actor: Actor, input: { userId: string }): Promise<Person> {
    requirePermission(actor, "people:manage", "reactivate people");
    const person = await this.requireUser(this.store.queries, input.userId);
    await this.store.queries.setUserDeactivated(person.id, null);
    return this.requirePerson(input.userId);
  }

  /** Active reviewers and admins, by name: whom a run can be assigned to. */
  async listReviewers(actor: Actor): Promise<Reviewer[]> {
    requirePermission(actor, "runs:answer", "see who can review");
    return (await this.store.queries.listUsers())
      .filter((user) => !user.deactivatedAt && user.role !== "author")
      .map((user) => ({ userId: user.id, name: user.name, role: user.role as Role }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** An active person by id, or undefined. */
  async findActivePerson(userId: string): Promise<Reviewer | undefined> {
    const user = await this.store.queries.findUserById(userId);
    return user && !user.deactivatedAt ? { userId: user.id, name: user.name, role: user.role as Role } : undefined;
  }

  async findPersonByEmail(email: string): Promise<Person | undefined> {
    const user = await this.store.queries.findUserByEmail(email);
    return user ? toPerson(user, (await this.store.queries.listSignInProviders()).get(user.id) ?? []) : undefined;
  }

  // ----- invitations ----------------------------------------------------------------------------------------

  /** A one-time invitation link for `email` with `role`, valid for 7 days. The token is returned once; only its hash is kept. */
  async invite(actor: Actor, input: { email: unknown; role: unknown }): Promise<CreatedInvitation> {
    requirePermission(actor, "people:manage", "invite people");
    const parsed = parseFields(z.object({ email: emailSchema, role: roleSchema }), input);
    await this.requireFreeEmail(this.store.queries, parsed.email);
    const token = randomBytes(32).toString("base64url");
    const now = this.now();
    const invitation = {
      id: randomUUID(),
      email: parsed.email,
      role: parsed.role,
      tokenHash: sha256(token),
      invitedById: actor.userId ?? "cli",
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    };
    await this.store.queries.insertInvitation(invitation);
    return {
      invitationId: invitation.id,
      email: invitation.email,
      role: invitation.role,
      token,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  async listInvitations(actor: Actor): Promise<InvitationInfo[]> {
    requirePermission(actor, "people:manage", "see invitations");
    return (await this.store.queries.listOpenInvitations(this.now())).map((row) => ({
      invitationId: row.id,
      email: row.email,
      role: row.role,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
    }));
  }

  async revokeInvitation(actor: Actor, input: { invitationId: string }): Promise<void> {
    requirePermission(actor, "people:manage", "revoke invitations");
    if (!(await this.store.queries.revokeInvitation({ id: input.invitationId, at: this.now() })))
      throw invitationInvalid();
  }

  /** What the invitation page shows; anonymous (the token is the credential). @throws INVITATION_INVALID */
  async describeInvitation(token: string): Promise<{ email: string; role: Role; expiresAt: string }> {
    const row = await this.store.queries.findInvitationByTokenHash(sha256(token));
    if (!row || row.acceptedAt || row.revokedAt) throw invitationInvalid();
    if (row.expiresAt <= this.now())
      throw invitationInvalid("This invitation has expired. Ask the admin who invited you for a new one.");
    return { email: row.email, role: row.role, expiresAt: row.expiresAt.toISOString() };
  }

  /** Creates the invited person's account with the invitation's role; the link works once. @throws INVITATION_INVALID */
  async acceptInvitation(input: { token: string; name: unknown; password: unknown }): Promise<Person> {
    const invitation = await this.describeInvitation(input.token);
    const parsed = parseFields(z.object({ name: nameSchema, password: passwordSchema }), input);
    requireStrongPassword(parsed.password, [invitation.email, parsed.name]);
    const passwordHash = await hashPassword(parsed.password);
    const id = randomUUID();
    await this.store.transaction(async (tx) => {
      const row = await tx.findInvitationByTokenHash(sha256(input.token));
      // the claim is one conditional write: of two acceptances at once, one wins (db/pg/people-queries.ts)
      if (!row || !(await tx.claimInvitation({ id: row.id, now: this.now() }))) throw invitationInvalid();
      await this.requireFreeEmail(tx, row.email);
      await tx.insertLocalUser({
        id,
        name: parsed.name,
        email: row.email,
        role: row.role,
        passwordHash,
        now: this.now(),
      });
    });
    return this.requirePerson(id);
  }

  /** Open sign-up, when an admin allows it: a new author. */
  async signUp(input: { email: unknown; name: unknown; password: unknown }): Promise<Person> {
    if (!(await this.getSettings()).allowSignUp)
      throw new ServiceError("FORBIDDEN", "Sign-up is closed here; ask an admin to invite you.");
    const parsed = parseFields(z.object({ email: emailSchema, name: nameSchema, password: passwordSchema }), input);
    requireStrongPassword(parsed.password, [parsed.email, parsed.name]);
    const passwordHash = await hashPassword(parsed.password);
    const id = randomUUID();
    await this.store.transaction(async (tx) => {
      await this.requireFreeEmail(tx, parsed.email);
      await tx.insertLocalUser({
        id,
        name: parsed.name,
        email: parsed.email,
        role: "author",
        passwordHash,
        now: this.now(),
      });
    });
    return this.requirePerson(id);
  }

  // ----- API keys -------------------------------------------------------------------------------------------

  /** A new key for the actor (or, for an admin, for `forEmail`), shown once: only its SHA-256 is stored. */
  async createApiKey(actor: Actor, input: { name: unknown; forEmail?: string }): Promise<CreatedApiKey> {
    const owner = input.forEmail
      ? await this.keyOwnerFor(actor, input.forEmail)
      : await this.requireSignedInUser(actor);
    requirePermission(actor, "keys:own", "create API keys");
    const name = parseFields(z.object({ name: nameSchema }), input).name;
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
    const row = {
      id: randomUUID(),
      userId: owner.id,
      name,
      prefix: key.slice(0, 10),
      keyHash: sha256(key),
      createdAt: this.now(),
    };
    await this.store.queries.insertApiKey(row);
    return { keyId: row.id, name, prefix: row.prefix, key, createdAt: row.createdAt.toISOString() };
  }

  async listApiKeys(actor: Actor): Promise<ApiKeyInfo[]> {
    const user = await this.requireSignedInUser(actor);
    return (await this.store.queries.listApiKeys(user.id)).map((row) => ({
      keyId: row.id,
      name: row.name,
      prefix: row.prefix,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    }));
  }

  async revokeApiKey(actor: Actor, input: { keyId: string }): Promise<void> {
    const user = await this.requireSignedInUser(actor);
    if (!(await this.store.queries.revokeApiKey({ id: input.keyId, userId: user.id, at: this.now() }))) {
      throw new ServiceError("NOT_FOUND", "You have no live API key with that id.");
    }
  }

  /**
   * Counts a password sign-in attempt against the email and, when known, the client's address, before the
   * password is checked: guessing is slowed per account and per machine alike.
   * @throws ServiceError RATE_LIMITED with `retryAfterSeconds`
   */
  async noteSignInAttempt(input: { email: string; clientAddress: string | null }): Promise<void> {
    await this.limits?.consume("sign-in", `email:${input.email.trim().toLowerCase()}`);
    if (input.clientAddress) await this.limits?.consume("sign-in", `address:${input.clientAddress}`);
  }

  // ----- who is acting --------------------------------------------------------------------------------------

  /** The actor behind a session, or null when the person is gone or deactivated. */
  async actorForUser(userId: string, method: SignInMethod): Promise<Actor | null> {
    const user = await this.store.queries.findUserById(userId);
    return user && !user.deactivatedAt ? toActor(user, method) : null;
  }

  /** The actor behind an API key, or null for an unknown or revoked key, or a deactivated owner. */
  async actorForApiKey(key: string): Promise<Actor | null> {
    if (!key.startsWith(API_KEY_PREFIX)) return null;
    const found = await this.store.queries.findLiveApiKey(sha256(key));
    if (!found || found.user.deactivatedAt) return null;
    const now = this.now();
    // a write per request would queue every API call behind the executing runs' writes
    if (!found.key.lastUsedAt || now.getTime() - found.key.lastUsedAt.getTime() >= API_KEY_TOUCH_EVERY_MS)
      await this.store.queries.touchApiKey({ id: found.key.id, at: now });
    return toActor(found.user, "api-key");
  }

  /** The CLI's actor: `--as <email>` names an existing, active person; else the local operator `cli:<os user>` (admin rights). */
  async actorForCli(options: { asEmail?: string; osUser: string }): Promise<Actor> {
    if (!options.asEmail)
      return { userId: null, name: `cli:${options.osUser}`, email: null, role: "admin", method: "cli" };
    const user = await this.store.queries.findUserByEmail(options.asEmail);
    if (!user || user.deactivatedAt)
      throw new ServiceError("NOT_FOUND", `No active person has the email ${options.asEmail}; see \`user list\`.`);
    return toActor(user, "cli");
  }

  async isActive(userId: string): Promise<boolean> {
    const user = await this.store.queries.findUserById(userId);
    return user !== undefined && !user.deactivatedAt;
  }

  async setRoleFromIdentityProvider(userId: string, role: Role): Promise<void> {
    await this.store.queries.updateUserRole(userId, role, this.now());
  }

  // ----- settings -------------------------------------------------------------------------------------------

  async getSettings(): Promise<WorkspaceSettings> {
    const stored = await this.store.queries.readSettings();
    const read = <K extends keyof WorkspaceSettings>(key: K): WorkspaceSettings[K] => {
      const schema = settingSchemas[key] as unknown as z.ZodType<WorkspaceSettings[K]>;
      const value = stored.has(key) ? schema.safeParse(JSON.parse(stored.get(key)!)) : undefined;
      return value?.success ? value.data : settingDefaults[key];
    };
    return {
      allowSelfApproval: read("allowSelfApproval"),
      allowSignUp: read("allowSignUp"),
      maxRevisionRounds: read("maxRevisionRounds"),
    };
  }

  async updateSettings(
    actor: Actor,
    input: Partial<Record<keyof WorkspaceSettings, unknown>>,
  ): Promise<WorkspaceSettings> {
    requirePermission(actor, "settings:manage", "change workspace settings");
    const parsed = parseFields(settingsUpdateSchema, input);
    const now = this.now();
    for (const [key, value] of Object.entries(parsed)) {
      if (value !== undefined)
        await this.store.queries.writeSetting({ key, value: JSON.stringify(value), at: now, byId: actor.userId });
    }
    return this.getSettings();
  }

  // ----- helpers --------------------------------------------------------------------------------------------
  // Each takes the queries to run: a transaction's `tx` inside one, `this.store.queries` outside.

  private async requireUser(queries: Queries, userId: string): Promise<UserRow> {
    const user = await queries.findUserById(userId);
    if (!user) throw new ServiceError("NOT_FOUND", `No person has the id ${userId}.`);
    return user;
  }

  private async requirePerson(userId: string): Promise<Person> {
    const user = await this.requireUser(this.store.queries, userId);
    return toPerson(user, (await this.store.queries.listSignInProviders()).get(userId) ?? []);
  }

  private async requireSignedInUser(actor: Actor): Promise<UserRow> {
    if (!actor.userId) throw new ServiceError("FORBIDDEN", "API keys belong to a person: name one with --as <email>.");
    return this.requireUser(this.store.queries, actor.userId);
  }

  private async keyOwnerFor(actor: Actor, email: string): Promise<UserRow> {
    const user = await this.store.queries.findUserByEmail(email);
    if (!user || user.deactivatedAt) throw new ServiceError("NOT_FOUND", `No active person has the email ${email}.`);
    if (user.id !== actor.userId) requirePermission(actor, "people:manage", "create API keys for other people");
    return user;
  }

  private async requireFreeEmail(queries: Queries, email: string): Promise<void> {
    if (await queries.findUserByEmail(email))
      throw new ServiceError("EMAIL_TAKEN", `Someone already has the email ${email}.`, {
        fieldErrors: { email: ["Someone already has this email."] },
      });
  }
}

/**
 * The "not the last admin" check before demoting or deactivating `person`, an admin. `activeAdmins` must be
 * counted (`countActiveAdmins`) in the same transaction *before* `person` is read: on PostgreSQL that count locks
 * the rows of the active admins until the transaction ends, so none of them can be demoted or deactivated
 * meanwhile, and `person`, read after it, is current if they were one of them. Someone made admin after the count
 * is not in it, which only makes the check stricter. (Reading `person` first could act on a stale role: a
 * concurrent promotion plus the deactivation of the other admin could then leave none.) On SQLite the IMMEDIATE
 * transaction gives the same.
 */
function requireAnotherAdmin(activeAdmins: number, person: UserRow, what: string): void {
  const others = activeAdmins - (person.deactivatedAt ? 0 : 1);
  if (others < 1)
    throw new ServiceError("FORBIDDEN", `You cannot ${what} the last admin; make someone else an admin first.`);
}

function toActor(user: UserRow, method: SignInMethod): Actor {
  return { userId: user.id, name: user.name, email: user.email, role: user.role, method };
}

function toPerson(user: UserRow, providers: readonly string[]): Person {
  return {
    userId: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    isActive: !user.deactivatedAt,
    signInMethods: providers.map((provider) => (provider === "credential" ? "password" : "oidc")),
    createdAt: user.createdAt.toISOString(),
  };
}

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function invitationInvalid(
  message = "This invitation link is not valid: it was used, revoked or mistyped. Ask an admin for a new one.",
): ServiceError {
  return new ServiceError("INVITATION_INVALID", message);
}

function requireStrongPassword(password: string, personal: string[]): void {
  const problem = checkPassword(password, personal);
  if (problem) throw new ServiceError("VALIDATION_FAILED", problem, { fieldErrors: { password: [problem] } });
}

/** Validates input against a schema, reporting the first problem and every field's problems (VALIDATION_FAILED). */
function parseFields<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
  const first = parsed.error.issues[0];
  throw new ServiceError("VALIDATION_FAILED", first?.message ?? "The input is invalid.", { fieldErrors });
}
