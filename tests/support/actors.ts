import type { Actor, Role } from "@/lib/services";

/** People for service-level tests and benchmarks; the services trust the actor they are given (callers authenticate). */
export function actorFor(role: Role, name: string = role, method: Actor["method"] = "password"): Actor {
  return {
    userId: `user-${name.toLowerCase().replace(/\W+/g, "-")}`,
    name,
    email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`,
    role,
    method,
  };
}

/** The CLI's local operator: admin rights, no account. */
export const operator: Actor = { userId: null, name: "cli:operator", email: null, role: "admin", method: "cli" };
