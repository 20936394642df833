import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startCluster, type Cluster } from "../scripts/lib/cluster";
import { freePort } from "../tests/support/processes";
import { seedPeople, type SeededPerson } from "../tests/support/seed-people";
import { GRINDER_BRIEF, saveScreenshot, signInOverHttp } from "./fixtures/draftgate";

// The cluster of `npm run cluster` (scripts/lib/cluster.ts): PostgreSQL, two web instances that never execute runs,
// and a worker. A brief goes in through A; the page on B shows the worker's tokens as they stream (LISTEN/NOTIFY
// from the worker to B); the review is answered through B and the worker publishes. Its own project in
// playwright.config.ts: it starts its own servers.

test.describe.configure({ mode: "serial" });

let cluster: Cluster | undefined;
let people: Record<string, SeededPerson>;
const log: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await startCluster({
    ports: [await freePort(), await freePort()],
    // a pause per streamed word: the draft takes a few seconds to write, long enough to watch
    env: { OFFLINE_WRITER_DELAY_MS: "250", LOG_LEVEL: "warn" },
    onLine: (name, line) => log.push(`[${name}] ${line}`),
  });
  people = await seedPeople(cluster.databaseUrl, [
    { name: "Ada", role: "admin" },
    { name: "Pat", role: "author" },
    { name: "Rita", role: "reviewer" },
  ]);
});

test.afterAll(async () => {
  await cluster?.stop();
  const file = path.join(test.info().project.outputDir, "cluster.log");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, log.join("\n"));
});

test("a brief submitted through A is drafted by the worker, streamed live on B, and approved through B", async ({
  browser,
}) => {
  const [a, b] = cluster!.webs;
  const rita = await browser.newContext({ baseURL: b });
  await signInOverHttp(rita.request, b, { email: people.Rita!.email, password: people.Rita!.password });
  const page = await rita.newPage();

  const submitted = await fetch(`${a}/api/runs`, {
    method: "POST",
    headers: { authorization: `Bearer ${people.Pat!.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ brief: GRINDER_BRIEF }),
  });
  expect(submitted.status, await submitted.clone().text()).toBe(201);
  const { runId } = (await submitted.json()) as { runId: string };

  await page.goto(`/runs/${runId}`);
  const live = page.getByRole("region", { name: "Writing draft 1" });
  await expect(live).toBeVisible();
  // the words arrive one after another on B, which executes nothing: relayed from the worker
  const streamed = live.locator("p[aria-busy]");
  const words = async () => ((await streamed.count()) ? (await streamed.innerText()).split(/\s+/).length : 0);
  await expect.poll(words, { timeout: 15_000 }).toBeGreaterThan(1);
  const early = await words();
  await saveScreenshot(page, "cluster-streaming-on-b");
  await expect.poll(words, { timeout: 15_000 }).toBeGreaterThan(early);

  const draft = page.getByRole("region", { name: "Draft 1", exact: true });
  await expect(draft).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  const published = page.getByRole("region", { name: "Published release notes" });
  await expect(published).toContainText("by Rita", { timeout: 30_000 });
  await saveScreenshot(page, "cluster-published-on-b");

  // A reads the same run from the same database: completed, approved by Rita, submitted by Pat
  const run = (await (
    await fetch(`${a}/api/runs/${runId}`, { headers: { authorization: `Bearer ${people.Pat!.apiKey}` } })
  ).json()) as { status: string; submittedBy: string; decisions: Array<{ decidedBy: string }> };
  expect(run).toMatchObject({ status: "completed", submittedBy: "Pat", decisions: [{ decidedBy: "Rita" }] });
  await rita.close();
});
