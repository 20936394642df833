import { expect, test } from "@playwright/test";
import { getRun, GRINDER_BRIEF, saveScreenshot, waitForRun } from "./fixtures/draftgate";

test("submits a brief from the form, reviews it from the inbox and approves it, which publishes the draft", async ({ page, request }) => {
  await page.goto("/runs/new");
  await expect(page.getByRole("heading", { level: 1, name: "New brief" })).toBeVisible();
  await saveScreenshot(page, "new-brief");

  const brief = page.getByLabel("Brief", { exact: true });
  await brief.fill(GRINDER_BRIEF);
  await expect(page.getByText(`${GRINDER_BRIEF.length} / 20,000 characters`)).toBeVisible();
  await page.getByLabel("Submitted by").fill("Pat PM");
  await page.getByRole("button", { name: "Submit brief" }).click();

  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split("/").at(-1) as string;
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Introduce the new grinder");
  await expect(page.getByText("Offline writer — deterministic, no model")).toBeVisible();
  await expect(page.getByText("Offline", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Draft 1", exact: true })).toBeVisible();
  const stored = await waitForRun(request, runId, "awaiting_review", 1);
  expect(stored.submittedBy).toBe("Pat PM");
  expect(stored.brief).toBe(GRINDER_BRIEF);

  // The reviewer finds it in the inbox (oldest first, with its age) and the navigation counts it.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Inbox/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Review inbox" })).toBeVisible();
  await expect(page.getByTestId("review-count")).toBeVisible();
  const item = page.getByRole("list", { name: "Runs awaiting review" }).getByRole("listitem").filter({ has: page.locator(`a[href="/runs/${runId}"]`) });
  await expect(item).toContainText(GRINDER_BRIEF);
  await expect(item).toContainText("Draft 1");
  await expect(item).toContainText(/waiting/);
  await saveScreenshot(page, "inbox");
  await item.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));

  const draft = stored.pendingRequests[0]?.draft as string;
  await expect(page.getByRole("region", { name: "Draft 1", exact: true })).toContainText(draft);
  await saveScreenshot(page, "run-awaiting-review");
  await page.getByLabel("Your name").fill("Rita Reviewer");
  await page.getByRole("button", { name: "Approve" }).click();

  const published = page.getByRole("region", { name: "Published release notes" });
  await expect(published).toContainText(draft);
  await expect(published).toContainText("by Rita Reviewer");
  await expect(page.getByRole("region", { name: "Audit trail" })).toContainText("Rita Reviewer approved draft 1");
  await saveScreenshot(page, "run-completed");

  const done = await getRun(request, runId);
  expect(done.status).toBe("completed");
  expect(done.publishedText).toBe(draft);
  expect(done.decisions).toMatchObject([{ isApproval: true, decidedBy: "Rita Reviewer", iteration: 1 }]);

  // The name is remembered in this browser for the next review.
  await page.goto("/runs/new");
  await expect(page.getByLabel("Submitted by")).toHaveValue("Rita Reviewer");
});

test("shows the validation message beside the brief and keeps the text when the brief is refused", async ({ page, request }) => {
  const countRuns = async () => ((await (await request.get("/api/runs?limit=200")).json()) as { runs: unknown[] }).runs.length;
  const runsBefore = await countRuns();
  await page.goto("/runs/new");
  const brief = page.getByLabel("Brief", { exact: true });
  await brief.fill("   \n  ");
  await page.getByRole("button", { name: "Submit brief" }).click();
  await expect(page.getByText("The brief is empty. Describe what is being released.").first()).toBeVisible();
  await expect(brief).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("status").filter({ hasText: "Not submitted" })).toBeVisible();
  await expect(page).toHaveURL(/\/runs\/new$/);
  await expect(brief).toHaveValue("   \n  ");

  // Over the limit: the counter says by how much and the button waits for a shorter brief.
  await brief.fill("x".repeat(20_001));
  await expect(page.getByText("1 over the limit")).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit brief" })).toBeDisabled();
  expect(await countRuns(), "a refused brief starts no run").toBe(runsBefore);
});
