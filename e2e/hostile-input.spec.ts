import { expect, test, type Page } from "@playwright/test";
import { getRun, rememberReviewerName, saveScreenshot, waitForRun } from "./fixtures/draftgate";

const SCRIPT = "<script>window.__pwned=1</script>";
const IMG = `<img src=x onerror="window.__pwned=1">`;
const HOSTILE_BRIEF = `Announce dark mode ${SCRIPT} and ${IMG} for everyone.`;

async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
}

test("a brief with <script> and <img onerror> shows as text on every page and runs nothing", async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await rememberReviewerName(page, "Mallory");

  await page.goto("/runs/new");
  await page.getByLabel("Brief", { exact: true }).fill(HOSTILE_BRIEF);
  await page.getByRole("button", { name: "Submit brief" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split("/").at(-1) as string;

  // Run page: title, brief and the draft (which quotes the brief) all show the markup as characters.
  await expect(page.getByRole("heading", { name: "Draft 1", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Brief" })).toContainText(HOSTILE_BRIEF);
  await expect(page.getByRole("region", { name: "Draft 1", exact: true })).toContainText(SCRIPT);
  await expect(page.getByRole("region", { name: "Draft 1", exact: true })).toContainText(IMG);
  await expectInert(page);
  await saveScreenshot(page, "hostile-run");

  // Guidance with markup is shown as text in the audit trail and in the next draft.
  await page.getByLabel("Guidance for the writer").fill(`Add ${IMG} please`);
  await page.getByRole("button", { name: "Request revision" }).click();
  await expect(page.getByRole("heading", { name: "Draft 2", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Audit trail" })).toContainText(`Add ${IMG} please`);
  await expectInert(page);

  for (const path of ["/reviews", "/runs"]) {
    await page.goto(path);
    await expect(page.getByRole("link").filter({ hasText: HOSTILE_BRIEF }).first()).toBeVisible();
    await expectInert(page);
  }

  const checkpoints = (await (await request.get(`/api/runs/${runId}/checkpoints`)).json()) as { checkpoints: Array<{ checkpointId: string }> };
  await page.goto(`/runs/${runId}/checkpoints/${checkpoints.checkpoints[1]?.checkpointId}`);
  await expect(page.getByRole("region", { name: "What this checkpoint holds" })).toContainText("__pwned");
  await expectInert(page);

  const stored = await waitForRun(request, runId, "awaiting_review", 2);
  expect(stored.brief).toBe(HOSTILE_BRIEF);
  expect((await getRun(request, runId)).decisions[0]?.response).toBe(`Add ${IMG} please`);
  expect(dialogs).toEqual([]);
});
