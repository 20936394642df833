import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Every server action acts for the signed-in person: it goes through `runAction`, which resolves the actor from
// the session (or answers UNAUTHENTICATED) and hands it to the use case, where the role is checked. Only the
// steps before anyone is signed in are exempt, and they are named here, so a new action cannot skip the check.

const ANONYMOUS = new Map([
  ["sign-in.ts", "signs in (the credential is what it checks)"],
  ["sign-in-with-oidc.ts", "starts company sign-in"],
  ["sign-out.ts", "ends the session it is called with"],
  ["set-up.ts", "creates the first admin, only before anyone exists"],
  ["accept-invitation.ts", "the invitation link is the credential"],
  ["sign-up.ts", "only while an admin allows open sign-up"],
]);

const dir = import.meta.dirname;
const actionFiles = fs
  .readdirSync(dir)
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
  .map((file) => ({ file, source: fs.readFileSync(path.join(dir, file), "utf8") }))
  .filter(({ source }) => source.startsWith('"use server";'));

describe("server actions", () => {
  it("exist", () => {
    expect(actionFiles.length).toBeGreaterThan(10);
  });

  it.each(actionFiles.filter(({ file }) => !ANONYMOUS.has(file)).map(({ file, source }) => [file, source] as const))(
    "%s runs every exported action through runAction with the session's actor",
    (_file, source) => {
      const exported = [...source.matchAll(/^export async function (\w+)/gm)].map((match) => match[1]);
      expect(exported.length).toBeGreaterThan(0);
      const bodies = source.split(/^export async function /m).slice(1);
      for (const body of bodies) expect(body).toMatch(/return runAction\("\w+", [^\n]*\(actor\) =>/);
    },
  );

  it("names every action that runs before sign-in, and each of them exists", () => {
    const files = new Set(actionFiles.map(({ file }) => file));
    for (const file of ANONYMOUS.keys()) expect(files.has(file), file).toBe(true);
  });
});
