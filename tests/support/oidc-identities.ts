/** The people of the e2e suite's identity provider (tests/support/oidc-provider.ts), shared with the specs. */

export interface TestIdentity {
  /** What to type as "login" on the provider's sign-in page. */
  login: string;
  name: string;
  email: string;
  groups: readonly string[];
}

export const OIDC_ADMIN_GROUP = "draftgate-admins";
export const OIDC_REVIEWER_GROUP = "draftgate-reviewers";

/** One person per role the groups claim maps to (docs/SECURITY.md, "Company sign-in"). */
export const OIDC_IDENTITIES = {
  admin: { login: "olivia", name: "Olivia Okafor", email: "olivia@idp.example", groups: [OIDC_ADMIN_GROUP, "staff"] },
  reviewer: { login: "oscar", name: "Oscar Reyes", email: "oscar@idp.example", groups: [OIDC_REVIEWER_GROUP, "staff"] },
  author: { login: "otto", name: "Otto Nakamura", email: "otto@idp.example", groups: ["staff"] },
} as const satisfies Record<string, TestIdentity>;
