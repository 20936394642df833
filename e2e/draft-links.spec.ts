import type { Page } from "@playwright/test";
import { getRun, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";

// Pat (author) submits over the API a brief whose links the offline writer copies into the draft; Rita (reviewer)
// reviews it in the browser.
test.use({ signedInAs: "Rita" });

const GUIDE = { text: "setup guide", url: "https://example.com/docs/setup?from=notes" };
const STATUS_URL = "https://status.example.com/";
const SCRIPT_URL = "javascript:alert(document.domain)";
const BRIEF = `Announce the [${GUIDE.text}](${GUIDE.url}), the status page <${STATUS_URL}> and [prices](${SCRIPT_URL}), invite customers to try it.`;

function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

test("every link in a draft shows where it goes, as text that cannot be followed, before and after approval", async ({
  page,
  apiAs,
}) => {
  const dialogs = watchDialogs(page);
  const request = await apiAs("Pat");
  const runId = await submitBrief(request, BRIEF);
  const stored = await waitForRun(request, runId, "awaiting_review", 1);
  const draftText = stored.pendingRequests[0]?.draft ?? "";
  expect(draftText).toContain(`[${GUIDE.text}](${GUIDE.url})`);
  expect(draftText).toContain(`[prices](${SCRIPT_URL})`);

  await page.goto(`/runs/${runId}`);
  const draft = page.getByRole("region", { name: "Draft 1", exact: true });
  // The link text, then its target in words (the "links to" is for screen readers; sighted people see the badge).
  await expect(draft).toContainText(`${GUIDE.text} (links to ${GUIDE.url})`);
  await expect(draft.getByText(GUIDE.url)).toBeVisible();
  // An autolink's text is its target: shown once.
  await expect(draft.getByText(STATUS_URL)).toHaveCount(1);
  await expect(draft).toContainText(`the status page (links to ${STATUS_URL})`);
  // A javascript: target is shown as the characters it is, flagged in words, and nothing runs.
  await expect(draft).toContainText(`prices (links to ${SCRIPT_URL}) not a web address`);
  await expect(draft.getByText(SCRIPT_URL)).toBeVisible();
  await saveScreenshot(page, "draft-links");
  // No link to follow: no anchors, no href, and clicking the text or the target goes nowhere.
  await expect(draft.locator("a, [href]")).toHaveCount(0);
  await draft.getByText(GUIDE.text, { exact: true }).click();
  await draft.getByText(SCRIPT_URL).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));

  // Approved: the published text shows the targets the same way; what was stored is the draft, links untouched.
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  const published = page.getByRole("region", { name: "Published release notes" });
  await expect(published).toContainText(`${GUIDE.text} (links to ${GUIDE.url})`);
  await expect(published).toContainText(`prices (links to ${SCRIPT_URL})`);
  await expect(published.locator("a, [href]")).toHaveCount(0);
  const done = await getRun(request, runId);
  expect(done.status).toBe("completed");
  expect(done.publishedText).toBe(draftText);
  expect(dialogs).toEqual([]);
});
