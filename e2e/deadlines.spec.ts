import type { APIRequestContext, Page } from "@playwright/test";
import { expectNoHorizontalScroll, expectNoSeriousViolations } from "./fixtures/axe";
import { makeReviewOverdue } from "./fixtures/database";
import { getRun, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { readReviewPolicy, restoreSuiteReviewPolicy } from "./fixtures/review-policy";
import { expect, test } from "./fixtures/test";

// Deadlines, reminders and escalation (issue #16). Avery (admin) sets a deadline, a reminder and escalation to
// Rita on Settings; Pat (author) submits two briefs over the API. Time is moved in the database for the first
// run's request (its deadline into the past, its reminder and escalation timers due now) and the server's
// timers (TIMER_TICK_MS=300 in playwright.config.ts) fire. Every test puts back the suite's policy and closes
// the runs it opened, so the other specs find the inbox and the policy as they expect.

test.use({ signedInAs: "Avery" });

const HOUR = 3_600_000;
const openedRunIds: string[] = [];

test.afterEach(async ({ apiAs }) => {
  const avery = await apiAs("Avery");
  await restoreSuiteReviewPolicy(avery);
  for (const runId of openedRunIds.splice(0)) await rejectIfAwaiting(avery, runId);
});

async function rejectIfAwaiting(admin: APIRequestContext, runId: string): Promise<void> {
  const run = await getRun(admin, runId);
  const requestId = run.pendingRequests[0]?.requestId;
  if (run.status !== "awaiting_review" || !requestId) return;
  const response = await admin.post(`/api/runs/${runId}/responses`, {
    data: { responses: { [requestId]: { decision: "reject", reason: "Closed by the deadlines spec." } } },
  });
  expect(response.status(), await response.text()).toBe(202);
}

/** React's hydration errors (production builds log them minified: #418, #423, #425). */
function watchHydration(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|#418|#423|#425/i.test(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => {
    if (/hydrat|#418|#423|#425/i.test(error.message)) errors.push(error.message);
  });
  return errors;
}

/** The run ids of the inbox's rows, top to bottom. */
async function inboxOrder(page: Page): Promise<string[]> {
  const hrefs = await page
    .getByRole("list", { name: "Runs awaiting review" })
    .locator("a[data-inbox-link]")
    .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  return hrefs.map((href) => href.replace("/runs/", ""));
}

