import { defineConfig } from "vitest/config";
import path from "node:path";

/** Fault-injection tests with real processes against a production build; run after `next build`. */
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname, "."),
      "server-only": path.resolve(import.meta.dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["tests/durability/**/*.test.ts"],
    fileParallelism: false,
    // the PostgreSQL server the tests on PostgreSQL create their databases on (tests/support/postgres.ts)
    globalSetup: ["tests/support/postgres-global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
