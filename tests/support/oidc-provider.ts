/**
 * A real OpenID Connect provider for the e2e suite (oidc-provider 9, its dev login and consent pages): one
 * confidential client, Draftgate, and three people whose groups claim maps to each role. Any password works.
 */
import Provider from "oidc-provider";
import { OIDC_IDENTITIES, type TestIdentity } from "./oidc-identities";

export interface TestIdentityProviderOptions {
  /** The provider's own address, e.g. http://127.0.0.1:4100. */
  issuer: string;
  /** Draftgate's APP_URL: the client's only redirect URI is `<appUrl>/api/auth/callback/oidc`. */
  appUrl: string;
  clientId: string;
  clientSecret: string;
}

export function createTestIdentityProvider({
  issuer,
  appUrl,
  clientId,
  clientSecret,
}: TestIdentityProviderOptions): Provider {
  const identities = new Map<string, TestIdentity>(
    Object.values(OIDC_IDENTITIES).map((identity) => [identity.login, identity]),
  );
  return new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    // the default forces PKCE only for public clients; Draftgate sends it anyway, so require it
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    // the default (true) keeps scope claims out of the ID token, and Draftgate reads the groups from there
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "offline_access", "email", "profile", "groups"],
    cookies: { keys: ["draftgate-e2e-identity-provider-cookie-key"] },
    findAccount: async (_ctx, id) => {
      const identity = identities.get(id);
      if (!identity) return undefined;
      return {
        accountId: identity.login,
        claims: async () => ({
          sub: identity.login,
          email: identity.email,
          email_verified: true,
          name: identity.name,
          groups: identity.groups,
        }),
      };
    },
  });
}
