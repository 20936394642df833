import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Env files hold secrets (API keys, BETTER_AUTH_SECRET): git must never offer to commit one, whatever its name.
const cwd = path.resolve(import.meta.dirname, "..");

function isIgnored(file: string): boolean {
  // exit status 0: ignored; 1: not ignored
  const result = spawnSync("git", ["check-ignore", "--no-index", "--quiet", file], { cwd });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`git check-ignore failed: ${result.stderr.toString()}`);
  return result.status === 0;
}

describe(".gitignore", () => {
  it.each([".env", ".env.local", ".env.production", ".env.development.local", ".env.test", ".envrc", ".env.backup"])(
    "ignores %s",
    (file) => {
      expect(isIgnored(file)).toBe(true);
    },
  );

  it("keeps the documented example", () => {
    expect(isIgnored(".env.example")).toBe(false);
  });
});
