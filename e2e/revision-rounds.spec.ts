import { getRun, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";

// Pat (author) submits over the API; Rita (reviewer) sends the drafts back and approves in the browser.
test.use({ signedInAs: "Rita" });

test("sends a draft back twice, with the word diff against the previous draft each time, then approves the third", async ({
  page,
  apiAs,
}) => {
  const request = await apiAs("Pat");
  const runId = await submitBrief(
    request,
    "Introduce the espresso scale, mention the built-in timer, invite baristas to order one.",
  );
  await waitForRun(request, runId, "awaiting_review", 1);
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("heading", { name: "Draft 1", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Changes since/ })).toHaveCount(0);

  // Round 1: explicit guidance.
  await page.getByLabel("Guidance for the writer").fill("Make it shorter and mention the warranty");
  await page.getByRole("button", { name: "Request revision" }).click();
  await expect(page.getByRole("heading", { name: "Draft 2", exact: true })).toBeVisible();
  const diff = page.getByRole("region", { name: "Changes since draft 1" });
  await expect(diff).toBeVisible();
  const marks = diff.getByTestId("draft-diff");
  await expect(marks.locator("ins").first()).toBeVisible();
  await expect(marks.locator("del").first()).toBeVisible();
  // Not by colour alone: underline and strikethrough, and words for screen readers.
  await expect(marks.locator("ins").first()).toHaveCSS("text-decoration-line", "underline");
  await expect(marks.locator("del").first()).toHaveCSS("text-decoration-line", "line-through");
  await expect(marks.locator("ins").first()).toContainText("[added:");
  await expect(marks.locator("del").first()).toContainText("[removed:");
  await expect(marks).toContainText("warranty");
  await saveScreenshot(page, "run-diff");

  const afterFirst = await waitForRun(request, runId, "awaiting_review", 2);
  expect(afterFirst.decisions).toMatchObject([
    { isApproval: false, response: "Make it shorter and mention the warranty", decidedBy: "Rita", iteration: 1 },
  ]);

  // Round 2: empty guidance, so the workflow's default guidance applies (the form says so).
  await expect(page.getByText("Leave empty to use the default guidance")).toBeVisible();
  await page.getByRole("button", { name: "Request revision" }).click();
  await expect(page.getByRole("heading", { name: "Draft 3", exact: true })).toBeVisible();
  const secondDiff = page.getByRole("region", { name: "Changes since draft 2" }).getByTestId("draft-diff");
  await expect(secondDiff.locator("ins, del").first()).toBeVisible();
  const audit = page.getByRole("region", { name: "Audit trail" });
  await expect(audit).toContainText("No guidance given (default guidance used)");
  await expect(audit).toContainText("Rita requested a revision of draft 1");
  await expect(audit).toContainText("Rita requested a revision of draft 2");

  const afterSecond = await waitForRun(request, runId, "awaiting_review", 3);
  expect(afterSecond.drafts.map((draft) => draft.iteration)).toEqual([1, 2, 3]);
  expect(afterSecond.decisions.map((decision) => decision.response)).toEqual([
    "Make it shorter and mention the warranty",
    "",
  ]);

  await page.getByRole("button", { name: "Approve", exact: true }).click();
  const published = page.getByRole("region", { name: "Published release notes" });
  await expect(published).toContainText(afterSecond.pendingRequests[0]?.draft as string);
  await expect(audit).toContainText("Rita approved draft 3");

  const done = await getRun(request, runId);
  expect(done.status).toBe("completed");
  expect(done.publishedText).toBe(afterSecond.pendingRequests[0]?.draft);
  expect(done.decisions.map((decision) => [decision.isApproval, decision.iteration, decision.decidedBy])).toEqual([
    [false, 1, "Rita"],
    [false, 2, "Rita"],
    [true, 3, "Rita"],
  ]);
});
