import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { cliEnv, runCli, type ChildEnv } from "./testing/spawn-cli";

let temp: ReturnType<typeof makeTempDir>;
let env: ChildEnv;

beforeEach(() => {
  temp = makeTempDir("draftgate-cli-people-");
  env = cliEnv(temp.file("cli.db"));
});
afterEach(() => temp.cleanup());

describe("draftgate CLI: people and API keys", () => {
  it("adds people with a password from stdin, lists them, changes a role, deactivates and creates a key printed once", async () => {
    const added = await runCli(
      ["user", "add", "Rita@Example.com", "--role", "reviewer", "--name", "Rita Reviewer", "--password-stdin"],
      env,
      "Quartz-Lantern-Meadow-7\n",
    );
    expect(added).toMatchObject({ code: 0, stdout: "Added Rita Reviewer <rita@example.com> (reviewer).\n" });
    expect((await runCli(["user", "add", "pat@example.com", "--role", "author"], env)).code).toBe(0);

    const weak = await runCli(
      ["user", "add", "eve@example.com", "--role", "admin", "--password-stdin"],
      env,
      "password1234\n",
    );
    expect(weak).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(/^error \[VALIDATION_FAILED\]: This password is too easy to guess/),
    });

    const listed = await runCli(["user", "list"], env);
    expect(listed.stdout).toContain("- Rita Reviewer <rita@example.com> (reviewer) | signs in with password\n");
    expect(listed.stdout).toContain("- pat <pat@example.com> (author) | signs in with nothing yet\n");

    expect((await runCli(["user", "set-role", "pat@example.com", "reviewer"], env)).stdout).toBe(
      "pat <pat@example.com> (reviewer) now.\n",
    );

    const token = await runCli(["token", "create", "rita@example.com", "--name", "deploy"], env);
    expect(token.code).toBe(0);
    const key = token.stdout.trim();
    expect(key).toMatch(/^dg_[\w-]{43}$/);
    expect(token.stderr).toMatch(/shown once/);

    const deactivated = await runCli(["user", "deactivate", "rita@example.com"], env);
    expect(deactivated.stdout).toMatch(/is deactivated: their sessions and API keys stopped working/);
    const actingAsDeactivated = await runCli(["list", "--as", "rita@example.com"], env);
    expect(actingAsDeactivated).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(/No active person has the email rita@example.com/),
    });
  });

  it("acts with the named person's role: an author cannot change roles", async () => {
    await runCli(["user", "add", "pat@example.com", "--role", "author"], env);
    const refused = await runCli(["user", "set-role", "pat@example.com", "admin", "--as", "pat@example.com"], env);
    expect(refused).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(
        /^error \[FORBIDDEN\]: Only admins can change roles; you are signed in as an author/,
      ),
    });
  });
});
