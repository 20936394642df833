import { defineConfig } from "drizzle-kit";

// The PostgreSQL store's migrations (`npx drizzle-kit generate --config drizzle.pg.config.ts`); applied at
// startup by db/pg/client.ts. The SQLite ones are drizzle.config.ts's.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/pg/schema.ts",
  out: "./db/pg/migrations",
});
