import type { Page } from "@playwright/test";
import { expectNoHorizontalScroll, expectNoSeriousViolations } from "./fixtures/axe";
import { answerOverHttp, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { expect, test, type PersonName } from "./fixtures/test";

// Pages as the people who use them: Rita (reviewer) reviews, Pat (author) writes briefs, Avery (admin) manages
// people; the sign-in page is seen signed out. Runs are Pat's, seeded over the API.
test.use({ signedInAs: "Rita" });

test.describe("accessibility", () => {
  let awaitingRunId = "";
  let completedRunId = "";
  let checkpointId = "";

  test.beforeAll(async ({ apiAs }) => {
    const pat = await apiAs("Pat");
    awaitingRunId = await submitBrief(
      pat,
      "Launch the team calendar, mention shared availability, invite admins to turn it on.",
    );
    const awaiting = await waitForRun(pat, awaitingRunId, "awaiting_review", 1);
    checkpointId = awaiting.pendingRequests[0]?.checkpointId as string;
    completedRunId = await submitBrief(
      pat,
      "Launch the recipe library, mention 300 tested recipes, invite members to browse.",
    );
    await answerOverHttp(await apiAs("Rita"), await waitForRun(pat, completedRunId, "awaiting_review", 1), "approve");
    await waitForRun(pat, completedRunId, "completed");
  });

  const pages: Array<{
    name: string;
    as?: PersonName | null;
    path: () => string;
    ready: (page: Page) => Promise<void>;
  }> = [
    {
      name: "inbox",
      path: () => "/reviews",
      ready: (page) => expect(page.getByRole("heading", { level: 1, name: "Review inbox" })).toBeVisible(),
    },
    {
      name: "new brief",
      path: () => "/runs/new",
      ready: (page) => expect(page.getByRole("button", { name: "Submit brief" })).toBeVisible(),
    },
    {
      name: "runs",
      path: () => "/runs",
      ready: (page) => expect(page.getByRole("navigation", { name: "Filter runs by status" })).toBeVisible(),
    },
    {
      name: "run awaiting review",
      path: () => `/runs/${awaitingRunId}`,
      ready: (page) => expect(page.getByRole("button", { name: "Approve", exact: true })).toBeVisible(),
    },
    {
      name: "run completed",
      path: () => `/runs/${completedRunId}`,
      ready: (page) => expect(page.getByRole("region", { name: "Published release notes" })).toBeVisible(),
    },
    {
      name: "checkpoint detail",
      path: () => `/runs/${awaitingRunId}/checkpoints/${checkpointId}`,
      ready: (page) => expect(page.getByRole("button", { name: "Resume from here" })).toBeVisible(),
    },
    {
      name: "run awaiting review, seen by its author",
      as: "Pat",
      path: () => `/runs/${awaitingRunId}`,
      ready: (page) => expect(page.getByText("Reviewers decide on drafts.")).toBeVisible(),
    },
    {
      name: "sign-in",
      as: null,
      path: () => "/sign-in",
      ready: (page) => expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible(),
    },
    {
      name: "people",
      as: "Avery",
      path: () => "/people",
      ready: (page) => expect(page.getByRole("button", { name: "Create invitation link" })).toBeVisible(),
    },
    {
      name: "settings",
      as: "Avery",
      path: () => "/settings",
      ready: (page) => expect(page.getByRole("button", { name: "Save policy" })).toBeVisible(),
    },
    {
      name: "settings, seen by a reviewer",
      path: () => "/settings",
      ready: (page) => expect(page.getByRole("region", { name: "Approval policy" })).toBeVisible(),
    },
    {
      name: "notification channels",
      as: "Avery",
      path: () => "/settings/notifications",
      ready: (page) => expect(page.getByRole("button", { name: "Add endpoint" })).toBeVisible(),
    },
    {
      name: "notification deliveries",
      as: "Avery",
      path: () => "/settings/notifications/deliveries",
      ready: (page) => expect(page.getByRole("navigation", { name: "Filter deliveries by status" })).toBeVisible(),
    },
    {
      name: "inbox, assigned to me",
      path: () => "/reviews?assigned=me",
      ready: (page) =>
        expect(page.getByRole("link", { name: "Assigned to me" })).toHaveAttribute("aria-current", "page"),
    },
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
    await expect(page.getByRole("button", { name: "Approve", exact: true })).toBeVisible();
    await expectNoHorizontalScroll(page, "run page at 390 px");
    const controls = [
      page.getByRole("button", { name: "Approve", exact: true }),
      page.getByRole("button", { name: "Edit and approve" }),
      page.getByLabel("Guidance for the writer"),
      page.getByRole("button", { name: "Request revision" }),
      page.getByRole("button", { name: "Reject…" }),
      page.getByLabel("Assign a reviewer"),
    ];
    for (const control of controls) {
      await control.scrollIntoViewIfNeeded();
      const box = await control.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390, `${control} fits the viewport`).toBe(true);
    }
    // the editor, with its preview under it, fits too
    await page.getByRole("button", { name: "Edit and approve" }).click();
    await expect(page.getByLabel("Edited draft (Markdown)")).toBeFocused();
    await expectNoHorizontalScroll(page, "run page at 390 px, editing");
    await expectNoSeriousViolations(page, "run page at 390 px");
    await saveScreenshot(page, "run-390");
  });

  test("the inbox is readable and operable at 390 px wide", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/reviews");
    const list = page.getByRole("list", { name: "Runs awaiting review" });
    await expect(list).toBeVisible();
    await expectNoHorizontalScroll(page, "inbox at 390 px");
    for (const control of [
      page.getByRole("link", { name: "Assigned to me" }),
      page.getByRole("button", { name: "Keyboard shortcuts" }),
      list.getByRole("link").first(),
    ]) {
      const box = await control.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390, `${control} fits the viewport`).toBe(true);
    }
    await expectNoSeriousViolations(page, "inbox at 390 px");
    await saveScreenshot(page, "inbox-390");
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
