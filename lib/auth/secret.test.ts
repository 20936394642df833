import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { authSecretFile, resolveAuthSecret } from "./secret";

const temp = makeTempDir();
afterEach(() => fs.rmSync(authSecretFile(temp.file("app.db")), { force: true }));

describe("resolveAuthSecret", () => {
  it("uses BETTER_AUTH_SECRET when it is set, writing nothing", () => {
    expect(resolveAuthSecret({ configured: "s".repeat(40), databaseFile: temp.file("app.db") })).toBe("s".repeat(40));
    expect(fs.existsSync(authSecretFile(temp.file("app.db")))).toBe(false);
  });

  it("refuses to generate one for a database several instances share (PostgreSQL)", () => {
    expect(() =>
      resolveAuthSecret({ configured: undefined, databaseFile: temp.file("app.db"), isSharedDatabase: true }),
    ).toThrow(/Set BETTER_AUTH_SECRET .* when DATABASE_URL is set/);
    expect(fs.existsSync(authSecretFile(temp.file("app.db")))).toBe(false);
    expect(
      resolveAuthSecret({ configured: "s".repeat(40), databaseFile: temp.file("app.db"), isSharedDatabase: true }),
    ).toBe("s".repeat(40));
  });

  it("generates one beside the database file on first start (mode 0600) and keeps it across restarts", () => {
    const first = resolveAuthSecret({ configured: undefined, databaseFile: temp.file("app.db") });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(authSecretFile(temp.file("app.db"))).mode & 0o777).toBe(0o600);
    expect(resolveAuthSecret({ configured: undefined, databaseFile: temp.file("app.db") })).toBe(first);
  });
});
