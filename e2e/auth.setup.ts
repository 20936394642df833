import { seedPeople } from "../tests/support/seed-people";
import { signInOverHttp, saveScreenshot } from "./fixtures/draftgate";
import { storageStatePath, TEAM, writeTeam, type PersonName, type TeamMember } from "./fixtures/people";
import { expect, newAppClient, test as setup } from "./fixtures/test";

// Runs before every spec (playwright.config.ts, project "setup"): the first-run setup through the real page,
// which is the e2e test of that journey, then the rest of the team seeded and signed in.

setup.describe.configure({ mode: "serial" });

const ADMIN: PersonName = "Avery";
const ADMIN_PASSWORD = "Quartz-Lantern-Meadow-81";

setup("an empty workspace opens the setup page, which creates the first admin and signs them in", async ({ page }) => {
  await page.goto("/reviews");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { level: 1, name: "Set up Draftgate" })).toBeVisible();

  await page.getByLabel("Your name").fill(ADMIN);
  await page.getByLabel("Email").fill(TEAM[ADMIN].email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  const approvers = page.getByRole("group", { name: "Who approves drafts?" });
  // Separation of duties is the default answer.
  await expect(
    approvers.getByRole("radio", { name: "Someone other than the person who wrote the brief" }),
  ).toBeChecked();
  await expect(approvers.getByRole("radio", { name: /I work alone/ })).not.toBeChecked();
  await saveScreenshot(page, "setup");

  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).toHaveURL(/\/people\?welcome=1$/);
  await expect(page.getByTestId("signed-in-as")).toContainText(`Signed in as ${ADMIN} (admin)`);
  await expect(page.getByRole("status").filter({ hasText: "Draftgate is set up." })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(TEAM[ADMIN].email) })).toBeVisible();
  await page.context().storageState({ path: storageStatePath(ADMIN) });

  // Once done, the setup page is closed for good (it goes to sign-in, which sends a signed-in admin on to the inbox).
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/reviews$/);
});

setup("seeds the rest of the team and signs each of them in", async ({ playwright, baseURL }) => {
  const database = process.env.E2E_DB as string;
  const names = Object.keys(TEAM) as PersonName[];
  // Avery exists already (setup above): seedPeople then only gives them an API key.
  const seeded = await seedPeople(
    database,
    names.map((name) => ({ name, role: TEAM[name].role, email: TEAM[name].email })),
  );
  const team = {} as Record<PersonName, TeamMember>;
  for (const name of names) {
    const person = seeded[name]!;
    const password = name === ADMIN ? ADMIN_PASSWORD : person.password;
    team[name] = { name, email: person.email, role: TEAM[name].role, password, apiKey: person.apiKey };
    if (name !== ADMIN) {
      const client = await newAppClient(playwright);
      await signInOverHttp(client, baseURL!, { email: person.email, password });
      await client.storageState({ path: storageStatePath(name) });
      await client.dispose();
    }
  }
  writeTeam(team);

  // Each key and each saved session acts as its owner.
  for (const name of names) {
    const byKey = await newAppClient(playwright, { apiKey: team[name].apiKey });
    expect((await byKey.get("/api/reviews/count")).status(), `${name}'s API key`).toBe(200);
    await byKey.dispose();
    const bySession = await newAppClient(playwright, { storageState: storageStatePath(name) });
    const session = await bySession.get("/api/auth/get-session");
    expect(session.status()).toBe(200);
    expect(
      ((await session.json()) as { user?: { email?: string } } | null)?.user?.email,
      `${name}'s saved session`,
    ).toBe(team[name].email);
    await bySession.dispose();
  }
});
