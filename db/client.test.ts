import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrationStatus, openDatabase } from "./client";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftgate-client-"));
  scratch.push(dir);
  return dir;
}

describe("openDatabase", () => {
  it("applies the migrations from the folder it is given, whatever the working directory holds", () => {
    // an embedder's copy of the migrations, somewhere else than <cwd>/db/migrations
    const migrationsFolder = path.join(tempDir(), "draftgate-migrations");
    fs.cpSync(path.join(import.meta.dirname, "migrations"), migrationsFolder, { recursive: true });
    const connection = openDatabase(path.join(tempDir(), "embedded.db"), { migrationsFolder });
    try {
      const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
        entries: unknown[];
      };
      expect(migrationStatus(connection)).toEqual({
        applied: journal.entries.length,
        expected: journal.entries.length,
      });
      expect(connection.sqlite.prepare("select count(*) as n from runs").get()).toEqual({ n: 0 });
    } finally {
      connection.close();
    }
  });

  it("refuses to open when the migrations folder is missing, naming it", () => {
    const missing = path.join(tempDir(), "nowhere");
    expect(() => openDatabase(path.join(tempDir(), "x.db"), { migrationsFolder: missing })).toThrow(/nowhere/);
  });
});
