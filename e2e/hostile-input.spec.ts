import { seedPeople } from "../tests/support/seed-people";
import { getRun, saveScreenshot, waitForRun } from "./fixtures/draftgate";
import { expect, newAppClient, test } from "./fixtures/test";
import type { Page } from "@playwright/test";

const SCRIPT = "<script>window.__pwned=1</script>";
const IMG = `<img src=x onerror="window.__pwned=1">`;
const HOSTILE_BRIEF = `Announce dark mode ${SCRIPT} and ${IMG} for everyone.`;
const HOSTILE_NAME = `Mal ${IMG}`;

async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
}

test.use({ signedInAs: "Pat" });

test("a brief, guidance and a person's name with <script> and <img onerror> show as text on every page and run nothing", async ({
  page,
  pageAs,
  apiAs,
  playwright,
}) => {
  const dialogs: string[] = [];
  const watchDialogs = (on: Page) =>
    on.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  watchDialogs(page);

  // Pat submits the hostile brief from the form.
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

  // Rita's guidance with markup is shown as text in the audit trail and in the next draft.
  const rita = await pageAs("Rita");
  watchDialogs(rita);
  await rita.goto(`/runs/${runId}`);
  await rita.getByLabel("Guidance for the writer").fill(`Add ${IMG} please`);
  await rita.getByRole("button", { name: "Request revision" }).click();
  await expect(rita.getByRole("heading", { name: "Draft 2", exact: true })).toBeVisible();
  await expect(rita.getByRole("region", { name: "Audit trail" })).toContainText(`Add ${IMG} please`);
  await expectInert(rita);

  // A reviewer whose name carries markup answers over the API: the trail shows the name as characters.
  const mallory = (
    await seedPeople(process.env.E2E_DB as string, [
      { name: HOSTILE_NAME, role: "reviewer", email: "mallory@example.com" },
    ])
  )[HOSTILE_NAME]!;
  const malloryApi = await newAppClient(playwright, { apiKey: mallory.apiKey });
  const second = await waitForRun(malloryApi, runId, "awaiting_review", 2);
  const answered = await malloryApi.post(`/api/runs/${runId}/responses`, {
    data: { responses: { [second.pendingRequests[0]!.requestId]: `Quote ${SCRIPT} literally` } },
  });
  expect(answered.status(), await answered.text()).toBe(202);
  await malloryApi.dispose();
  await waitForRun(await apiAs("Pat"), runId, "awaiting_review", 3);
  await rita.reload();
  await expect(rita.getByRole("heading", { name: "Draft 3", exact: true })).toBeVisible();
  const audit = rita.getByRole("region", { name: "Audit trail" });
  await expect(audit).toContainText(`${HOSTILE_NAME} requested a revision of draft 2`);
  await expect(audit).toContainText(`Quote ${SCRIPT} literally`);
  await expectInert(rita);

  for (const path of ["/reviews", "/runs"]) {
    await rita.goto(path);
    await expect(rita.getByRole("link").filter({ hasText: HOSTILE_BRIEF }).first()).toBeVisible();
    await expectInert(rita);
  }

  const request = await apiAs("Pat");
  const checkpoints = (await (await request.get(`/api/runs/${runId}/checkpoints`)).json()) as {
    checkpoints: Array<{ checkpointId: string }>;
  };
  await rita.goto(`/runs/${runId}/checkpoints/${checkpoints.checkpoints[1]?.checkpointId}`);
  await expect(rita.getByRole("region", { name: "What this checkpoint holds" })).toContainText("__pwned");
  await expectInert(rita);

  const stored = await waitForRun(request, runId, "awaiting_review", 3);
  expect(stored.brief).toBe(HOSTILE_BRIEF);
  const { decisions } = await getRun(request, runId);
  expect(decisions.map((decision) => [decision.decidedBy, decision.response])).toEqual([
    ["Rita", `Add ${IMG} please`],
    [HOSTILE_NAME, `Quote ${SCRIPT} literally`],
  ]);
  expect(dialogs).toEqual([]);
});
