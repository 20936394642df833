import type { Page } from "@playwright/test";
import { createInvitation, expireInvitation } from "./fixtures/database";
import { saveScreenshot } from "./fixtures/draftgate";
import { member } from "./fixtures/people";
import { expect, newAppClient, test } from "./fixtures/test";

// Local accounts: invitations, password sign-in, sign-out. Every sign-in here makes its own session in a fresh
// browser, so the sessions the other specs use (e2e/auth.setup.ts) are never ended.

const NO_MATCH = "That email and password do not match an active account.";
const NEW_PASSWORD = "Harbor-Tulip-Compass-57";

async function signIn(page: Page, credentials: { email: string; password: string }): Promise<void> {
  await page.getByLabel("Email").fill(credentials.email);
  await page.getByLabel("Password", { exact: true }).fill(credentials.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test.describe("invitations", () => {
  test.use({ signedInAs: "Avery" });

  test("an admin invites someone with a role; they accept the one-time link in their own browser and are signed in with that role", async ({
    page,
    pageAs,
    baseURL,
  }) => {
    await page.goto("/people");
    await expect(page.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
    await page.getByLabel("Email").fill("nina@example.com");
    await page.getByLabel("Role", { exact: true }).selectOption("reviewer");
    await page.getByRole("button", { name: "Create invitation link" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "Invitation for nina@example.com created." }),
    ).toBeVisible();
    const linkField = page.getByLabel("Invitation link");
    await expect(linkField).toHaveValue(new RegExp(`^${baseURL}/invite/[A-Za-z0-9_-]{20,}$`));
    const link = await linkField.inputValue();
    await expect(page.getByRole("region", { name: /Open invitations/ })).toContainText("nina@example.com");
    await saveScreenshot(page, "people");

    // Nina opens the link in her own browser, signed out.
    const nina = await pageAs(null);
    await nina.goto(link);
    await expect(nina.getByRole("heading", { level: 1, name: "Join Draftgate" })).toBeVisible();
    await expect(nina.getByText("You are invited as reviewer with nina@example.com.")).toBeVisible();
    await expect(nina.getByLabel("Email")).toHaveValue("nina@example.com");
    await expect(nina.getByLabel("Email")).not.toBeEditable();
    await nina.getByLabel("Your name").fill("Nina");
    await nina.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await saveScreenshot(nina, "invite-accept");
    await nina.getByRole("button", { name: "Create my account" }).click();
    await expect(nina).toHaveURL(/\/reviews$/);
    await expect(nina.getByTestId("signed-in-as")).toContainText("Signed in as Nina (reviewer)");

    // The admin's list shows her, with her role and password sign-in; the invitation is no longer open.
    await page.reload();
    const row = page.getByRole("row", { name: /nina@example\.com/ });
    await expect(row.getByLabel("Role of Nina")).toHaveValue("reviewer");
    await expect(row).toContainText("Password");
    await expect(page.getByRole("region", { name: /Open invitations/ })).not.toContainText("nina@example.com");

    // The link worked once.
    const again = await pageAs(null);
    await again.goto(link);
    await expect(again.getByRole("heading", { level: 1, name: "This invitation cannot be used" })).toBeVisible();
    await expect(again.getByText("This invitation link is not valid: it was used, revoked or mistyped.")).toBeVisible();
    await expect(again.getByRole("button", { name: "Create my account" })).toHaveCount(0);
  });

  test("an expired invitation says it expired, and a revoked one no longer works", async ({ page, pageAs }) => {
    const expiredToken = await createInvitation({ email: "late@example.com", role: "author" });
    expireInvitation("late@example.com");
    const visitor = await pageAs(null);
    await visitor.goto(`/invite/${expiredToken}`);
    await expect(visitor.getByRole("heading", { level: 1, name: "This invitation cannot be used" })).toBeVisible();
    await expect(
      visitor.getByText("This invitation has expired. Ask the admin who invited you for a new one."),
    ).toBeVisible();
    await expect(visitor.getByLabel("Your name")).toHaveCount(0);

    const revokedToken = await createInvitation({ email: "changed-mind@example.com", role: "reviewer" });
    await page.goto("/people");
    const invitations = page.getByRole("region", { name: /Open invitations/ });
    await expect(invitations).not.toContainText("late@example.com"); // expired: no longer open
    await invitations.getByRole("button", { name: "Revoke the invitation for changed-mind@example.com" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "Invitation for changed-mind@example.com revoked" }),
    ).toBeVisible();
    await visitor.goto(`/invite/${revokedToken}`);
    await expect(
      visitor.getByText("This invitation link is not valid: it was used, revoked or mistyped."),
    ).toBeVisible();
  });
});

test.describe("signing in and out", () => {
  test("signing out ends the session; a dashboard address then asks to sign in and comes back to it afterwards", async ({
    pageAs,
    sessionApiAs,
    playwright,
  }) => {
    const pat = member("Pat");
    const page = await pageAs(null);
    await page.goto("/runs?status=completed");
    await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fruns%3Fstatus%3Dcompleted$/);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expect(page.getByText("No account yet? Ask an admin of your team to invite you.")).toBeVisible();
    await signIn(page, pat);
    await expect(page).toHaveURL(/\/runs\?status=completed$/);
    await expect(page.getByTestId("signed-in-as")).toContainText("Signed in as Pat (author)");
    const sessionCookie = (await page.context().cookies()).find((cookie) => cookie.name === "draftgate.session_token");
    expect(sessionCookie, "a session cookie").toBeDefined();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in\?signedOut=1$/);
    await expect(page.getByRole("status").filter({ hasText: "You are signed out." })).toBeVisible();
    // The session is gone on the server, not only in this browser: its cookie no longer opens anything.
    const oldCookie = await newAppClient(playwright, {
      headers: { Cookie: `${sessionCookie!.name}=${sessionCookie!.value}` },
    });
    expect((await oldCookie.get("/api/reviews/count")).status()).toBe(401);
    await oldCookie.dispose();
    // Pat's other sessions are untouched.
    expect((await (await sessionApiAs("Pat")).get("/api/reviews/count")).status()).toBe(200);

    await page.goto("/runs/new");
    await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fruns%2Fnew$/);
    await signIn(page, pat);
    await expect(page).toHaveURL(/\/runs\/new$/);
    await expect(page.getByRole("heading", { level: 1, name: "New brief" })).toBeVisible();
  });

  test("a wrong password and an unknown email get the same message, which tells neither apart", async ({ pageAs }) => {
    const page = await pageAs(null);
    await page.goto("/sign-in");
    // the form's status line says exactly this in both cases
    const status = page.getByRole("status").filter({ hasText: NO_MATCH });

    await signIn(page, { email: member("Rita").email, password: "Not-Her-Password-123" });
    await expect(status).toHaveText(NO_MATCH);
    await expect(page).toHaveURL(/\/sign-in$/);
    // what was typed stays, so a typo can be fixed
    await expect(page.getByLabel("Email")).toHaveValue(member("Rita").email);
    await saveScreenshot(page, "sign-in");

    await page.reload();
    await expect(status).toHaveCount(0);
    await signIn(page, { email: "nobody@example.com", password: "Not-Her-Password-123" });
    await expect(status).toHaveText(NO_MATCH);
    expect(await page.context().cookies(), "no session").toEqual([]);
  });
});
