import type { APIRequestContext, APIResponse, Page } from "@playwright/test";
import { resetWorkspaceSettings } from "./fixtures/database";
import { answerOverHttp, getCheckpoints, getRun, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";

// What each role may do with a run (docs/SECURITY.md, "People and roles"), in the browser and over the API.

const SELF_APPROVAL_EXPLANATION =
  "You submitted this brief, so someone else approves it. You can still send it back with guidance.";
const SELF_APPROVAL_SETTING = "Allow people to approve drafts of briefs they submitted (for teams of one)";

async function errorOf(response: APIResponse): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error?: { code: string; message: string } };
  return { status: response.status(), code: body.error?.code ?? "(none)", message: body.error?.message ?? "" };
}

async function setSelfApproval(admin: Page, isAllowed: boolean): Promise<void> {
  await admin.goto("/settings");
  const workspace = admin.getByRole("region", { name: "Workspace" });
  await workspace.getByLabel(SELF_APPROVAL_SETTING).setChecked(isAllowed);
  await workspace.getByRole("button", { name: "Save" }).click();
  await expect(workspace.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  await admin.reload();
  await expect(workspace.getByLabel(SELF_APPROVAL_SETTING)).toBeChecked({ checked: isAllowed });
}

test.describe("separation of duties", () => {
  test.use({ signedInAs: "Rita" });
  // Whatever happens in a test, the workspace goes back to the default (self-approval off) for the other specs.
  test.afterEach(() => resetWorkspaceSettings());

  test("the submitter of a brief cannot approve its drafts by default: the API says why, and the page disables Approve with the explanation", async ({
    page,
    apiAs,
  }) => {
    const rita = await apiAs("Rita");
    const runId = await submitBrief(
      rita,
      "Announce the reviewer's own feature, mention the rollout plan, invite teams to opt in.",
    );
    const paused = await waitForRun(rita, runId, "awaiting_review", 1);
    const request = paused.pendingRequests[0]!;

    const refused = await rita.post(`/api/runs/${runId}/responses`, {
      data: { responses: { [request.requestId]: "approve" } },
    });
    const error = await errorOf(refused);
    expect(error).toMatchObject({ status: 403, code: "SELF_APPROVAL_FORBIDDEN" });
    expect(error.message).toContain(
      "You submitted this brief, so someone else must approve its drafts (separation of duties)",
    );
    expect(error.message).toContain("an admin can allow self-approval in Settings");
    expect(await getRun(rita, runId)).toMatchObject({ status: "awaiting_review", decisions: [] });

    await page.goto(`/runs/${runId}`);
    const approve = page.getByRole("button", { name: "Approve", exact: true });
    await expect(approve).toBeDisabled();
    await expect(approve).toHaveAccessibleDescription(SELF_APPROVAL_EXPLANATION);
    await expect(page.getByText(SELF_APPROVAL_EXPLANATION)).toBeVisible();
    await saveScreenshot(page, "self-approval-refused");

    // Sending it back with guidance stays theirs to do.
    await page.getByLabel("Guidance for the writer").fill("Mention the opt-out too");
    await page.getByRole("button", { name: "Request revision" }).click();
    await expect(page.getByRole("heading", { name: "Draft 2", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Approve", exact: true })).toBeDisabled();
    expect((await getRun(rita, runId)).decisions).toMatchObject([{ decidedBy: "Rita", isApproval: false }]);
  });

  test("once an admin allows self-approval in Settings the submitter may approve; turning it off refuses again", async ({
    page,
    pageAs,
    apiAs,
  }) => {
    const rita = await apiAs("Rita");
    const first = await submitBrief(
      rita,
      "Announce the solo workspace mode, mention one-person teams, invite freelancers to try it.",
    );
    const second = await submitBrief(
      rita,
      "Announce the solo export, mention PDF and Markdown, invite freelancers to try it.",
    );
    await waitForRun(rita, first, "awaiting_review", 1);
    const secondPaused = await waitForRun(rita, second, "awaiting_review", 1);

    const avery = await pageAs("Avery");
    await setSelfApproval(avery, true);

    await page.goto(`/runs/${first}`);
    await expect(page.getByText(SELF_APPROVAL_EXPLANATION)).toHaveCount(0);
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(page.getByRole("region", { name: "Published release notes" })).toContainText("by Rita");
    expect((await getRun(rita, first)).decisions).toMatchObject([{ decidedBy: "Rita", isApproval: true }]);

    await setSelfApproval(avery, false);
    const refused = await rita.post(`/api/runs/${second}/responses`, {
      data: { responses: { [secondPaused.pendingRequests[0]!.requestId]: "approve" } },
    });
    expect(await errorOf(refused)).toMatchObject({ status: 403, code: "SELF_APPROVAL_FORBIDDEN" });
    await page.goto(`/runs/${second}`);
    await expect(page.getByRole("button", { name: "Approve", exact: true })).toBeDisabled();
  });
});

test.describe("re-opening a completed run", () => {
  test.use({ signedInAs: "Avery" });

  /** Pat's brief, approved by Rita: completed, with version 1 published. Returns draft 1's review checkpoint. */
  async function completedRun(
    apiAs: (name: "Pat" | "Rita") => Promise<APIRequestContext>,
    brief: string,
  ): Promise<{ runId: string; reviewCheckpointId: string }> {
    const [pat, rita] = [await apiAs("Pat"), await apiAs("Rita")];
    const runId = await submitBrief(pat, brief);
    const first = await waitForRun(pat, runId, "awaiting_review", 1);
    await answerOverHttp(rita, first, "approve");
    const completed = await waitForRun(pat, runId, "completed");
    expect(completed.publications).toMatchObject([{ version: 1, approvedBy: "Rita" }]);
    return { runId, reviewCheckpointId: first.pendingRequests[0]!.checkpointId };
  }

  test("a reviewer may not re-open a completed run; an admin re-opens it from the checkpoint page with a reason, and after another reviewer's approval the run page shows both published versions with their approvers", async ({
    page,
    pageAs,
    apiAs,
  }) => {
    const [pat, rita] = [await apiAs("Pat"), await apiAs("Rita")];
    const { runId, reviewCheckpointId } = await completedRun(
      apiAs,
      "Launch the shared shopping list, mention live syncing and the $249 price, invite households to try it.",
    );

    // Over the API: a reviewer is refused; an admin without a reason is asked for one.
    const byReviewer = await rita.post(`/api/checkpoints/${reviewCheckpointId}/resume`, {
      data: { reason: "I changed my mind", branch: true },
    });
    const reviewerError = await errorOf(byReviewer);
    expect(reviewerError).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(reviewerError.message).toContain("Only admins can re-open a completed run");
    const withoutReason = await (
      await apiAs("Avery")
    ).post(`/api/checkpoints/${reviewCheckpointId}/resume`, { data: { branch: true } });
    expect(await errorOf(withoutReason)).toMatchObject({ status: 422, code: "VALIDATION_FAILED" });
    expect((await getRun(pat, runId)).status).toBe("completed");

    // The reviewer's checkpoint page says why there is nothing to press.
    const ritaPage = await pageAs("Rita");
    await ritaPage.goto(`/runs/${runId}/checkpoints/${reviewCheckpointId}`);
    await expect(ritaPage.getByText("A completed run is final; only an admin can re-open it.")).toBeVisible();
    await expect(ritaPage.getByRole("button", { name: /Re-open|Resume/ })).toHaveCount(0);

    // In the browser, the admin re-opens it from draft 1's review, with a reason and guidance for a new draft.
    const reason = "The price changed after publishing: the notes must say $229.";
    await page.goto(`/runs/${runId}/checkpoints/${reviewCheckpointId}`);
    await expect(page.getByText("This run is completed.", { exact: false })).toBeVisible();
    await page.getByLabel("Why re-open this completed run?").fill(reason);
    await page.getByLabel(/Answer for the pending review of draft 1/).fill("Say the price is now $229.");
    await page.getByRole("button", { name: "Re-open from here" }).click();
    await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
    await waitForRun(pat, runId, "awaiting_review", 2);
    await page.reload();
    await expect(page.getByRole("region", { name: /Published before it was re-opened/ })).toContainText(
      "approved by Rita",
    );

    // Another reviewer approves the new draft.
    const ana = await pageAs("Ana");
    await ana.goto(`/runs/${runId}`);
    await ana.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(ana.getByRole("region", { name: "Published release notes" })).toContainText("by Ana");
    const done = await waitForRun(pat, runId, "completed");
    expect(done.publications).toMatchObject([
      { version: 1, approvedBy: "Rita" },
      { version: 2, approvedBy: "Ana" },
    ]);
    expect(done.audit.map((entry) => [entry.action, entry.actorName, entry.reason])).toEqual([
      ["submitted", "Pat", null],
      ["answered", "Rita", null],
      ["reopened", "Avery", reason],
      ["answered", "Avery", null],
      ["answered", "Ana", null],
    ]);

    await page.reload();
    await expect(page.getByRole("region", { name: "Published release notes" })).toContainText("by Ana");
    const earlier = page.getByRole("region", { name: /Earlier published versions/ });
    await expect(earlier).toContainText("Version 1");
    await expect(earlier).toContainText("approved by Rita");
    const audit = page.getByRole("region", { name: "Audit trail" });
    await expect(audit).toContainText("Pat submitted the brief");
    await expect(audit).toContainText("Rita approved draft 1");
    await expect(audit).toContainText("Avery re-opened the completed run");
    await expect(audit).toContainText(reason);
    await expect(audit).toContainText("Avery requested a revision of draft 1");
    await expect(audit).toContainText("Ana approved draft 2");
    await saveScreenshot(page, "run-page-audit");
  });

  test("re-opening from a checkpoint that only waits for its review needs the answer: the form asks for it, the API refuses without it", async ({
    page,
    apiAs,
  }) => {
    const avery = await apiAs("Avery");
    const { runId, reviewCheckpointId } = await completedRun(
      apiAs,
      "Launch the pantry tracker, mention expiry reminders, invite households to try it.",
    );
    const reason = "Legal asked for one more review of this text.";
    await page.goto(`/runs/${runId}/checkpoints/${reviewCheckpointId}`);
    await page.getByLabel("Why re-open this completed run?").fill(reason);
    // without an answer nothing would run, so the form does not offer it
    await expect(page.getByRole("button", { name: "Re-open from here" })).toBeDisabled();
    await expect(page.getByText("Write an answer to resume from here.")).toBeVisible();

    const refused = await avery.post(`/api/checkpoints/${reviewCheckpointId}/resume`, { data: { reason } });
    expect(refused.status()).toBe(422);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /give the answer to start from here/,
    );
    const unchanged = await getRun(avery, runId);
    expect(unchanged.status).toBe("completed");
    expect(unchanged.audit.map((entry) => entry.action)).not.toContain("reopened");
  });
});

test.describe("identity comes from the credential", () => {
  test.use({ signedInAs: "Rita" });

  test("a forged submittedBy or respondedBy in a request body never reaches the record: the audit trail names the key owners", async ({
    page,
    apiAs,
  }) => {
    const [pat, rita] = [await apiAs("Pat"), await apiAs("Rita")];
    const created = await pat.post("/api/runs", {
      data: { brief: "Introduce the forged-name test, mention nothing, invite nobody.", submittedBy: "Mallory" },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { runId } = (await created.json()) as { runId: string };
    const paused = await waitForRun(pat, runId, "awaiting_review", 1);
    const answered = await rita.post(`/api/runs/${runId}/responses`, {
      data: { responses: { [paused.pendingRequests[0]!.requestId]: "Say it in one line." }, respondedBy: "Mallory" },
    });
    expect(answered.status(), await answered.text()).toBe(202);
    const revised = await waitForRun(pat, runId, "awaiting_review", 2);
    expect(revised.submittedBy).toBe("Pat");
    expect(revised.decisions).toMatchObject([{ decidedBy: "Rita", decidedVia: "api-key" }]);
    expect(revised.audit.map((entry) => [entry.actorName, entry.actorMethod])).toEqual([
      ["Pat", "api-key"],
      ["Rita", "api-key"],
    ]);
    const checkpointBodies = JSON.stringify(await getCheckpoints(pat, runId));
    expect(checkpointBodies).not.toContain("Mallory");

    await page.goto(`/runs/${runId}`);
    const audit = page.getByRole("region", { name: "Audit trail" });
    await expect(audit).toContainText("Pat submitted the brief");
    await expect(audit).toContainText("Rita requested a revision of draft 1");
    await expect(audit).toContainText("with an API key");
    await expect(audit).not.toContainText("Mallory");
    await expect(page.getByText("Mallory")).toHaveCount(0);
  });
});
