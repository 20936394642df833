import type { Role, SignInMethod } from "@/lib/queries";

/** How someone was signed in when they acted, as the audit trail says it ("… with an API key"). */
export const signInMethodPhrases: Record<SignInMethod, string> = {
  password: "with a password",
  oidc: "with company sign-in",
  "api-key": "with an API key",
  cli: "through the CLI",
  system: "on a deadline",
};

/** "as reviewer, with a password": who someone acted as, and how they had signed in. */
export function actedAs(role: Role, method: SignInMethod): string {
  return `as ${role}, ${signInMethodPhrases[method]}`;
}
