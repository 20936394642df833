import type { Role, SignInMethod } from "@/lib/queries";

/** How someone was signed in when they acted, as the audit trail says it ("… with an API key"). */
export const signInMethodPhrases: Record<SignInMethod, string> = {
  password: "with a password",
  oidc: "with company sign-in",
  "api-key": "with an API key",
  cli: "through the CLI",
  system: "automatically, by the review deadline",
};

/**
 * "as reviewer, with a password": who someone acted as, and how they had signed in. The deadline's own entries
 * (reminder, escalation, expiry) name no person's role: "automatically, by the review deadline".
 */
export function actedAs(role: Role, method: SignInMethod): string {
  if (method === "system") return signInMethodPhrases.system;
  return `as ${role}, ${signInMethodPhrases[method]}`;
}