test("an overdue draft is reminded about and escalated to the person the policy names; the inbox puts it first as overdue, the next one says when it is due", async ({
  page,
  pageAs,
  apiAs,
}) => {
  const pat = await apiAs("Pat");
  const hydrationErrors = watchHydration(page);

  // Avery sets the deadline on Settings; a reminder that does not come before the deadline is refused beside its field.
  await page.goto("/settings");
  const policy = page.getByRole("region", { name: "Approval policy" });
  await policy.getByLabel("Deadline (hours)").fill("4");
  await policy.getByLabel("Remind before the deadline").setChecked(true);
  const reminderHours = policy.getByLabel("Hours before the deadline");
  await reminderHours.fill("5");
  await policy.getByRole("group", { name: "Escalate to" }).getByLabel("Rita (reviewer)").check();
  await policy.getByLabel("Reject drafts still undecided").setChecked(true);
  await policy.getByLabel("Hours after the deadline").fill("48");
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(reminderHours).toHaveAttribute("aria-invalid", "true");
  await expect(reminderHours).toHaveAccessibleDescription(
    "Make the reminder shorter than the deadline: it comes after the draft is asked, before it is due.",
  );
  await expect(policy.getByRole("status")).toHaveText("Not saved. Fix the field marked above, then send again.");
  await expect(reminderHours).toBeFocused();
  await saveScreenshot(page, "settings-deadline-policy-refused");

  await reminderHours.fill("1");
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(policy.getByRole("status")).toHaveText(/^Saved as version \d+: new runs need 1 approval\.$/);
  await expect(reminderHours).not.toHaveAttribute("aria-invalid");
  const saved = await readReviewPolicy(pat);
  expect(saved).toMatchObject({
    requiredApprovals: 1,
    deadlineMinutes: 240,
    reminderMinutesBefore: 60,
    expireAfterMinutes: 2_880,
  });
  expect(saved.escalateTo.map((person) => person.name)).toEqual(["Rita"]);
  await expect(policy.getByTestId("policy-deadline")).toHaveText("4 h after a draft is asked for review");
  await expect(policy.getByTestId("policy-reminder")).toHaveText(
    "1 h before the deadline, to its assignees (or every reviewer)",
  );
  await expect(policy.getByTestId("policy-escalation")).toHaveText("Escalated to Rita");
  await expect(policy.getByTestId("policy-expiry")).toHaveText("Rejected as expired 2 days after the deadline");
  await page.reload(); // what was saved is what the form shows
  await expect(policy.getByLabel("Deadline (hours)")).toHaveValue("4");
  await expect(policy.getByLabel("Hours before the deadline")).toHaveValue("1");
  await expect(policy.getByRole("group", { name: "Escalate to" }).getByLabel("Rita (reviewer)")).toBeChecked();
  await expect(policy.getByRole("group", { name: "Escalate to" }).getByLabel("Ana (reviewer)")).not.toBeChecked();
  await saveScreenshot(page, "settings-deadline-policy");

  // Pat submits two briefs; both are due in 4 hours under the new policy.
  const overdueRunId = await submitBrief(
    pat,
    "Announce the descaling reminder on the espresso machine, mention the water hardness setting, invite owners to update.",
  );
  openedRunIds.push(overdueRunId);
  const onTimeRunId = await submitBrief(
    pat,
    "Introduce the travel grinder, mention the ceramic burrs and the USB-C charging, invite customers to reserve one.",
  );
  openedRunIds.push(onTimeRunId);
  const paused = await waitForRun(pat, overdueRunId, "awaiting_review", 1);
  await waitForRun(pat, onTimeRunId, "awaiting_review", 1);
  expect(paused.policy).toEqual({
    version: saved.version,
    requiredApprovals: 1,
    deadlineMinutes: 240,
    reminderMinutesBefore: 60,
    expireAfterMinutes: 2_880,
  });
  expect(paused.deadline).toMatchObject({ remindedAt: null, escalatedAt: null, escalatedTo: null });
  expect(Date.parse(paused.deadline!.dueAt) - Date.parse(paused.deadline!.askedAt)).toBe(4 * HOUR);

  // Two hours past the first run's deadline: its reminder and escalation fire (the expiry, 2 days on, does not).
  const requestId = paused.pendingRequests[0]!.requestId;
  expect(makeReviewOverdue(requestId, 2 * HOUR)).toBe(2);
  await expect
    .poll(async () => (await getRun(pat, overdueRunId)).deadline, {
      message: "the reminder and the escalation fire",
      timeout: 20_000,
    })
    .toMatchObject({ remindedAt: expect.any(String), escalatedAt: expect.any(String), escalatedTo: "Rita" });
  const escalated = await getRun(pat, overdueRunId);
  expect(escalated.status).toBe("awaiting_review");
  expect(escalated.assignees.map((person) => person.name)).toEqual(["Rita"]);
  expect(escalated.audit.filter((entry) => entry.action === "reminded" || entry.action === "escalated")).toMatchObject([
    { action: "reminded", actorName: "Draftgate (deadline)", actorMethod: "system", subjectName: "the reviewers" },
    { action: "escalated", actorName: "Draftgate (deadline)", actorMethod: "system", subjectName: "Rita" },
  ]);

  // Avery's inbox: the overdue run first, overdue and escalated; the other one says when it is due.
  await page.goto("/reviews");
  const list = page.getByRole("list", { name: "Runs awaiting review" });
  const rowOf = (runId: string) => list.getByRole("listitem").filter({ has: page.locator(`a[href="/runs/${runId}"]`) });
  const overdueDue = rowOf(overdueRunId).locator("time[data-overdue]");
  await expect(overdueDue).toHaveText("Overdue by 2 h");
  await expect(overdueDue).toHaveAttribute("dateTime", escalated.deadline!.dueAt);
  await expect(overdueDue).toHaveAttribute("title", /^Due /);
  await expect(rowOf(overdueRunId)).toContainText("Escalated to Rita");
  await expect(
    rowOf(onTimeRunId)
      .locator("time")
      .filter({ hasText: /^Due in/ }),
  ).toHaveText("Due in 4 h");
  await expect(rowOf(onTimeRunId)).not.toContainText("Escalated");
  const order = await inboxOrder(page);
  expect(order.indexOf(overdueRunId)).toBeGreaterThanOrEqual(0);
  expect(order.indexOf(overdueRunId)).toBeLessThan(order.indexOf(onTimeRunId));
  await expectNoSeriousViolations(page, "inbox with an overdue, escalated run");
  await saveScreenshot(page, "inbox-deadlines");

  // The run page: when it was due, the reminder and the escalation, and the policy's deadline terms.
  await page.goto(`/runs/${overdueRunId}`);
  const deadline = page.getByTestId("run-deadline");
  await expect(deadline).toContainText("Overdue by 2 h");
  await expect(deadline).toContainText("Reminder sent");
  await expect(deadline).toContainText("Escalated to Rita");
  await expect(page.getByTestId("run-policy")).toHaveText(`Needs 1 approval (policy v${saved.version})`);
  await expect(page.getByTestId("run-deadline-terms")).toHaveText(
    "due 4 h after each draft, reminder 1 h before, expires 2 days after the deadline",
  );
  const audit = page.getByRole("region", { name: "Audit trail" });
  await expect(
    audit.getByRole("listitem").filter({ hasText: "Draftgate (deadline) reminded the reviewers of the deadline" }),
  ).toContainText("automatically, by the review deadline");
  await expect(
    audit.getByRole("listitem").filter({ hasText: "Draftgate (deadline) escalated the overdue review to Rita" }),
  ).toContainText("automatically, by the review deadline");
  await expectNoSeriousViolations(page, "run page of an overdue, escalated run");
  await saveScreenshot(page, "run-overdue-escalated");
  await page.goto(`/runs/${onTimeRunId}`);
  await expect(page.getByTestId("run-deadline")).toContainText("Due in 4 h");
  await expect(page.getByTestId("run-deadline")).not.toContainText("Reminder sent");

  // Rita, to whom it was escalated, finds it assigned to her.
  const rita = await pageAs("Rita");
  await rita.goto("/reviews?assigned=me");
  const ritaList = rita.getByRole("list", { name: "Runs awaiting review" });
  const ritaRow = ritaList.getByRole("listitem").filter({ has: rita.locator(`a[href="/runs/${overdueRunId}"]`) });
  await expect(ritaRow).toContainText("Assigned to you");
  await expect(ritaRow).toContainText("Escalated to Rita");
  await expect(ritaRow).toContainText("Overdue by 2 h");
  await expect(ritaList.locator(`a[href="/runs/${onTimeRunId}"]`)).toHaveCount(0);

  // On a phone: no sideways scrolling, the due times still there.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/reviews");
  await expect(rowOf(overdueRunId)).toContainText("Overdue by 2 h");
  await expectNoHorizontalScroll(page, "inbox at 390 px");
  await saveScreenshot(page, "inbox-deadlines-390");
  await page.goto(`/runs/${overdueRunId}`);
  await expect(page.getByTestId("run-deadline")).toContainText("Escalated to Rita");
  await expectNoHorizontalScroll(page, "run page at 390 px");
  await saveScreenshot(page, "run-overdue-escalated-390");

  expect(hydrationErrors, "hydration errors on the pages with due times").toEqual([]);
});

