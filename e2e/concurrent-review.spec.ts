import { expect, test, type Browser, type Page } from "@playwright/test";
import { getRun, rememberReviewerName, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";

async function openAs(browser: Browser, name: string, path: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await rememberReviewerName(page, name);
  await page.goto(path);
  return page;
}

test("two reviewers answer the same request: the first decision wins and the second is told who answered and when", async ({ browser, request }) => {
  const runId = await submitBrief(request, "Announce offline sync for the notes app, mention conflict-free merging, invite users to update.");
  await waitForRun(request, runId, "awaiting_review", 1);

  const alice = await openAs(browser, "Alice", `/runs/${runId}`);
  const bob = await openAs(browser, "Bob", `/runs/${runId}`);
  await expect(alice.getByRole("button", { name: "Approve" })).toBeEnabled();
  await expect(bob.getByRole("button", { name: "Request revision" })).toBeEnabled();
  await expect(bob.getByLabel("Your name")).toHaveValue("Bob");

  await alice.getByRole("button", { name: "Approve" }).click();
  await expect(alice.getByRole("region", { name: "Published release notes" })).toBeVisible();

  // Bob's page still shows the form he loaded; his answer arrives second.
  await bob.getByLabel("Guidance for the writer").fill("Shorter, please");
  await bob.getByRole("button", { name: "Request revision" }).click();
  const notice = bob.getByRole("alert").filter({ hasText: "Already answered by" });
  await expect(notice).toContainText("Already answered by Alice at");
  await expect(notice).toContainText("Your decision was not recorded");
  // The page then catches up with what happened: published, and no form to answer again.
  await expect(bob.getByRole("region", { name: "Published release notes" })).toContainText("by Alice");
  await expect(bob.getByRole("button", { name: "Request revision" })).toHaveCount(0);
  await saveScreenshot(bob, "concurrent-already-answered");

  const run = await getRun(request, runId);
  expect(run.status).toBe("completed");
  expect(run.decisions).toHaveLength(1);
  expect(run.decisions[0]).toMatchObject({ decidedBy: "Alice", isApproval: true });

  await alice.context().close();
  await bob.context().close();
});
