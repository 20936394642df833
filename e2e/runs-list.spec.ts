import { saveScreenshot, submitBrief } from "./fixtures/draftgate";
import { expect, test } from "./fixtures/test";

// Every signed-in role sees every run; Pat (author) submits them and pages through the list.
test.use({ signedInAs: "Pat" });

const PAGE_SIZE = 20;

test("lists all runs newest first and pages through them with Load more", async ({ page, apiAs }) => {
  const request = await apiAs("Pat");
  const countRuns = async () =>
    ((await (await request.get("/api/runs?limit=200")).json()) as { runs: unknown[] }).runs.length;
  for (let index = (await countRuns()) + 1; index <= PAGE_SIZE + 3; index++) {
    await submitBrief(request, `Paging run ${index}: introduce feature ${index}, invite users to try it.`);
  }
  const total = await countRuns();
  const firstPage = (await (await request.get(`/api/runs?limit=${PAGE_SIZE}`)).json()) as {
    runs: Array<{ runId: string }>;
    nextCursor: string | null;
  };
  expect(firstPage.nextCursor).not.toBeNull();

  await page.goto("/runs");
  const list = page.getByRole("list", { name: "Runs" });
  await expect(list.getByRole("listitem")).toHaveCount(PAGE_SIZE);
  const hrefs = await list.getByRole("link").evaluateAll((links) => links.map((link) => link.getAttribute("href")));
  expect(hrefs).toEqual(firstPage.runs.map((run) => `/runs/${run.runId}`));
  await saveScreenshot(page, "runs");

  await page.getByRole("button", { name: "Load more" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(Math.min(total, PAGE_SIZE * 2));
  if (total <= PAGE_SIZE * 2) {
    await expect(page.getByText("that is all of them")).toBeVisible();
    await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  }
});
