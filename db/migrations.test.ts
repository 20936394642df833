import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";

// Databases in the field have applied every committed migration, and drizzle's migrator applies only those
// newer than the last one it recorded: editing, removing or reordering one leaves such databases behind (a
// table that "already exists", a column that never comes). So committed migrations are frozen here.

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** The SQLite migrations and the PostgreSQL store's, each frozen by its own manifest. */
const stores = [
  {
    name: "SQLite",
    migrationsDir: path.join(import.meta.dirname, "migrations"),
    manifest: path.join(import.meta.dirname, "shipped-migrations.json"),
  },
  {
    name: "PostgreSQL",
    migrationsDir: path.join(import.meta.dirname, "pg", "migrations"),
    manifest: path.join(import.meta.dirname, "pg", "shipped-migrations.json"),
  },
];

describe.each(stores)("$name migrations", ({ migrationsDir, manifest }) => {
  const journal = z
    .object({ entries: z.array(z.object({ idx: z.number(), tag: z.string(), when: z.number() })) })
    .parse(JSON.parse(fs.readFileSync(path.join(migrationsDir, "meta/_journal.json"), "utf8")));
  const shipped = z
    .object({ migrations: z.array(z.object({ tag: z.string(), when: z.number(), sha256: z.string() })) })
    .parse(JSON.parse(fs.readFileSync(manifest, "utf8")));

  it.each(shipped.migrations.map((migration) => [migration.tag, migration] as const))(
    "%s is unchanged since it shipped",
    (tag, migration) => {
      const entry = journal.entries.find((candidate) => candidate.tag === tag);
      expect(entry, `${tag} is still in the journal`).toBeDefined();
      expect(entry?.when, `${tag} keeps its timestamp (the migrator orders by it)`).toBe(migration.when);
      expect(
        sha256(path.join(migrationsDir, `${tag}.sql`)),
        `${tag}.sql is byte for byte what shipped; add a new migration instead`,
      ).toBe(migration.sha256);
    },
  );

  it("lists every migration in the journal as shipped, in the journal's order, with timestamps that only grow", () => {
    expect(journal.entries.map((entry) => entry.tag)).toEqual(shipped.migrations.map((migration) => migration.tag));
    const times = journal.entries.map((entry) => entry.when);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
  });

  it("has no SQL file that the journal does not name", () => {
    const files = fs.readdirSync(migrationsDir).filter((file) => file.endsWith(".sql"));
    expect(files.sort()).toEqual(journal.entries.map((entry) => `${entry.tag}.sql`).sort());
  });
});
