import fs from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { freePort } from "./tests/support/processes";

// This file is test tooling, not app code: it reads process.env directly to hand settings to the server it
// starts (which then parses them through lib/env.ts).

// The config is evaluated in the runner AND in every worker: choose the port and DB once, pass them down via env
// (STACK P12). The runner sets them first; workers inherit them and skip this.
process.env.E2E_PORT ??= String(await freePort());
if (!process.env.E2E_DB) {
  process.env.E2E_DB = path.resolve(".e2e", "e2e.db");
  fs.rmSync(path.dirname(process.env.E2E_DB), { recursive: true, force: true }); // fresh DB per run
  fs.mkdirSync(path.dirname(process.env.E2E_DB), { recursive: true });
}

const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./e2e",
  outputDir: "test-results",
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: "reports/e2e.json" }]],
  use: {
    baseURL,
    ...devices["Desktop Chrome"],
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    // Debian's chromium; Playwright never downloads a browser here (STACK P11).
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "debian-chromium" }],
  webServer: {
    // next directly, not npx: a killed npx leaves next-server behind (STACK P9). Needs a prior `next build`.
    command: process.env.E2E_STANDALONE
      ? "node .next/standalone/server.js"
      : `node_modules/.bin/next start -p ${port} -H 127.0.0.1`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_FILE: process.env.E2E_DB,
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
    },
  },
});
