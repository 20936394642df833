import { roles, type Role } from "@/db/schema";
import { ServiceError } from "./errors";

export { roles, type Role };

/** How the acting person proved who they are; `system` is Draftgate itself (a deadline that expired a request). */
export type SignInMethod = "password" | "oidc" | "api-key" | "cli" | "system";

/**
 * The person a use case acts for. Route handlers, server actions and the CLI build it from a session, an API
 * key or the local operator, and pass it in; nothing below them reads cookies or headers, and identity in a
 * request body is never trusted.
 */
export interface Actor {
  /** Null only for the CLI's local operator (`cli:<os user>`), who is not a Draftgate account. */
  userId: string | null;
  name: string;
  email: string | null;
  role: Role;
  method: SignInMethod;
}

/** What each role may do. Each role can do everything the one before it can. */
const grants = {
  author: ["runs:read", "runs:submit", "runs:retry-own", "keys:own"],
  reviewer: ["runs:read", "runs:submit", "runs:retry-own", "keys:own", "runs:answer"],
  admin: [
    "runs:read",
    "runs:submit",
    "runs:retry-own",
    "keys:own",
    "runs:answer",
    "runs:retry-any",
    "runs:branch",
    "runs:reopen",
    "runs:failure-detail",
    "people:manage",
    "settings:manage",
  ],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof grants)["admin"][number];

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return (grants[actor.role] as readonly string[]).includes(permission);
}

const ROLE_NAMES: Record<Role, string> = { author: "authors", reviewer: "reviewers", admin: "admins" };

/**
 * Refuses with FORBIDDEN (403) unless the actor's role grants `permission`; the message says what the action
 * needs, so people know whom to ask.
 */
export function requirePermission(actor: Actor, permission: Permission, action: string): void {
  if (hasPermission(actor, permission)) return;
  const allowed = roles
    .filter((role) => (grants[role] as readonly string[]).includes(permission))
    .map((role) => ROLE_NAMES[role]);
  throw new ServiceError(
    "FORBIDDEN",
    `Only ${allowed.join(" and ")} can ${action}; you are signed in as ${/^[aeiou]/.test(actor.role) ? "an" : "a"} ${actor.role}.`,
    {
      details: { permission, role: actor.role },
    },
  );
}
