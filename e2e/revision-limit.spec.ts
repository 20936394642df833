import { getRun, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";
import { readWorkspaceSettings, writeWorkspaceSettings } from "./fixtures/workspace-settings";

// Avery (admin) sets the workspace's revision limit on the Settings page; Pat (author) submits over the API;
// Rita (reviewer) sends the drafts back in her own browser.
test.use({ signedInAs: "Avery" });

let before: number;
test.beforeEach(async () => {
  before = (await readWorkspaceSettings()).maxRevisionRounds;
});
test.afterEach(async () => {
  await writeWorkspaceSettings({ maxRevisionRounds: before });
});

test("with one revision round allowed, the second guidance is refused with the limit, and accepted once an admin allows two", async ({
  page,
  pageAs,
  apiAs,
}) => {
  await page.goto("/settings");
  const workspace = page.getByRole("region", { name: "Workspace" });
  const rounds = workspace.getByLabel("Revision rounds per run");
  const saved = workspace.getByRole("status").filter({ hasText: "Settings saved." });
  await expect(rounds).toHaveValue(String(before));

  // A value out of range is refused beside the field, and nothing is stored.
  await rounds.fill("0");
  await workspace.getByRole("button", { name: "Save" }).click();
  await expect(rounds).toHaveAttribute("aria-invalid", "true");
  await expect(rounds).toHaveAccessibleDescription(/At least 1/);
  await saveScreenshot(page, "settings-revision-rounds-refused");
  expect((await readWorkspaceSettings()).maxRevisionRounds).toBe(before);

  await rounds.fill("1");
  await workspace.getByRole("button", { name: "Save" }).click();
  await expect(saved).toBeVisible();
  await expect(rounds).not.toHaveAttribute("aria-invalid");
  expect((await readWorkspaceSettings()).maxRevisionRounds).toBe(1);
  await page.reload();
  await expect(rounds).toHaveValue("1");
  await saveScreenshot(page, "settings-revision-rounds");

  const pat = await apiAs("Pat");
  const runId = await submitBrief(
    pat,
    "Introduce the milk frother, mention the three foam levels, invite baristas to try it.",
  );
  await waitForRun(pat, runId, "awaiting_review", 1);
  const rita = await pageAs("Rita");
  await rita.goto(`/runs/${runId}`);
  const guidance = rita.getByLabel("Guidance for the writer");
  await guidance.fill("Mention the dishwasher-safe jug");
  await rita.getByRole("button", { name: "Request revision" }).click();
  await expect(rita.getByRole("heading", { name: "Draft 2", exact: true })).toBeVisible();

  // The second round is past the limit: the server's message shows beside the form, the guidance stays typed.
  await guidance.fill("Now mention the two-year warranty");
  await rita.getByRole("button", { name: "Request revision" }).click();
  const review = rita.getByRole("region", { name: "Your review" });
  await expect(review.getByRole("status")).toContainText("revised once, the most this workspace allows");
  await expect(review.getByRole("status")).toContainText("ask an admin to raise the limit in Settings");
  await expect(guidance).toHaveValue("Now mention the two-year warranty");
  await expect(rita.getByRole("heading", { name: "Draft 2", exact: true })).toBeVisible();
  await saveScreenshot(rita, "revision-limit-reached");
  const refused = await getRun(pat, runId);
  expect({ status: refused.status, iteration: refused.iteration, decisions: refused.decisions.length }).toEqual({
    status: "awaiting_review",
    iteration: 2,
    decisions: 1,
  });

  // Avery allows two rounds; the same guidance now goes through.
  await rounds.fill("2");
  await workspace.getByRole("button", { name: "Save" }).click();
  await expect(saved).toBeVisible();
  expect((await readWorkspaceSettings()).maxRevisionRounds).toBe(2);
  await rita.getByRole("button", { name: "Request revision" }).click();
  await expect(rita.getByRole("heading", { name: "Draft 3", exact: true })).toBeVisible();
  const accepted = await waitForRun(pat, runId, "awaiting_review", 3);
  expect(accepted.decisions.map((decision) => [decision.response, decision.iteration, decision.decidedBy])).toEqual([
    ["Mention the dishwasher-safe jug", 1, "Rita"],
    ["Now mention the two-year warranty", 2, "Rita"],
  ]);
});
