import type { Page } from "@playwright/test";
import { OIDC_IDENTITIES, type TestIdentity } from "../tests/support/oidc-identities";
import { runCli } from "./fixtures/database";
import { saveScreenshot } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";

// Company sign-in against a real OpenID Connect provider (oidc-provider, started by playwright.config.ts): the
// provider's own login and consent pages, then Draftgate with the role the groups claim maps to.

const PROVIDER_NAME = "Acme SSO";
const issuerOrigin = () => `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`;

/** From Draftgate's sign-in page through the provider's login and consent pages, back to the dashboard. */
async function signInWithCompany(
  page: Page,
  identity: TestIdentity,
  options: { screenshots?: boolean } = {},
): Promise<void> {
  // The provider's pages load a web font from the internet, which this sandbox cannot reach.
  await page.context().route(/fonts\.googleapis\.com/, (route) => route.abort());
  await page.goto("/sign-in");
  const button = page.getByRole("button", { name: `Sign in with ${PROVIDER_NAME}` });
  await expect(button).toBeVisible();
  if (options.screenshots) await saveScreenshot(page, "sign-in-oidc");
  await button.click();

  await expect(page).toHaveURL(new RegExp(`^${issuerOrigin()}/interaction/`));
  await expect(page.getByRole("heading", { name: "Sign-in" })).toBeVisible();
  await page.locator('input[name="login"]').fill(identity.login);
  await page.locator('input[name="password"]').fill("any password works here");
  if (options.screenshots) await saveScreenshot(page, "oidc-provider-login");
  await page.getByRole("button", { name: "Sign-in" }).click();

  await expect(page.getByRole("heading", { name: "Authorize" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/reviews$/);
  expect(new URL(page.url()).port).toBe(process.env.E2E_PORT);
}

test.describe("company sign-in (OIDC)", () => {
  const cases = [
    { identity: OIDC_IDENTITIES.admin, role: "admin", seesPeople: true },
    { identity: OIDC_IDENTITIES.reviewer, role: "reviewer", seesPeople: false },
    { identity: OIDC_IDENTITIES.author, role: "author", seesPeople: false },
  ] as const;

  for (const [index, { identity, role, seesPeople }] of cases.entries()) {
    test(`${identity.name} (groups: ${identity.groups.join(", ")}) signs in through the identity provider and is ${/^[aeiou]/.test(role) ? "an" : "a"} ${role}`, async ({
      pageAs,
    }) => {
      const page = await pageAs(null);
      await signInWithCompany(page, identity, { screenshots: index === 0 });
      const signedInAs = page.getByTestId("signed-in-as");
      await expect(signedInAs).toContainText(`Signed in as ${identity.name} (${role})`);
      await expect(signedInAs).toContainText("with company sign-in");
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(nav.getByRole("link", { name: "People" })).toHaveCount(seesPeople ? 1 : 0);
      const session = await page.request.get("/api/auth/get-session");
      expect(((await session.json()) as { user: { email: string } }).user.email).toBe(identity.email);
    });
  }

  test("the role follows the groups claim again at the next company sign-in, whatever was set in Draftgate meanwhile", async ({
    pageAs,
  }) => {
    const identity = OIDC_IDENTITIES.reviewer;
    const first = await pageAs(null);
    await signInWithCompany(first, identity);
    await expect(first.getByTestId("signed-in-as")).toContainText(`${identity.name} (reviewer)`);

    // An operator demotes them in Draftgate; the session they hold now acts as an author.
    runCli(["user", "set-role", identity.email, "author"]);
    await first.reload();
    await expect(first.getByTestId("signed-in-as")).toContainText(`${identity.name} (author)`);

    // Their next company sign-in reads the groups claim again: the identity provider stays the source of truth.
    const second = await pageAs(null);
    await signInWithCompany(second, identity);
    await expect(second.getByTestId("signed-in-as")).toContainText(`${identity.name} (reviewer)`);
  });
});
