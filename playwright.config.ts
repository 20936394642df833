import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { OIDC_ADMIN_GROUP, OIDC_REVIEWER_GROUP } from "./tests/support/oidc-identities";
import { freePort, modelFreeEnv } from "./tests/support/processes";

// This file is test tooling, not app code: it reads process.env directly to hand settings to the servers it
// starts (the app then parses them through lib/env.ts).

// The config is evaluated in the runner AND in every worker: choose the ports, the DB and the secrets once and
// pass them down via env (STACK P12). The runner sets them first; workers inherit them and skip this.
process.env.E2E_PORT ??= String(await freePort());
process.env.E2E_OIDC_PORT ??= String(await freePort());
process.env.E2E_MAIL_SMTP_PORT ??= String(await freePort());
process.env.E2E_MAIL_HTTP_PORT ??= String(await freePort());
process.env.E2E_OIDC_CLIENT_SECRET ??= randomBytes(24).toString("base64url");
process.env.E2E_AUTH_SECRET ??= randomBytes(32).toString("base64url");
if (!process.env.E2E_DB) {
  process.env.E2E_DB = path.resolve(".e2e", "e2e.db");
  fs.rmSync(path.dirname(process.env.E2E_DB), { recursive: true, force: true }); // fresh DB (and sign-ins) per run
  fs.mkdirSync(path.dirname(process.env.E2E_DB), { recursive: true });
}

const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;
const oidcPort = Number(process.env.E2E_OIDC_PORT);
const oidcIssuer = `http://127.0.0.1:${oidcPort}`;
const oidcClient = { OIDC_CLIENT_ID: "draftgate-e2e", OIDC_CLIENT_SECRET: process.env.E2E_OIDC_CLIENT_SECRET };
const mailSmtpPort = Number(process.env.E2E_MAIL_SMTP_PORT);
const mailHttpPort = Number(process.env.E2E_MAIL_HTTP_PORT);

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
  projects: [
    // First-run setup through the real /setup page, then everyone else seeded and signed in (e2e/auth.setup.ts).
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    { name: "debian-chromium", dependencies: ["setup"], testIgnore: /cluster\.spec\.ts$/ },
    // PostgreSQL, two web instances and a worker of its own (npm run cluster), none of the servers below
    { name: "cluster", testMatch: /cluster\.spec\.ts$/ },
  ],
  // Playwright starts these in order, before any project: the identity provider and the mail catcher, then the app.
  webServer: [
    {
      command: "node --import tsx tests/support/oidc-provider-main.ts",
      url: `${oidcIssuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: { OIDC_PORT: String(oidcPort), OIDC_ISSUER: oidcIssuer, APP_URL: baseURL, ...oidcClient },
    },
    {
      // the app's SMTP server: keeps every email, for specs to read at GET /messages (e2e/fixtures/mail.ts)
      command: "node --import tsx tests/support/mail-catcher-main.ts",
      url: `http://127.0.0.1:${mailHttpPort}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: { MAIL_CATCHER_SMTP_PORT: String(mailSmtpPort), MAIL_CATCHER_HTTP_PORT: String(mailHttpPort) },
    },
    {
      // next directly, not npx: a killed npx leaves next-server behind (STACK P9). Needs a prior `next build`.
      command: process.env.E2E_STANDALONE
        ? "node .next/standalone/server.js"
        : `node_modules/.bin/next start -p ${port} -H 127.0.0.1`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
      // never a real model, whatever the developer's shell or .env says
      env: modelFreeEnv({
        DATABASE_FILE: process.env.E2E_DB,
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
        APP_URL: baseURL,
        BETTER_AUTH_SECRET: process.env.E2E_AUTH_SECRET,
        // the suite signs in, submits and answers many times a minute; the limits are tested in tests/durability
        AUTH_RATE_LIMIT_PER_MINUTE: "0",
        RATE_LIMIT_BRIEFS_PER_MINUTE: "0",
        RATE_LIMIT_ANSWERS_PER_MINUTE: "0",
        RATE_LIMIT_RESUMES_PER_MINUTE: "0",
        RATE_LIMIT_SIGN_INS_PER_MINUTE: "0",
        // deadline timers fire within a fraction of a second once a spec moves their due time (e2e/deadlines.spec.ts)
        TIMER_TICK_MS: "300",
        // every notification email goes to the mail catcher above (the dispatcher runs on TIMER_TICK_MS too)
        SMTP_URL: `smtp://127.0.0.1:${mailSmtpPort}`,
        MAIL_FROM: "Draftgate <draftgate@example.com>",
        OIDC_ISSUER: oidcIssuer,
        ...oidcClient,
        OIDC_DISPLAY_NAME: "Acme SSO",
        OIDC_ADMIN_GROUPS: OIDC_ADMIN_GROUP,
        OIDC_REVIEWER_GROUPS: OIDC_REVIEWER_GROUP,
      }),
    },
  ],
});