test("the inbox's due time counts down while the page stays open", async ({ pageAs, apiAs }) => {
  const avery = await apiAs("Avery");
  const pat = await apiAs("Pat");
  const response = await avery.put("/api/review-policy", { data: { deadlineMinutes: 240 } });
  expect(response.status(), await response.text()).toBe(200);
  const runId = await submitBrief(
    pat,
    "Launch the milk frother, mention the three foam settings, invite cafés to try it.",
  );
  openedRunIds.push(runId);
  await waitForRun(pat, runId, "awaiting_review", 1);

  // A fresh page whose clock is under the test's control (installed before the page loads).
  const page = await pageAs("Avery");
  const hydrationErrors = watchHydration(page);
  await page.clock.install();
  await page.goto("/reviews");
  const due = page
    .getByRole("list", { name: "Runs awaiting review" })
    .getByRole("listitem")
    .filter({ has: page.locator(`a[href="/runs/${runId}"]`) })
    .locator("time")
    .filter({ hasText: /^(Due in|Overdue by)/ });
  await expect(due).toHaveText("Due in 4 h");
  await page.clock.fastForward("01:00:00");
  await expect(due).toHaveText("Due in 3 h");
  await page.clock.fastForward("03:30:00");
  await expect(due).toHaveText("Overdue by 30 min");
  await expect(due).toHaveAttribute("data-overdue", "");
  expect(hydrationErrors).toEqual([]);
});
