import { defineConfig } from "vitest/config";
import path from "node:path";

/** Fault-injection tests with real processes against a production build; run after `next build`. */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, ".") } },
  test: {
    environment: "node",
    include: ["tests/durability/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
