import type { Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./fixtures/axe";
import { getRun, submitBrief, waitForRun } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";

// Single-key shortcuts: on the run page `a` approves, `e` edits, `r` goes to the guidance; in the inbox `j`/`k` move
// through the runs; `?` lists the keys. Rita (reviewer) uses them; Pat (author) submits over the API. The policy is
// the suite's default, one approval.
test.use({ signedInAs: "Rita" });

/** Presses `?` until the dialog opens: the keys work once the page is hydrated, and this waits for that without sleeping. */
async function openShortcuts(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(async () => {
    await page.keyboard.press("?");
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  return dialog;
}

test("on the run page ? lists the keys, r and e go to their fields, no key acts while typing, and a approves", async ({
  page,
  apiAs,
}) => {
  const pat = await apiAs("Pat");
  const runId = await submitBrief(
    pat,
    "Introduce the burr grinder refill, mention the stainless burrs, invite owners to order spares.",
  );
  await waitForRun(pat, runId, "awaiting_review", 1);
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveAttribute("aria-keyshortcuts", "a");

  const dialog = await openShortcuts(page);
  for (const [key, what] of [
    ["a", "Approve the draft"],
    ["e", "Edit the draft, then approve your edit"],
    ["r", "Request a revision: go to the guidance for the writer"],
    ["?", "Show this list of keys"],
  ] as const) {
    await expect(dialog.getByRole("row").filter({ hasText: what })).toContainText(key);
  }
  await expectNoSeriousViolations(page, "run page with the keyboard shortcuts dialog open");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // r: to the guidance; what is typed there stays text (no approval, no editor).
  await page.keyboard.press("r");
  const guidance = page.getByLabel("Guidance for the writer");
  await expect(guidance).toBeFocused();
  await page.keyboard.type("a e r ?");
  await expect(guidance).toHaveValue("a e r ?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeHidden();
  await expect(page.getByLabel("Edited draft (Markdown)")).toHaveCount(0);
  expect((await getRun(pat, runId)).decisions).toEqual([]);
  await guidance.fill("");

  // e: the editor opens with the draft, focused; typing in it is typing; Cancel returns to the button.
  await guidance.blur();
  await page.keyboard.press("e");
  const editor = page.getByLabel("Edited draft (Markdown)");
  await expect(editor).toBeFocused();
  await page.keyboard.press("End");
  await page.keyboard.type("a");
  expect((await getRun(pat, runId)).status).toBe("awaiting_review");
  await page.getByRole("button", { name: "Cancel editing" }).click();
  await expect(page.getByRole("button", { name: "Edit and approve" })).toBeFocused();

  // a (on a button, which is not typing): approves, which with one approval required publishes the draft.
  await page.keyboard.press("a");
  await expect(page.getByRole("region", { name: "Published release notes" })).toContainText("by Rita");
  const done = await getRun(pat, runId);
  expect(done.status).toBe("completed");
  expect(done.decisions).toMatchObject([{ kind: "approve", decidedBy: "Rita", isApproval: true }]);
});

test("in the inbox j and k move through the runs and Enter opens one; turned off in the dialog, the keys do nothing", async ({
  page,
  apiAs,
}) => {
  const pat = await apiAs("Pat");
  for (const brief of [
    "Announce the knock box, mention the rubber bar, invite baristas to order one.",
    "Announce the dosing cup, mention the magnetic base, invite baristas to order one.",
  ]) {
    await waitForRun(pat, await submitBrief(pat, brief), "awaiting_review", 1);
  }
  await page.goto("/reviews");
  const links = page.getByRole("list", { name: "Runs awaiting review" }).getByRole("link");
  const [first, second] = [links.nth(0), links.nth(1)];
  await expect(async () => {
    await page.keyboard.press("j");
    await expect(first).toBeFocused({ timeout: 1_000 });
  }).toPass();
  await page.keyboard.press("j");
  await expect(second).toBeFocused();
  await page.keyboard.press("k");
  await expect(first).toBeFocused();
  await page.keyboard.press("k");
  await expect(first).toBeFocused(); // stays at the top
  const href = await first.getAttribute("href");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${href}$`));

  // Turned off (kept in this browser), single keys do nothing; the button still opens the list.
  await page.goto("/reviews");
  const opener = page.getByRole("button", { name: "Keyboard shortcuts" });
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(async () => {
    await opener.click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await expect(dialog.getByRole("row").filter({ hasText: "Next run in the list" })).toContainText("j");
  await dialog.getByLabel("Use single-key shortcuts").uncheck();
  await dialog.getByRole("button", { name: /^Close/ }).click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  await page.keyboard.press("j");
  await page.keyboard.press("?");
  await expect(first).not.toBeFocused();
  await expect(dialog).toBeHidden();
  await page.reload();
  await opener.click();
  await expect(dialog.getByLabel("Use single-key shortcuts")).not.toBeChecked();
});
