import { expectNoHorizontalScroll, expectNoSeriousViolations } from "./fixtures/axe";
import { getRun, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { readReviewPolicy, writeReviewPolicy } from "./fixtures/review-policy";
import { expect, test } from "./fixtures/test";

// Review decisions (issue #11): a quorum of approvals set on Settings, edit and approve, reject with a reason, and
// assigning reviewers. Avery (admin) sets the policy; Pat (author) submits over the API; Rita and Ana (reviewers)
// decide in their own browsers. Every test leaves the policy at one approval, the suite's default.

test.use({ signedInAs: "Avery" });

test.afterEach(async ({ apiAs }) => {
  const admin = await apiAs("Avery");
  if ((await readReviewPolicy(admin)).requiredApprovals !== 1) await writeReviewPolicy(admin, 1);
});

test("with two approvals required, Rita's approval counts as 1 of 2, Ana's edit dismisses it and counts as hers, and Rita's approval of the edit publishes the edited text", async ({
  page,
  pageAs,
  apiAs,
}) => {
  const pat = await apiAs("Pat");

  // Avery sets the policy on the Settings page.
  await page.goto("/settings");
  const policy = page.getByRole("region", { name: "Approval policy" });
  await policy.getByLabel("Required approvals").fill("2");
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect.poll(async () => (await readReviewPolicy(pat)).requiredApprovals).toBe(2);
  const saved = await readReviewPolicy(pat);
  await expect(policy.getByRole("status")).toHaveText(`Saved as version ${saved.version}: new runs need 2 approvals.`);
  await expect(policy.getByTestId("policy-version")).toContainText(`v${saved.version}, changed by Avery`);
  await expect(policy.getByTestId("policy-required")).toHaveText(
    "2 approvals from different reviewers before it is published",
  );
  await saveScreenshot(page, "settings-approval-policy");

  const runId = await submitBrief(
    pat,
    "Introduce the pour-over kettle, mention the gooseneck spout and the built-in thermometer, invite baristas to pre-order.",
  );
  const first = await waitForRun(pat, runId, "awaiting_review", 1);
  expect(first.policy).toEqual({
    version: saved.version,
    requiredApprovals: 2,
    deadlineMinutes: 1440,
    reminderMinutesBefore: 120,
    expireAfterMinutes: null,
  });
  const writerDraft = first.pendingRequests[0]!.draft;

  // Rita approves: the page says beforehand that hers will be 1 of 2, and afterwards that it was.
  const rita = await pageAs("Rita");
  const ritaLate = await pageAs("Rita"); // a second tab of Rita's, opened before she approves
  await rita.goto(`/runs/${runId}`);
  await ritaLate.goto(`/runs/${runId}`);
  await expect(rita.getByTestId("run-policy")).toHaveText(`Needs 2 approvals (policy v${saved.version})`);
  const ritaApprove = rita.getByRole("button", { name: "Approve", exact: true });
  await expect(ritaApprove).toHaveAccessibleDescription(
    "Your approval will be 1 of 2: draft 1 then needs 1 more approval from other reviewers.",
  );

  // A decision on a draft other than the one shown is refused and the page says the draft changed (the hash is
  // what the page sends; here it is made stale on purpose).
  await rita.locator('input[name="draftSha256"]').evaluate((input: HTMLInputElement) => {
    input.value = "0".repeat(64);
  });
  await ritaApprove.click();
  await expect(rita.getByRole("alert").filter({ hasText: "The draft changed since you opened it" })).toContainText(
    "Your decision was not recorded",
  );
  expect((await getRun(pat, runId)).pendingRequests[0]!.approvals).toEqual([]);
  await rita.reload();

  await ritaApprove.click();
  const ritaReview = rita.getByRole("region", { name: "Your review" });
  await expect(ritaReview.getByRole("status")).toHaveText(
    "Approval recorded: 1 of 2 approvals. Draft 1 waits for another reviewer.",
  );
  await expect(rita.getByRole("region", { name: "Draft 1", exact: true })).toContainText("1 of 2 approvals: Rita");
  await expect(ritaApprove).toBeDisabled();
  await expect(ritaApprove).toHaveAccessibleDescription(
    "You approved this draft: 1 of 2 approvals. Another reviewer’s approval is needed.",
  );
  const afterRita = await getRun(pat, runId);
  expect({ status: afterRita.status, approvals: afterRita.approvals }).toEqual({
    status: "awaiting_review",
    approvals: { count: 1, required: 2 },
  });
  expect(afterRita.pendingRequests[0]!.approvals).toMatchObject([{ by: "Rita", kind: "approve" }]);

  // Her other tab still offers Approve: the server says she already approved, and nothing changes.
  await ritaLate.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(ritaLate.getByRole("region", { name: "Your review" }).getByRole("status")).toContainText(
    "You already approved this draft; it has 1 of 2 approvals",
  );
  expect((await getRun(pat, runId)).pendingRequests[0]!.approvals).toHaveLength(1);

  // Ana finds it in her inbox with the count, edits the draft and approves her edit.
  const ana = await pageAs("Ana");
  await ana.goto("/reviews");
  const item = ana
    .getByRole("list", { name: "Runs awaiting review" })
    .getByRole("listitem")
    .filter({ has: ana.locator(`a[href="/runs/${runId}"]`) });
  await expect(item).toContainText("1 of 2 approvals");
  await item.getByRole("link").click();
  await expect(ana).toHaveURL(new RegExp(`/runs/${runId}$`));
  await ana.getByRole("button", { name: "Edit and approve" }).click();
  const editor = ana.getByLabel("Edited draft (Markdown)");
  await expect(editor).toBeFocused();
  await expect(editor).toHaveValue(writerDraft);
  await expect(editor).toHaveAccessibleDescription(
    /^Your edit counts as your approval: 1 of 2\. The edited draft then needs 1 more approval/,
  );
  const edited = `${writerDraft.trim()}\n\nEvery kettle ships with a **two-year warranty**.`;
  await editor.fill(edited);
  const preview = ana.getByRole("region", { name: "Preview" });
  await expect(preview.locator("strong")).toHaveText("two-year warranty");
  await expectNoSeriousViolations(ana, "run page, editing a draft");
  await ana.getByRole("button", { name: "Approve edited draft" }).click();

  // The edited draft is asked about again: Ana's edit is her approval, Rita's approval of the old text is dismissed.
  const editedRound = ana.getByRole("region", { name: "Draft 1 · edited by Ana" });
  await expect(editedRound).toContainText("1 of 2 approvals: Ana");
  await expect(editedRound).toContainText("(with their edit)");
  const earlier = ana.getByRole("region", { name: /^Earlier rounds/ });
  await earlier.getByRole("button", { name: "Draft 1", exact: true }).click();
  const dismissed = earlier.getByRole("list", { name: "Dismissed approvals" });
  await expect(dismissed).toContainText("Rita");
  await expect(dismissed).toContainText("dismissed: draft changed");
  await expect(earlier).toContainText("Edited by Ana");
  const afterAna = await waitForRun(pat, runId, "awaiting_review", 1);
  expect(afterAna.pendingRequests[0]).toMatchObject({ draft: edited, editedBy: "Ana" });
  expect(
    afterAna.rounds.map((round) => [
      round.state,
      round.editedBy,
      round.approvals.map((approval) => [approval.by, approval.kind, approval.dismissed]),
    ]),
  ).toEqual([
    ["edited", null, [["Rita", "approve", "draft changed"]]],
    ["pending", "Ana", [["Ana", "edit", null]]],
  ]);

  // Rita comes back: the edited draft with its diff, one approval to go, and hers completes it.
  await rita.reload();
  await expect(rita.getByRole("heading", { name: "Draft 1 · edited by Ana" })).toBeVisible();
  await expect(
    rita.getByRole("region", { name: "Changes by Ana to draft 1" }).getByTestId("draft-diff").locator("ins"),
  ).toContainText(["two-year warranty"]);
  await expect(ritaApprove).toHaveAccessibleDescription("Your approval completes the review and publishes draft 1.");
  await rita
    .getByRole("region", { name: /^Earlier rounds/ })
    .getByRole("button", { name: "Draft 1", exact: true })
    .click();
  await expectNoSeriousViolations(rita, "run page, an edited draft awaiting review");
  await expectNoHorizontalScroll(rita, "run page, an edited draft awaiting review");
  await saveScreenshot(rita, "run-rounds-awaiting-edit");
  await ritaApprove.click();

  const published = rita.getByRole("region", { name: "Published release notes" });
  await expect(published).toContainText("Every kettle ships with a two-year warranty.");
  const done = await waitForRun(pat, runId, "completed");
  expect(done.publishedText).toBe(edited);
  expect(
    done.rounds.map((round) => [
      round.state,
      round.approvals.filter((approval) => approval.dismissed === null).map((approval) => approval.by),
    ]),
  ).toEqual([
    ["edited", []],
    ["approved", ["Ana", "Rita"]],
  ]);

  // The run page, grouped by round (as a fresh visit shows it): the last round open with both approvals, the first one folded.
  await rita.reload();
  const rounds = rita.getByRole("region", { name: /^Review rounds/ });
  await expect(rounds.getByRole("button", { name: "Draft 1 · edited by Ana" })).toHaveAttribute(
    "aria-expanded",
    "true",
  );
  await expect(rounds).toContainText("2 of 2 approvals: Ana");
  await expect(rounds).toContainText("Approved by Rita");
  await expect(rounds.getByRole("button", { name: "Draft 1", exact: true })).toHaveAttribute("aria-expanded", "false");
  const timeline = rita.getByRole("region", { name: "Checkpoint timeline" });
  await expect(timeline.getByRole("button", { name: "Draft 1", exact: true })).toBeVisible();
  await expect(timeline.getByRole("button", { name: "Draft 1 · edited by Ana" })).toBeVisible();
  await timeline.getByRole("button", { name: "After draft 1" }).click();
  await expect(
    timeline.getByRole("list", { name: "After draft 1: checkpoints" }).getByRole("link").first(),
  ).toBeVisible();
  await expect(rita.getByRole("region", { name: "Audit trail" })).toContainText(
    "Rita approved the draft (more approvals needed)",
  );
  await saveScreenshot(rita, "run-rounds-completed");
});

test("a reviewer rejects a draft with a reason: the run ends, says why, leaves the inbox, and an admin can re-open it", async ({
  page,
  pageAs,
  apiAs,
}) => {
  const pat = await apiAs("Pat");
  const runId = await submitBrief(
    pat,
    "Announce the espresso tamper, mention the calibrated spring, invite baristas to order one.",
  );
  await waitForRun(pat, runId, "awaiting_review", 1);

  const rita = await pageAs("Rita");
  await rita.goto(`/runs/${runId}`);
  await rita.getByRole("button", { name: "Reject…" }).click();
  const reason = rita.getByLabel("Reason for rejecting");
  await expect(reason).toBeFocused();
  await expectNoSeriousViolations(rita, "run page, rejecting");
  // The reason is required: the server says so beside the field, and nothing changes.
  await rita.getByRole("button", { name: "Reject the run" }).click();
  await expect(reason).toHaveAttribute("aria-invalid", "true");
  await expect(reason).toHaveAccessibleDescription(/A reason is required to reject a draft\./);
  expect((await getRun(pat, runId)).status).toBe("awaiting_review");

  const why = "We are not launching the tamper this quarter.";
  await reason.fill(why);
  await rita.getByRole("button", { name: "Reject the run" }).click();
  const rejection = rita.getByRole("region", { name: /^Rejected/ });
  await expect(rejection).toContainText(why);
  await expect(rejection).toContainText("by Rita");
  await expect(rita.getByRole("region", { name: "Your review" })).toHaveCount(0);
  await expect(rita.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
  await expect(rita.getByRole("region", { name: "Audit trail" })).toContainText("Rita rejected draft 1");
  await expect(rita.getByRole("region", { name: /^Review rounds/ })).toContainText("Rejected by Rita");
  await expectNoSeriousViolations(rita, "rejected run");
  await saveScreenshot(rita, "run-rejected");

  const stored = await waitForRun(pat, runId, "rejected");
  expect(stored.rejection).toMatchObject({ reason: why, by: "Rita" });
  expect(stored.pendingRequests).toEqual([]);
  const inbox = (await (await pat.get("/api/reviews")).json()) as { reviews: Array<{ runId: string }> };
  expect(inbox.reviews.map((review) => review.runId)).not.toContain(runId);

  // The runs list has a Rejected filter.
  await rita.goto("/runs?status=rejected");
  await expect(
    rita.getByRole("navigation", { name: "Filter runs by status" }).getByRole("link", { name: "Rejected" }),
  ).toHaveAttribute("aria-current", "page");
  await expect(rita.getByRole("list", { name: "Runs" }).locator(`a[href="/runs/${runId}"]`)).toBeVisible();

  // Only an admin may re-open it, with a reason, from the rejected draft's review.
  await page.goto(`/runs/${runId}`);
  await page.getByRole("link", { name: "re-open it from draft 1’s review" }).click();
  await expect(page.getByRole("heading", { name: "Re-open from here" })).toBeVisible();
  await page.getByLabel("Why re-open this rejected run?").fill("The launch is back on.");
  await page.getByLabel(/Answer for the pending review of draft 1/).fill("Say it launches next month.");
  await page.getByRole("button", { name: "Re-open from here" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await waitForRun(pat, runId, "awaiting_review", 2);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Draft 2", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Audit trail" })).toContainText("Avery re-opened the rejected run");
});

test("Rita assigns Ana on the run page; Ana's Assigned to me tab lists the run with the marker, until Rita takes her off", async ({
  pageAs,
  apiAs,
}) => {
  const pat = await apiAs("Pat");
  const assigned = await submitBrief(
    pat,
    "Announce the milk pitcher, mention the etched measurements, invite baristas to try it.",
  );
  const other = await submitBrief(pat, "Announce the cupping spoon, mention the deep bowl, invite roasters to try it.");
  await waitForRun(pat, assigned, "awaiting_review", 1);
  await waitForRun(pat, other, "awaiting_review", 1);

  const rita = await pageAs("Rita");
  await rita.goto(`/runs/${assigned}`);
  const reviewers = rita.getByRole("region", { name: "Reviewers" });
  await expect(reviewers).toContainText("Nobody is assigned");
  await reviewers.getByLabel("Assign a reviewer").selectOption({ label: "Ana" });
  await reviewers.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(reviewers.getByRole("list", { name: "Assigned reviewers" })).toContainText("Ana");
  await expect(reviewers.getByRole("status")).toHaveText("Saved. Assigned: Ana.");
  const stored = await getRun(pat, assigned);
  expect(stored.assignees.map((assignee) => assignee.name)).toEqual(["Ana"]);
  expect(
    stored.audit.filter((entry) => entry.action === "assigned").map((entry) => [entry.actorName, entry.subjectName]),
  ).toEqual([["Rita", "Ana"]]);
  await expect(rita.getByRole("region", { name: "Audit trail" })).toContainText("Rita asked Ana to review");

  const ana = await pageAs("Ana");
  await ana.goto("/reviews?assigned=me");
  const tabs = ana.getByRole("navigation", { name: "Filter the inbox" });
  await expect(tabs.getByRole("link", { name: "Assigned to me" })).toHaveAttribute("aria-current", "page");
  const mine = ana.getByRole("list", { name: "Runs awaiting review" });
  const item = mine.getByRole("listitem").filter({ has: ana.locator(`a[href="/runs/${assigned}"]`) });
  await expect(item).toContainText("Assigned to you");
  await expect(mine.locator(`a[href="/runs/${other}"]`)).toHaveCount(0);
  await expectNoSeriousViolations(ana, "inbox, assigned to me");
  await saveScreenshot(ana, "inbox-assigned");

  await tabs.getByRole("link", { name: "All" }).click();
  await expect(ana).toHaveURL(/\/reviews$/);
  const all = ana.getByRole("list", { name: "Runs awaiting review" });
  await expect(all.getByRole("listitem").filter({ has: ana.locator(`a[href="/runs/${assigned}"]`) })).toContainText(
    "Assigned to you",
  );
  await expect(all.locator(`a[href="/runs/${other}"]`)).toBeVisible();
  await saveScreenshot(ana, "inbox-all");

  // Others see whom it is assigned to.
  await rita.goto("/reviews");
  await expect(rita.getByRole("listitem").filter({ has: rita.locator(`a[href="/runs/${assigned}"]`) })).toContainText(
    "assigned to Ana",
  );

  await rita.goto(`/runs/${assigned}`);
  await reviewers.getByRole("button", { name: "Remove Ana from this run’s reviewers" }).click();
  await expect(reviewers).toContainText("Nobody is assigned");
  await expect(reviewers.getByLabel("Assign a reviewer")).toBeFocused();
  expect((await getRun(pat, assigned)).assignees).toEqual([]);
  await ana.goto("/reviews?assigned=me");
  await expect(ana.locator(`a[href="/runs/${assigned}"]`)).toHaveCount(0);
});
