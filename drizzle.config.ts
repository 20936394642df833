import { defineConfig } from "drizzle-kit";

// Used by `drizzle-kit generate` only; the app migrates at startup with drizzle's migrator (db/client.ts).
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
