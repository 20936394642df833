import { expect, test } from "./fixtures/test";

test.use({ signedInAs: "Rita" });

test("opens the review inbox with the main navigation and says who is signed in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/reviews$/);

  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Draftgate" })).toBeVisible();
  await expect(nav.getByRole("link", { name: /^Inbox/ })).toHaveAttribute("href", "/reviews");
  await expect(nav.getByRole("link", { name: "Runs" })).toHaveAttribute("href", "/runs");
  await expect(nav.getByRole("link", { name: "New brief" })).toHaveAttribute("href", "/runs/new");
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveAttribute("href", "/settings");
  // People is for admins only.
  await expect(nav.getByRole("link", { name: "People" })).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1, name: "Review inbox" })).toBeVisible();
  await expect(page).toHaveTitle(/Inbox · Draftgate/);
  await expect(page.getByTestId("signed-in-as")).toContainText("Signed in as Rita (reviewer)");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("navigates between the dashboard sections", async ({ page }) => {
  await page.goto("/reviews");
  const nav = page.getByRole("navigation", { name: "Main" });

  await nav.getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Runs" })).toHaveAttribute("aria-current", "page");

  await nav.getByRole("link", { name: "New brief" }).click();
  await expect(page).toHaveURL(/\/runs\/new$/);
  await expect(page.getByRole("heading", { level: 1, name: "New brief" })).toBeVisible();
});

test("answers an unknown run with a 404 and a not-found page", async ({ page }) => {
  const response = await page.goto("/runs/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Run not found" })).toBeVisible();
});

test("reports health as JSON and names the writer, without credentials", async ({ anonymousApi }) => {
  const response = await anonymousApi.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true, writer: { isModel: false } });
});
