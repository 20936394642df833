/**
 * Runs the test identity provider (tests/support/oidc-provider.ts) until killed: Playwright starts it as a
 * webServer (`node --import tsx tests/support/oidc-provider-main.ts`) before the app.
 * Environment: OIDC_PORT, OIDC_ISSUER, APP_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET.
 */
import { createTestIdentityProvider } from "./oidc-provider";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

const port = Number(required("OIDC_PORT"));
const provider = createTestIdentityProvider({
  issuer: required("OIDC_ISSUER"),
  appUrl: required("APP_URL"),
  clientId: required("OIDC_CLIENT_ID"),
  clientSecret: required("OIDC_CLIENT_SECRET"),
});
provider.listen(port, "127.0.0.1", () => {
  console.log(`test identity provider listening on ${required("OIDC_ISSUER")}`);
});
