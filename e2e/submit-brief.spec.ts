import { getRun, GRINDER_BRIEF, saveScreenshot, waitForRun } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";

// Pat (author) submits; Rita (reviewer) reviews. Who did what comes from their sign-ins, never from a form field.
test.use({ signedInAs: "Pat" });

test("submits a brief from the form, reviews it from the inbox and approves it, which publishes the draft", async ({
  page,
  pageAs,
  apiAs,
}) => {
  const api = await apiAs("Pat");
  await page.goto("/runs/new");
  await expect(page.getByRole("heading", { level: 1, name: "New brief" })).toBeVisible();
  await expect(page.getByLabel("Submitted by")).toHaveCount(0);
  await saveScreenshot(page, "new-brief");

  const brief = page.getByLabel("Brief", { exact: true });
  await brief.fill(GRINDER_BRIEF);
  await expect(page.getByText(`${GRINDER_BRIEF.length} / 20,000 characters`)).toBeVisible();
  await page.getByRole("button", { name: "Submit brief" }).click();

  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split("/").at(-1) as string;
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Introduce the new grinder");
  await expect(page.getByText("Offline writer — deterministic, no model")).toBeVisible();
  await expect(page.getByText("Offline", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Draft 1", exact: true })).toBeVisible();
  // An author follows the run; reviewers decide.
  await expect(page.getByText("Reviewers decide on drafts. You will see the result here.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
  const stored = await waitForRun(api, runId, "awaiting_review", 1);
  expect(stored.submittedBy).toBe("Pat");
  expect(stored.brief).toBe(GRINDER_BRIEF);

  // The reviewer finds it in the inbox (oldest first, with its age) and the navigation counts it.
  const rita = await pageAs("Rita");
  await rita.goto("/reviews");
  await expect(rita.getByRole("heading", { level: 1, name: "Review inbox" })).toBeVisible();
  await expect(rita.getByTestId("review-count")).toBeVisible();
  const item = rita
    .getByRole("list", { name: "Runs awaiting review" })
    .getByRole("listitem")
    .filter({ has: rita.locator(`a[href="/runs/${runId}"]`) });
  await expect(item).toContainText(GRINDER_BRIEF);
  await expect(item).toContainText("Draft 1");
  await expect(item).toContainText(/waiting/);
  await saveScreenshot(rita, "inbox");
  await item.getByRole("link").click();
  await expect(rita).toHaveURL(new RegExp(`/runs/${runId}$`));

  const draft = stored.pendingRequests[0]?.draft as string;
  await expect(rita.getByRole("region", { name: "Draft 1", exact: true })).toContainText(draft);
  await expect(rita.getByLabel("Your name")).toHaveCount(0);
  await saveScreenshot(rita, "run-awaiting-review");
  await rita.getByRole("button", { name: "Approve", exact: true }).click();

  const published = rita.getByRole("region", { name: "Published release notes" });
  await expect(published).toContainText(draft);
  await expect(published).toContainText("by Rita");
  const audit = rita.getByRole("region", { name: "Audit trail" });
  await expect(audit).toContainText("Pat submitted the brief");
  await expect(audit).toContainText("Rita approved draft 1");
  await expect(audit).toContainText("as reviewer, with a password");
  await saveScreenshot(rita, "run-completed");

  const done = await getRun(api, runId);
  expect(done.status).toBe("completed");
  expect(done.publishedText).toBe(draft);
  expect(done.decisions).toMatchObject([{ isApproval: true, decidedBy: "Rita", iteration: 1 }]);

  // Pat sees the published text on his next visit to the run.
  await page.reload();
  await expect(page.getByRole("region", { name: "Published release notes" })).toContainText("by Rita");
});

test("shows the validation message beside the brief and keeps the text when the brief is refused", async ({
  page,
  apiAs,
}) => {
  const api = await apiAs("Pat");
  const countRuns = async () =>
    ((await (await api.get("/api/runs?limit=200")).json()) as { runs: unknown[] }).runs.length;
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
