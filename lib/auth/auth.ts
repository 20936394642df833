import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { genericOAuth } from "better-auth/plugins";
import { decodeJwt } from "jose";
import { plainLine } from "@/lib/text/plain-text";
import type { Env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { roleFromGroups, type PeopleDirectory } from "@/lib/services";
import * as pgSchema from "@/db/pg/schema";
import * as sqliteSchema from "@/db/schema";
import type { Store } from "@/db/store";

/** The OIDC provider's id in Better Auth: its callback is `/api/auth/oauth2/callback/oidc`. */
export const OIDC_PROVIDER_ID = "oidc";

export interface AuthOptions {
  /** The store's database for the drizzle adapter, with its dialect (`store.authDatabase`). */
  database: Store["authDatabase"];
  env: Env;
  secret: string;
  people: PeopleDirectory;
}

/**
 * Sign-in for Draftgate, on Better Auth: sessions in our database (cookie `draftgate.session_token`,
 * HttpOnly, SameSite=Lax, Secure when APP_URL is https), passwords hashed with scrypt, and company sign-in
 * through any OpenID Connect provider (discovery, PKCE, state and nonce checks are the library's) when
 * OIDC_ISSUER is set.
 *
 * Accounts are created only by Draftgate's own use cases (setup, invitations, the CLI, open sign-up when an
 * admin allows it), so the library's own sign-up and profile endpoints are disabled; roles and deactivation
 * live in our `user` columns and are read by `PeopleDirectory`.
 */
export function createAuth({ database, env, secret, people }: AuthOptions) {
  const tables = database.provider === "pg" ? pgSchema : sqliteSchema;
  const oidc = env.OIDC_ISSUER && env.OIDC_CLIENT_ID ? env : undefined;
  return betterAuth({
    appName: "Draftgate",
    baseURL: env.APP_URL,
    secret,
    trustedOrigins: (request) => trustedOriginsFor(env, request),
    database: drizzleAdapter(database.db as Parameters<typeof drizzleAdapter>[0], {
      provider: database.provider,
      schema: {
        user: tables.users,
        session: tables.sessions,
        account: tables.accounts,
        verification: tables.verifications,
      },
    }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 256 },
    user: { additionalFields: { role: { type: "string", input: false, required: false } } },
    session: { additionalFields: { signInMethod: { type: "string", input: false, required: false } } },
    account: { accountLinking: { enabled: false } },
    // Everything that would create or change an account outside Draftgate's use cases.
    disabledPaths: [
      "/sign-up/email",
      "/update-user",
      "/change-email",
      "/delete-user",
      "/request-password-reset",
      "/reset-password",
      "/link-social",
      "/unlink-account",
    ],
    advanced: { cookiePrefix: "draftgate", defaultCookieAttributes: { httpOnly: true, sameSite: "lax" } },
    rateLimit: { enabled: env.AUTH_RATE_LIMIT_PER_MINUTE > 0, window: 60, max: env.AUTH_RATE_LIMIT_PER_MINUTE },
    telemetry: { enabled: false },
    logger: {
      // The library's own log lines go through ours (never with secrets: it logs messages, not requests).
      log: (level, message) => logger[level]({ component: "auth" }, message),
    },
    databaseHooks: {
      user: {
        // a name from the identity provider is shown to reviewers: no controls or direction overrides (lib/text)
        create: { before: async (user) => ({ data: { ...user, name: displayName(user.name, user.email) } }) },
        update: {
          before: async (user) =>
            typeof user.name === "string"
              ? { data: { ...user, name: displayName(user.name, user.email) } }
              : { data: user },
        },
      },
      session: {
        create: {
          before: async (session, context) => {
            // a deactivated person cannot sign in again, whatever the method
            if (!(await people.isActive(session.userId))) return false;
            const method =
              context?.path?.startsWith("/oauth2/callback") || context?.path?.startsWith("/callback")
                ? "oidc"
                : "password";
            return { data: { ...session, signInMethod: method } };
          },
        },
      },
      account: {
        // Roles from the IdP's groups claim, re-read at every company sign-in (the account row is updated then).
        create: { after: async (account) => syncRoleFromGroups(account, env, people) },
        update: { after: async (account) => syncRoleFromGroups(account, env, people) },
      },
    },
    plugins: [
      ...(oidc
        ? [
            genericOAuth({
              config: [
                {
                  providerId: OIDC_PROVIDER_ID,
                  discoveryUrl: `${oidc.OIDC_ISSUER!.replace(/(?<!\/)\/+$/, "")}/.well-known/openid-configuration`,
                  clientId: oidc.OIDC_CLIENT_ID!,
                  ...(oidc.OIDC_CLIENT_SECRET ? { clientSecret: oidc.OIDC_CLIENT_SECRET } : {}),
                  scopes: oidc.OIDC_SCOPES.split(/\s+/).filter(Boolean),
                  pkce: true,
                },
              ],
            }),
          ]
        : []),
      // last, so cookies set by auth calls in server actions reach the browser
      nextCookies(),
    ],
  });
}

export type DraftgateAuth = ReturnType<typeof createAuth>;

function displayName(name: string, email: unknown): string {
  return plainLine(name).trim().slice(0, 100) || (typeof email === "string" ? email : "unnamed");
}

async function syncRoleFromGroups(
  account: { providerId: string; userId: string; idToken?: string | null; accessToken?: string | null },
  env: Env,
  people: PeopleDirectory,
) {
  if (account.providerId !== OIDC_PROVIDER_ID || !account.idToken) return;
  const mapping = { admin: env.OIDC_ADMIN_GROUPS, reviewer: env.OIDC_REVIEWER_GROUPS };
  if (mapping.admin.length === 0 && mapping.reviewer.length === 0) return;
  // already verified by the library against the provider's keys; read here only for its groups claim
  const claims = decodeJwt(account.idToken);
  const groups = Array.isArray(claims[env.OIDC_GROUPS_CLAIM])
    ? (claims[env.OIDC_GROUPS_CLAIM] as unknown[]).map(String)
    : [];
  await people.setRoleFromIdentityProvider(account.userId, roleFromGroups(groups, mapping));
}

/**
 * APP_URL, and the loopback names on its port and on this server's own port: a developer may open either, and each
 * web instance of `npm run cluster` directly.
 */
function trustedOriginsFor(env: Env, _request?: Request): string[] {
  const ports = new Set([new URL(env.APP_URL).port || String(env.PORT), String(env.PORT)]);
  return [
    env.APP_URL.replace(/(?<!\/)\/+$/, ""),
    ...[...ports].flatMap((port) => ["localhost", "127.0.0.1", "[::1]"].map((host) => `http://${host}:${port}`)),
    ...env.ALLOWED_HOSTS.flatMap((host) => [`https://${host}`, `http://${host}`]),
  ];
}
