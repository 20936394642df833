import { defineConfig } from "vitest/config";
import path from "node:path";

/** The service suites written over tests/support/service-harness.ts (any store): run a second time on PostgreSQL. */
const SERVICE_SUITES_ON_EITHER_STORE = [
  "lib/services/authorization.int.test.ts",
  "lib/services/draftgate-service.int.test.ts",
  "lib/services/integrity.int.test.ts",
  "lib/services/review-decisions.int.test.ts",
  "lib/services/deadlines.int.test.ts",
  "lib/services/hardening.int.test.ts",
  "lib/services/live-events.int.test.ts",
  "lib/services/live-relay.int.test.ts",
  "lib/services/notifications/notifications.int.test.ts",
  "lib/services/people-service.int.test.ts",
];

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname, "."),
      "server-only": path.resolve(import.meta.dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    environment: "node",
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".next-*/**", "bench/**", "tests/durability/**"],
    // one throwaway PostgreSQL server per run, for the PostgreSQL store's tests (tests/support/postgres.ts)
    globalSetup: ["tests/support/postgres-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "sqlite", include: ["**/*.test.ts"] } },
      {
        extends: true,
        // tests/support/service-harness.ts opens a PostgreSQL database per test instead of a SQLite file
        test: { name: "postgres", include: SERVICE_SUITES_ON_EITHER_STORE, env: { DRAFTGATE_TEST_STORE: "postgres" } },
      },
    ],
  },
});
