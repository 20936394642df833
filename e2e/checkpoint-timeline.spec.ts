import { answerOverHttp, getCheckpoints, getRun, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";

// Resuming from an older checkpoint starts a branch: admins only. Pat submits, Rita sends draft 1 back, Avery
// (admin) branches from draft 1's checkpoint with an approval.
test.use({ signedInAs: "Avery" });

test("resumes from an older checkpoint with a pre-supplied approval and shows the new branch in the timeline", async ({
  page,
  apiAs,
}) => {
  const request = await apiAs("Pat");
  // Seed: draft 1 sent back, so draft 1's review checkpoint is now an older one.
  const runId = await submitBrief(
    request,
    "Unveil the travel mug, mention the leak-proof lid, invite customers to pre-order.",
  );
  const first = await waitForRun(request, runId, "awaiting_review", 1);
  const draftOne = first.pendingRequests[0]?.draft as string;
  const olderCheckpointId = first.pendingRequests[0]?.checkpointId as string;
  await answerOverHttp(await apiAs("Rita"), first, "Mention the warranty");
  const second = await waitForRun(request, runId, "awaiting_review", 2);
  const older = (await getCheckpoints(request, runId)).find(
    (checkpoint) => checkpoint.checkpointId === olderCheckpointId,
  );
  expect(older).toMatchObject({ status: "awaiting human response", isHead: false, isOnHeadLineage: true });

  await page.goto(`/runs/${runId}`);
  // The timeline is folded by round: one line per draft, opened to its supersteps.
  const timeline = page.getByRole("region", { name: "Checkpoint timeline" });
  await expect(timeline.getByRole("button", { name: "Older branches" })).toHaveCount(0);
  const draftOneLine = timeline.getByRole("button", { name: "Draft 1", exact: true });
  await expect(draftOneLine).toHaveAttribute("aria-expanded", "false");
  await expect(timeline.getByRole("link", { name: new RegExp(`^Superstep ${older?.superstep} \\(`) })).toHaveCount(0);
  await draftOneLine.click();
  await expect(draftOneLine).toHaveAttribute("aria-expanded", "true");
  await timeline.getByRole("link", { name: new RegExp(`^Superstep ${older?.superstep} \\(`) }).click();

  await expect(page).toHaveURL(new RegExp(`/runs/${runId}/checkpoints/${olderCheckpointId}$`));
  await expect(
    page.getByRole("heading", { level: 1, name: new RegExp(`^Checkpoint: Superstep ${older?.superstep}`) }),
  ).toBeVisible();
  const contents = page.getByRole("region", { name: "What this checkpoint holds" });
  await expect(contents.getByRole("heading", { name: "Pending requests (1)" })).toBeVisible();
  await expect(contents.getByRole("heading", { name: /Shared state/ })).toBeVisible();
  await expect(contents.getByRole("heading", { name: /Executor states/ })).toBeVisible();
  await expect(contents.getByRole("heading", { name: /Queued messages/ })).toBeVisible();
  await expect(page.getByText("resuming starts a new branch")).toBeVisible();
  const answer = page.getByLabel(/Answer for the pending review of draft 1/);
  await expect(answer).toHaveValue("");
  await page.getByRole("button", { name: "Fill in “approve”" }).click();
  await expect(answer).toHaveValue("approve");
  await saveScreenshot(page, "checkpoint-detail");
  await page.getByRole("button", { name: "Resume from here" }).click();

  // Back on the run: the pre-supplied approval published draft 1 on a new branch; draft 2's request is superseded.
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByRole("region", { name: "Published release notes" })).toContainText(draftOne);
  // The newest lineage now runs from draft 1's review to the publication (the head); draft 2's line is an older branch.
  const afterDraftOne = timeline
    .getByRole("listitem")
    .filter({ has: page.getByRole("button", { name: "After draft 1" }) });
  await expect(afterDraftOne.getByText("Head", { exact: true })).toBeVisible();
  await timeline.getByRole("button", { name: "Older branches" }).click();
  const branch = timeline.getByRole("list", { name: `Older branch from superstep ${older?.superstep}` });
  await expect(branch).toBeVisible();
  await expect(branch.getByText("Head", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Superseded requests" })).toContainText("Draft 2");
  const audit = page.getByRole("region", { name: "Audit trail" });
  await expect(audit).toContainText("Rita requested a revision of draft 1");
  await expect(audit).toContainText("Avery approved draft 1");
  await saveScreenshot(page, "run-branch-timeline");

  const done = await getRun(request, runId);
  expect(done.status).toBe("completed");
  expect(done.publishedText).toBe(draftOne);
  expect(done.supersededRequests.map((request) => request.requestId)).toEqual([second.pendingRequests[0]?.requestId]);
  expect(done.decisions.at(-1)).toMatchObject({
    isApproval: true,
    decidedBy: "Avery",
    baseCheckpointId: olderCheckpointId,
  });
  const checkpoints = await getCheckpoints(request, runId);
  const children = checkpoints.filter((checkpoint) => checkpoint.parentId === olderCheckpointId);
  expect(children, "the older checkpoint now has two children: the original line and the branch").toHaveLength(2);
  const head = checkpoints.find((checkpoint) => checkpoint.isHead);
  expect(head?.status).toBe("completed");
});
