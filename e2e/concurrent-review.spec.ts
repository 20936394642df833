import { getRun, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";

test("two reviewers answer the same request: the first decision wins and the second is told who answered and when", async ({
  pageAs,
  apiAs,
}) => {
  const request = await apiAs("Pat");
  const runId = await submitBrief(
    request,
    "Announce offline sync for the notes app, mention conflict-free merging, invite users to update.",
  );
  await waitForRun(request, runId, "awaiting_review", 1);

  // Two reviewers, each signed in in their own browser.
  const rita = await pageAs("Rita");
  const ana = await pageAs("Ana");
  await rita.goto(`/runs/${runId}`);
  await ana.goto(`/runs/${runId}`);
  await expect(rita.getByTestId("signed-in-as")).toContainText("Rita (reviewer)");
  await expect(ana.getByTestId("signed-in-as")).toContainText("Ana (reviewer)");
  await expect(rita.getByRole("button", { name: "Approve", exact: true })).toBeEnabled();
  await expect(ana.getByRole("button", { name: "Request revision" })).toBeEnabled();

  await rita.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(rita.getByRole("region", { name: "Published release notes" })).toBeVisible();

  // Ana's page still shows the form she loaded; her answer arrives second.
  await ana.getByLabel("Guidance for the writer").fill("Shorter, please");
  await ana.getByRole("button", { name: "Request revision" }).click();
  const notice = ana.getByRole("alert").filter({ hasText: "Already answered by" });
  await expect(notice).toContainText("Already answered by Rita at");
  await expect(notice).toContainText("Your decision was not recorded");
  // The page then catches up with what happened: published, and no form to answer again.
  await expect(ana.getByRole("region", { name: "Published release notes" })).toContainText("by Rita");
  await expect(ana.getByRole("button", { name: "Request revision" })).toHaveCount(0);
  await saveScreenshot(ana, "concurrent-already-answered");

  const run = await getRun(request, runId);
  expect(run.status).toBe("completed");
  expect(run.decisions).toHaveLength(1);
  expect(run.decisions[0]).toMatchObject({ decidedBy: "Rita", isApproval: true });
  expect(run.audit.map((entry) => [entry.action, entry.actorName])).toEqual([
    ["submitted", "Pat"],
    ["answered", "Rita"],
  ]);
});
