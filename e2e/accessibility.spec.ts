import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { answerOverHttp, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { expect, test, type PersonName } from "./fixtures/test";

/** axe on the whole page (WCAG 2.1 A/AA): no serious or critical violations. */
async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(" ")) }));
  expect(serious, `${what}: serious or critical accessibility violations`).toEqual([]);
}

// Pages as the people who use them: Rita (reviewer) reviews, Pat (author) writes briefs, Avery (admin) manages
// people; the sign-in page is seen signed out. Runs are Pat's, seeded over the API.
test.use({ signedInAs: "Rita" });

test.describe("accessibility", () => {
  let awaitingRunId = "";
  let completedRunId = "";
  let checkpointId = "";

  test.beforeAll(async ({ apiAs }) => {
    const pat = await apiAs("Pat");
    awaitingRunId = await submitBrief(pat, "Launch the team calendar, mention shared availability, invite admins to turn it on.");
    const awaiting = await waitForRun(pat, awaitingRunId, "awaiting_review", 1);
    checkpointId = awaiting.pendingRequests[0]?.checkpointId as string;
    completedRunId = await submitBrief(pat, "Launch the recipe library, mention 300 tested recipes, invite members to browse.");
    await answerOverHttp(await apiAs("Rita"), await waitForRun(pat, completedRunId, "awaiting_review", 1), "approve");
    await waitForRun(pat, completedRunId, "completed");
  });

  const pages: Array<{ name: string; as?: PersonName | null; path: () => string; ready: (page: Page) => Promise<void> }> = [
    { name: "inbox", path: () => "/reviews", ready: (page) => expect(page.getByRole("heading", { level: 1, name: "Review inbox" })).toBeVisible() },
    { name: "new brief", path: () => "/runs/new", ready: (page) => expect(page.getByRole("button", { name: "Submit brief" })).toBeVisible() },
    { name: "runs", path: () => "/runs", ready: (page) => expect(page.getByRole("navigation", { name: "Filter runs by status" })).toBeVisible() },
    { name: "run awaiting review", path: () => `/runs/${awaitingRunId}`, ready: (page) => expect(page.getByRole("button", { name: "Approve" })).toBeVisible() },
    { name: "run completed", path: () => `/runs/${completedRunId}`, ready: (page) => expect(page.getByRole("region", { name: "Published release notes" })).toBeVisible() },
    { name: "checkpoint detail", path: () => `/runs/${awaitingRunId}/checkpoints/${checkpointId}`, ready: (page) => expect(page.getByRole("button", { name: "Resume from here" })).toBeVisible() },
    { name: "run awaiting review, seen by its author", as: "Pat", path: () => `/runs/${awaitingRunId}`, ready: (page) => expect(page.getByText("Reviewers decide on drafts.")).toBeVisible() },
    { name: "sign-in", as: null, path: () => "/sign-in", ready: (page) => expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible() },
    { name: "people", as: "Avery", path: () => "/people", ready: (page) => expect(page.getByRole("button", { name: "Create invitation link" })).toBeVisible() },
    { name: "settings", as: "Avery", path: () => "/settings", ready: (page) => expect(page.getByRole("button", { name: "Create key" })).toBeVisible() },
  ];

  for (const { name, as, path, ready } of pages) {
    test.describe(() => {
      if (as !== undefined) test.use({ signedInAs: as });
      test(`the ${name} page has no serious or critical axe violations`, async ({ page }) => {
        await page.goto(path());
        await ready(page);
        await expectNoSeriousViolations(page, name);
      });
    });
  }

  test("the runs page filters by status and its filter links say which one is current", async ({ page }) => {
    await page.goto("/runs");
    const filters = page.getByRole("navigation", { name: "Filter runs by status" });
    await expect(filters.getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "page");
    await filters.getByRole("link", { name: "Completed" }).click();
    await expect(page).toHaveURL(/\/runs\?status=completed$/);
    await expect(filters.getByRole("link", { name: "Completed" })).toHaveAttribute("aria-current", "page");
    const list = page.getByRole("list", { name: "Runs" });
    await expect(list.getByText(/Completed/).first()).toBeVisible();
    await expect(list.getByText(/Awaiting review/)).toHaveCount(0);
    await saveScreenshot(page, "runs-completed-filter");
  });

  test("the run page is readable and operable at 390 px wide", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/runs/${awaitingRunId}`);
    await expect(page.getByRole("button", { name: "Approve" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "no horizontal scrolling at 390 px").toBeLessThanOrEqual(0);
    for (const control of [page.getByRole("button", { name: "Approve" }), page.getByLabel("Guidance for the writer"), page.getByRole("button", { name: "Request revision" })]) {
      const box = await control.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390, "control fits the viewport").toBe(true);
    }
    await expectNoSeriousViolations(page, "run page at 390 px");
    await saveScreenshot(page, "run-390");
  });

  test("the brief form works from the keyboard alone", async ({ pageAs }) => {
    const page = await pageAs("Pat");
    await page.goto("/runs/new");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    await page.getByLabel("Brief", { exact: true }).focus();
    await page.keyboard.type("Introduce keyboard shortcuts, invite power users to try them.");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Submit brief" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name: "Draft 1", exact: true })).toBeVisible();
  });
});
